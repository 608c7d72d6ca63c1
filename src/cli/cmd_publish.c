/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * essaim publish [--force]: regenerate the map dataset (cron-friendly: quiet
 * unless on a terminal or -v; nothing rewritten when nothing changed).
 * Exit 0 done, 1 the upload failed (local files correct), 75 not published
 * now (database or disk: the previous publication stays; status shows it),
 * 78 configuration.
 * essaim export [--format json|csv|geojson]: every entry (json), or the
 * published CSV or GeoJSON on stdout, byte for byte.
 */
#include <gio/gio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "answers/answer.h"
#include "cli/cmd.h"
#include "form/schema.h"
#include "form/schema_load.h"
#include "store/export.h"
#include "base/log.h"
#include "publish/geocode.h"
#include "publish/publish.h"
#include "publish/publish_files.h"
#include "store/sidelog.h"

static void
print_progress(const char *what, void *data)
{
	(void)data;
	printf("publish: %s\n", what);
	fflush(stdout);
}

/* A failed publication (exit 75), for `essaim status`: in the side log,
 * which a full disk cannot refuse (store/sidelog.h). */
static void
record_failure(const struct config *cfg, const char *why)
{
	g_autoptr(GError) err = NULL;

	if (cfg && cfg->database && !sidelog_note(cfg->database, SIDELOG_PUBLISH, why, &err))
		log_warnx("cannot record the failure: %s", err->message);
}

static gint
by_name(gconstpointer a, gconstpointer b)
{
	return g_utf8_collate(*(const char *const *)a, *(const char *const *)b);
}

static void
print_summary(const struct publish_report *r, const char *dir)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	GHashTableIter it;
	gpointer k, v;

	printf("%u entr%s published: %u initiative%s, %u local group%s; per région:\n",
	    r->entries, r->entries == 1 ? "y" : "ies", r->initiatives,
	    r->initiatives == 1 ? "" : "s", r->groupes, r->groupes == 1 ? "" : "s");
	g_hash_table_iter_init(&it, r->regions);
	while (g_hash_table_iter_next(&it, &k, &v))
		g_ptr_array_add(names, k);
	g_ptr_array_sort(names, by_name);
	for (guint i = 0; i < names->len; i++) {
		const char *name = names->pdata[i];
		/* pad by characters, not bytes: région names have accents */
		int pad = 32 - (int)MIN(g_utf8_strlen(name, -1), 32);

		printf("  %s%*s %u\n", name, pad, "",
		    GPOINTER_TO_UINT(g_hash_table_lookup(r->regions, name)));
	}
	if (r->changed->len == 0)
		printf("nothing changed: no file rewritten in %s\n", dir);
	else {
		printf("%u of %u files written in %s:\n", r->changed->len, r->files, dir);
		for (guint i = 0; i < r->changed->len; i++)
			printf("  %s\n", (const char *)r->changed->pdata[i]);
	}
	if (r->uploaded && r->upload_error == NULL)
		printf("uploaded\n");
}

/*
 * The public fields. publish_public_fields() reads config/form.ini when
 * present; the form schema module replaces it when merged.
 */
static GPtrArray *
public_fields(void)
{
	return publish_public_fields();
}

