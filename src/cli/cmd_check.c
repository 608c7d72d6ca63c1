/* SPDX-License-Identifier: GPL-3.0-or-later */
/* essaim check: the configuration, the data files; every problem at once. */
#include <stdio.h>

#include "cli/cmd.h"
#include "cli/check.h"
#include "base/resource.h"
#include "publish/geocode.h"

int
cmd_check(const struct cmd_opts *o, int argc, char **argv)
{
	g_autofree char *path = config_locate(o->config);
	g_autoptr(GPtrArray) problems = config_problems_new();
	g_autoptr(config_t) cfg = NULL;
	guint errors = 0, warnings = 0;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: essaim check\n");
		return EXIT_USAGE;
	}
	cfg = config_load(path, problems);
	if (cfg) {
		g_autoptr(GError) err = NULL;

		resource_set_dir(cfg->data_dir);
		check_data(cfg, problems);
		if (!store_check_owner(cfg->database, &err))
			check_problem(problems, "%s", err->message);
		if (cfg->online_url) {
			g_autofree char *what = NULL;

			if (geocode_probe(cfg, &what))
				printf("the geocoder %s answers: %s\n", cfg->online_url, what);
			else
				check_problem(problems, "[geocoding] online_url %s does not answer: %s",
				    cfg->online_url, what);
		}
	}
	for (guint i = 0; i < problems->len; i++) {
		struct config_problem *pb = problems->pdata[i];

		printf("%s%s\n", pb->fatal ? "" : "warning: ", pb->text);
		if (pb->fatal)
			errors++;
		else
			warnings++;
	}
	printf("%s: %u problem%s, %u warning%s\n", path ? path : "built-in defaults", errors,
	    errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
	return errors ? EXIT_CONFIG : 0;
}
