/* SPDX-License-Identifier: GPL-3.0-or-later */
/* essaim list / show: entries for the operator, a table or the contract's JSON. */
#include <stdio.h>
#include <string.h>

#include "store/bounced.h"
#include "cli/cmd.h"
#include "store/erasure.h"
#include "form/schema_load.h"
#include "store/entry.h"
#include "store/events.h"
#include "base/log.h"
#include "moderation/erasure.h"
#include "moderation/moderation.h"

static const char *const statuses[] = {
	"pending", "approved", "rejected", "withdrawn", "erased", NULL,
};

static gboolean
status_ok(const char *s)
{
	for (int i = 0; statuses[i]; i++)
		if (strcmp(s, statuses[i]) == 0)
			return TRUE;
	return FALSE;
}

/* Print S cut to WIDTH characters (UTF-8 aware), padded. */
static void
print_cell(const char *s, int width)
{
	const char *p = s ? s : "";
	int n = 0;

	for (; *p && n < width; p = g_utf8_next_char(p), n++) {
		gunichar c = g_utf8_get_char(p);
		char buf[8];
		int len = g_unichar_to_utf8(g_unichar_iscntrl(c) ? ' ' : c, buf);
		fwrite(buf, 1, (size_t)len, stdout);
	}
	for (; n < width; n++)
		putchar(' ');
	putchar(' ');
}

int
cmd_list(const struct cmd_opts *o, int argc, char **argv)
{
	struct essaim e = { 0 };
	const char *status = NULL;
	gboolean json = FALSE;
	g_autoptr(GError) err = NULL;
	g_autoptr(GArray) ids = NULL;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = TRUE;
		else if (strcmp(argv[i], "--status") == 0 && i + 1 < argc)
			status = argv[++i];
		else if (g_str_has_prefix(argv[i], "--status="))
			status = argv[i] + 9;
		else {
			fprintf(stderr, "usage: essaim list [--status S] [--json]\n");
			return EXIT_USAGE;
		}
	}
	if (status && !status_ok(status)) {
		fprintf(stderr, "essaim: unknown status '%s' (pending, approved, rejected, "
		    "withdrawn, erased)\n", status);
		return EXIT_USAGE;
	}
	if ((rc = cmd_open(&e, o)) != 0) {
		cmd_close(&e);
		return rc;
	}
	ids = entry_ids(e.st, status, &err);
	if (ids == NULL) {
		log_warnx("%s", err->message);
		cmd_close(&e);
		return EXIT_TEMPFAIL;
	}
	if (json) {
		g_autoptr(JsonArray) arr = json_array_new();
		g_autoptr(JsonNode) root = json_node_new(JSON_NODE_ARRAY);

		for (guint i = 0; i < ids->len; i++) {
			g_autoptr(entry_t) en = entry_load(e.st, g_array_index(ids, gint64, i), NULL);
			if (en)
				json_array_add_element(arr, entry_to_json(en));
		}
		json_node_set_array(root, arr);
		g_autofree char *text = entry_json_text(root, TRUE);
		printf("%s\n", text);
	} else {
		print_cell("#", 5);
		print_cell("type", 10);
		print_cell("status", 9);
		print_cell("commune", 22);
		print_cell("nom", 36);
		printf("updated\n");
		for (guint i = 0; i < ids->len; i++) {
			g_autoptr(entry_t) en = entry_load(e.st, g_array_index(ids, gint64, i), NULL);
			g_autofree char *id = NULL;
			g_autofree char *place = NULL;

			if (en == NULL)
				continue;
			id = g_strdup_printf("%" G_GINT64_FORMAT, en->id);
			place = g_strdup_printf("%s %s", entry_field(en, "code_postal") ?
			    entry_field(en, "code_postal") : "", entry_field(en, "commune") ?
			    entry_field(en, "commune") : "");
			print_cell(id, 5);
			print_cell(en->type, 10);
			print_cell(en->status, 9);
			print_cell(g_strstrip(place), 22);
			print_cell(entry_field(en, "nom"), 36);
			printf("%s\n", en->updated_at);
		}
		printf("%u entr%s\n", ids->len, ids->len == 1 ? "y" : "ies");
	}
	cmd_close(&e);
	return 0;
}

/* Parse a positive entry id; "#42" accepted. */
gboolean
cmd_parse_id(const char *s, gint64 *id)
{
	char *end;

	if (s && *s == '#')
		s++;
	if (s == NULL || !g_ascii_isdigit(*s))
		return FALSE;
	*id = g_ascii_strtoll(s, &end, 10);
	return *end == '\0' && *id > 0;
}

/* The history of entry ID, oldest first; FALSE (said) when unreadable. */
static gboolean
print_events(struct store *st, gint64 id)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) events = events_of_entry(st, id, &err);

	if (events == NULL) {
		log_warnx("%s", err->message);
		return FALSE;
	}
	printf("\nhistory:\n");
	for (guint i = 0; i < events->len; i++) {
		const struct event *ev = events->pdata[i];

		printf("  %s  %-22s %-14s %s", ev->at, ev->actor, ev->kind, ev->detail);
		if (ev->message_id)
			printf(" (message %" G_GINT64_FORMAT ")", ev->message_id);
		putchar('\n');
	}
	return TRUE;
}

/* One field: its label, its value (continued lines indented). */
static void
print_field(const char *label, const char *value)
{
	g_auto(GStrv) lines = g_strsplit(value, "\n", -1);
	g_autofree char *indented = g_strjoinv("\n    ", lines);
	/* the labels are UTF-8: pad by characters, not bytes */
	glong pad = 36 - g_utf8_strlen(label, -1);

	printf("  %s :%*s%s\n", label, (int)(pad > 1 ? pad : 1), "", indented);
}

