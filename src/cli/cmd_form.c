/* SPDX-License-Identifier: GPL-3.0-or-later */
/* essaim form: print the blank form and, as help lines, the information
 * notice on personal data. Needs no configuration or database (built-in
 * defaults then); the configuration's data_dir may override the schema. */
#include <stdio.h>
#include <string.h>

#include "answers/answer.h"
#include "cli/cmd.h"
#include "form/form.h"
#include "form/schema_load.h"
#include "base/log.h"

int
cmd_form(const struct cmd_opts *o, int argc, char **argv)
{
	struct essaim e = { 0 };
	g_autoptr(GError) err = NULL;
	g_autoptr(schema_t) s = NULL;
	g_autofree char *text = NULL;
	const char *lang = "fr";
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			lang = argv[++i];
		else if (strncmp(argv[i], "--lang=", 7) == 0)
			lang = argv[i] + 7;
		else
			goto usage;
	}
	if (strcmp(lang, "fr") != 0 && strcmp(lang, "en") != 0)
		goto usage;
	/* the configuration names who processes the data (the notice) */
	if ((rc = cmd_config(&e, o)) != 0) {
		g_autoptr(GPtrArray) problems = config_problems_new();

		cmd_close(&e);
		if (o->config)
			return rc;
		e.cfg = config_load(NULL, problems);
	}
	if ((s = schema_load(&err)) == NULL) {
		log_warnx("cannot load the form schema: %s", err->message);
		cmd_close(&e);
		return EXIT_CONFIG;
	}
	text = answer_blank_form(e.cfg, s, lang, &err);
	cmd_close(&e);
	if (text == NULL) {
		log_warnx("%s", err->message);
		return EXIT_CONFIG;
	}
	fputs(text, stdout);
	return fflush(stdout) == 0 ? 0 : 1;
usage:
	fprintf(stderr, "usage: essaim form [--lang fr|en]\n");
	return EXIT_USAGE;
}