int
cmd_publish(const struct cmd_opts *o, int argc, char **argv)
{
	struct essaim e = { 0 };
	struct publish_opts po = { 0 };
	struct publish_report r;
	g_autoptr(GPtrArray) fields = NULL;
	g_autoptr(GError) err = NULL;
	g_autofree char *password = NULL;
	g_autofree char *form = NULL;
	gboolean force = FALSE, talk = o->verbose || isatty(STDOUT_FILENO);
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--force") == 0)
			force = TRUE;
		else {
			fprintf(stderr, "usage: essaim publish [--force]\n");
			return EXIT_USAGE;
		}
	}
	rc = cmd_open(&e, o);
	if (rc != 0) {
		if (rc == EXIT_TEMPFAIL)
			record_failure(e.cfg, "the database cannot be opened");
		cmd_close(&e);
		return rc;
	}
	if (e.cfg->upload_url && e.cfg->upload_password_file) {
		password = config_read_secret(e.cfg->upload_password_file, &err);
		if (password == NULL) {
			log_warnx("[publish] upload_password_file: %s", err->message);
			cmd_close(&e);
			return EXIT_CONFIG;
		}
	}
	/* the blank form, published beside the page for whoever wants to join */
	form = answer_blank_form(e.cfg, schema_default(), "fr", &err);
	if (form == NULL) {
		log_warnx("cannot write the blank form: %s", err->message);
		cmd_close(&e);
		return EXIT_CONFIG;
	}
	/* the points the online geocoder can still give, bounded by its
	 * timeout; its failures leave the commune's point and are logged */
	if (!geocode_fill_places(&e, NULL, &err)) {
		log_warnx("places: %s", err->message);
		g_clear_error(&err);
	}
	if (e.cfg->online_url) {
		struct geocode_report gr = { 0 };

		if (!geocode_run(&e, &gr, &err)) {
			log_warnx("geocoding: %s", err->message);
			g_clear_error(&err);
		} else if (talk && (gr.requests || gr.placed))
			printf("geocoding: %u request%s, %u entr%s placed better\n", gr.requests,
			    gr.requests == 1 ? "" : "s", gr.placed, gr.placed == 1 ? "y" : "ies");
		geocode_report_clear(&gr);
	}
	fields = public_fields();
	publish_opts_from_config(&po, e.cfg);
	po.form = form;
	po.force = force;
	po.upload_url = e.cfg->upload_url;
	po.upload_password = password;
	po.progress = talk ? print_progress : NULL;
	publish_report_init(&r);
	if (!publish_run(e.st, fields, &po, &r, &err)) {
		log_warnx("publication failed, the previous one is left as it was: %s",
		    err->message);
		record_failure(e.cfg, err->message);
		rc = EXIT_TEMPFAIL;
	} else {
		if (talk)
			print_summary(&r, po.directory);
		if (r.upload_error) {
			log_warnx("upload failed (the local files are correct): %s", r.upload_error);
			rc = 1;
		}
	}
	publish_report_clear(&r);
	cmd_close(&e);
	return rc;
}

static gboolean
write_stdout(const char *text, GError **error)
{
	size_t n = strlen(text);

	if (fwrite(text, 1, n, stdout) != n || fflush(stdout) != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write to standard output");
		return FALSE;
	}
	return TRUE;
}

int
cmd_export(const struct cmd_opts *o, int argc, char **argv)
{
	struct essaim e = { 0 };
	g_autoptr(GError) err = NULL;
	g_autofree char *out = NULL;
	const char *format = "json";
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			format = argv[++i];
		else if (g_str_has_prefix(argv[i], "--format="))
			format = argv[i] + strlen("--format=");
		else
			format = NULL;
		if (format == NULL)
			break;
	}
	if (format == NULL || (strcmp(format, "json") && strcmp(format, "csv") &&
	    strcmp(format, "geojson"))) {
		fprintf(stderr, "usage: essaim export [--format json|csv|geojson]\n");
		return EXIT_USAGE;
	}
	rc = cmd_open(&e, o);
	if (rc != 0) {
		cmd_close(&e);
		return rc;
	}
	if (strcmp(format, "json") == 0) {
		out = export_json(e.st, &err);
		if (out == NULL || !write_stdout(out, &err))
			rc = EXIT_TEMPFAIL;
	} else {
		/* the very bytes publish writes, streamed from the database (the
		 * GeoJSON keeps the generated_at of the last publication while
		 * nothing changed) */
		g_autoptr(GPtrArray) fields = public_fields();
		g_autofree char *form = NULL;
		struct publish_opts po = { 0 };

		publish_opts_from_config(&po, e.cfg);
		/* as publish_run() had them, so that their hashes may agree (else
		 * the GeoJSON has the present time) */
		form = answer_blank_form(e.cfg, schema_default(), "fr", NULL);
		po.form = form;
		fflush(stdout);
		if (!publish_export(e.st, fields, &po,
		    strcmp(format, "csv") == 0 ? PUBLISH_CSV : PUBLISH_GEOJSON, STDOUT_FILENO, &err))
			rc = EXIT_TEMPFAIL;
	}
	if (rc != 0)
		log_warnx("cannot export: %s", err->message);
	cmd_close(&e);
	return rc;
}