/* The fields in the form's order with the form's labels (in [essaim]
 * language), then any field the form no longer has, under its key. */
static void
print_fields(const struct config *cfg, const struct entry *en)
{
	const struct schema *s = schema_default();
	enum schema_lang lang = schema_lang_parse(cfg->language);

	for (guint i = 0; s && i < schema_field_count(s); i++) {
		const struct schema_field *f = schema_field_at(s, i);
		const char *v = entry_field(en, f->key);

		if (v)
			print_field(schema_field_label(f, lang), v);
	}
	for (guint i = 0; i < en->keys->len; i++) {
		const char *k = en->keys->pdata[i];

		if (s == NULL || schema_field_by_key(s, k) == NULL)
			print_field(k, entry_field(en, k));
	}
}

int
cmd_show(const struct cmd_opts *o, int argc, char **argv)
{
	struct essaim e = { 0 };
	gboolean json = FALSE;
	gint64 id = 0;
	g_autoptr(GError) err = NULL;
	g_autoptr(entry_t) en = NULL;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = TRUE;
		else if (id == 0 && cmd_parse_id(argv[i], &id))
			;
		else {
			fprintf(stderr, "usage: essaim show ID [--json]\n");
			return EXIT_USAGE;
		}
	}
	if (id == 0) {
		fprintf(stderr, "usage: essaim show ID [--json]\n");
		return EXIT_USAGE;
	}
	if ((rc = cmd_open(&e, o)) != 0) {
		cmd_close(&e);
		return rc;
	}
	en = entry_load(e.st, id, &err);
	if (en == NULL) {
		if (err)
			log_warnx("%s", err->message);
		else
			fprintf(stderr, "essaim: no entry #%" G_GINT64_FORMAT "\n", id);
		cmd_close(&e);
		return err ? EXIT_TEMPFAIL : EXIT_DATAERR;
	}
	if (json) {
		g_autoptr(JsonNode) node = entry_to_json(en);
		g_autofree char *text = entry_json_text(node, TRUE);
		printf("%s\n", text);
	} else {
		printf("#%" G_GINT64_FORMAT "  %s  %s\n", en->id, en->type, en->status);
		printf("submitter: %s\ncreated:   %s\nupdated:   %s\n",
		    en->submitter ? en->submitter : "-", en->created_at, en->updated_at);
		if (en->decided_at)
			printf("decided:   %s by %s%s%s\n", en->decided_at,
			    en->decided_by ? en->decided_by : "-", en->reason ? ": " : "",
			    en->reason ? en->reason : "");
		if (en->has_point)
			printf("location:  %.6f, %.6f (%s)\n", en->lat, en->lon, en->geo_precision);
		if (en->insee)
			printf("commune:   INSEE %s\n", en->insee);
		else
			printf("location:  none\n");
		printf("flags:     %s\n\n", en->flags);
		print_fields(e.cfg, en);
		if (!print_events(e.st, id)) {
			cmd_close(&e);
			return EXIT_TEMPFAIL;
		}
	}
	cmd_close(&e);
	return 0;
}

int
cmd_erase(const struct cmd_opts *o, int argc, char **argv)
{
	struct essaim e = { 0 };
	g_autoptr(GError) err = NULL;
	guint count = 0;
	gboolean known = FALSE;
	int rc;

	if (argc != 2 || strchr(argv[1], '@') == NULL) {
		fprintf(stderr, "usage: essaim erase ADDRESS\n");
		return EXIT_USAGE;
	}
	if ((rc = cmd_open(&e, o)) != 0) {
		cmd_close(&e);
		return rc;
	}
	if (!erasure_address_known(e.st, argv[1], &known, &err)) {
		log_warnx("%s", err->message);
		cmd_close(&e);
		return EXIT_TEMPFAIL;
	}
	if (!known) {
		fprintf(stderr, "essaim: no data for %s (nothing erased)\n", argv[1]);
		cmd_close(&e);
		return EXIT_DATAERR;
	}
	if (!store_begin(e.st, &err) ||
	    !moderation_erase_address(&e, argv[1], "operator", &count, &err) ||
	    !store_commit(e.st, &err)) {
		store_rollback(e.st);
		log_warnx("%s", err->message);
		cmd_close(&e);
		return EXIT_TEMPFAIL;
	}
	/* the erased bytes leave the write-ahead log too */
	if (!store_checkpoint(e.st, &err))
		log_warnx("%s; the erased data stays in the log until the next checkpoint",
		    err->message);
	printf("erased %u entr%s and every stored message of %s; the published map drops "
	    "them at the next publication\n", count, count == 1 ? "y" : "ies", argv[1]);
	cmd_close(&e);
	return 0;
}

int
cmd_unbounce(const struct cmd_opts *o, int argc, char **argv)
{
	struct essaim e = { 0 };
	g_autoptr(GError) err = NULL;
	gboolean found = FALSE;
	int rc;

	if (argc != 2 || strchr(argv[1], '@') == NULL) {
		fprintf(stderr, "usage: essaim unbounce ADDRESS\n");
		return EXIT_USAGE;
	}
	if ((rc = cmd_open(&e, o)) != 0) {
		cmd_close(&e);
		return rc;
	}
	if (!store_begin(e.st, &err) || !bounced_forget(e.st, argv[1], "operator", &found, &err) ||
	    !store_commit(e.st, &err)) {
		store_rollback(e.st);
		log_warnx("%s", err->message);
		cmd_close(&e);
		return EXIT_TEMPFAIL;
	}
	cmd_close(&e);
	if (!found) {
		fprintf(stderr, "essaim: %s is not among the addresses that refused mail for good\n",
		    argv[1]);
		return EXIT_DATAERR;
	}
	printf("%s will be written to again\n", argv[1]);
	return 0;
}
