/* SPDX-License-Identifier: GPL-3.0-or-later */
/* essaim check: the configuration, the data files; every problem at once. */
#include <stdio.h>

#include "cli/cmd.h"
#include "form/schema_load.h"
#include "base/template.h"
#include "places/gazetteer.h"
#include "base/resource.h"
#include "publish/publish_files.h"
#include "publish/publish_leaflet.h"
#include "moderation/secret.h"

/* Whether the map will get the system's Leaflet: a warning when not. */
static void
check_leaflet(const struct config *cfg, GPtrArray *problems)
{
	g_autoptr(GPtrArray) files = publish_files_new();
	g_autofree char *why = NULL;
	struct config_problem *pb;

	if (cfg->javascript_dir == NULL || publish_leaflet_system(files, cfg->javascript_dir, &why))
		return;
	pb = g_new0(struct config_problem, 1);
	pb->text = g_strdup_printf("[publish] javascript_dir: %s; the map will use the Leaflet "
	    "built into essaim (install libjs-leaflet and libjs-leaflet.markercluster, or set "
	    "javascript_dir empty)", why);
	g_ptr_array_add(problems, pb);
}

/* The secret: present and sound once tokens were made with it. */
static void
check_secret(const struct config *cfg, GPtrArray *problems)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *used = NULL;
	struct secret sec;

	if (!store_state_peek(cfg->database, SECRET_STATE_USED, &used, &err)) {
		config_problem_add(problems, "%s", err->message);
		return;
	}
	if (secret_read(cfg->secret_file, &sec, &err)) {
		secret_clear(&sec);
		return;
	}
	if (!g_error_matches(err, SECRET_ERROR, SECRET_ERROR_MISSING))
		config_problem_add(problems, "secret: %s", err->message);
	else if (used)
		config_problem_add(problems, "the secret file %s is missing, but tokens were made "
		    "with it since %s: restore it from a backup (or, to give up every "
		    "outstanding token, run essaim rotate-secret)", cfg->secret_file, used);
}
#include "publish/geocode.h"

/* Nobody to tell of new entries: they would wait unseen (a warning, since
 * an operator may decide from the command line alone). */
static void
check_moderators(const struct config *cfg, GPtrArray *problems)
{
	struct config_problem *pb;

	if (cfg->moderators && cfg->moderators[0])
		return;
	pb = g_new0(struct config_problem, 1);
	pb->text = g_strdup("[moderation] moderators: no moderator configured: nobody is told "
	    "of new entries (they wait for essaim approve or reject)");
	g_ptr_array_add(problems, pb);
}

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
		gazetteer_check(problems);
		template_check_all(problems);
		schema_check(problems);
		check_leaflet(cfg, problems);
		check_moderators(cfg, problems);
		if (!store_check_owner(cfg->database, &err))
			config_problem_add(problems, "%s", err->message);
		else
			check_secret(cfg, problems);
		if (cfg->online_url) {
			g_autofree char *what = NULL;

			if (geocode_probe(cfg, &what))
				printf("the geocoder %s answers: %s\n", cfg->online_url, what);
			else
				config_problem_add(problems, "[geocoding] online_url %s does not answer: %s",
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
