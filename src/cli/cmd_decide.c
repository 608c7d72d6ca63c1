/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * essaim approve / reject / set: the operator's decisions, under the same
 * rules as the moderators' mail (an approval counts as one moderator's; the
 * decision is reported to every moderator and to the submitter).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "store/entry.h"
#include "process/correct.h"
#include "base/log.h"
#include "moderation/moderation.h"
#include "moderation/notify.h"
#include "form/schema.h"
#include "form/schema_load.h"

/* Who the operator is, in the audit: "operator:<login>". g_free. */
static char *
operator_name(void)
{
	const char *u = g_get_user_name();

	return g_strdup_printf("operator:%s", u ? u : "unknown");
}

static int
finish(struct essaim *e, GError *err, int rc)
{
	if (err) {
		store_rollback(e->st);
		log_warnx("%s", err->message);
		g_error_free(err);
		rc = EXIT_TEMPFAIL;
	} else if (rc == 0)
		cmd_deliver_local(e);
	cmd_close(e);
	return rc;
}

/* What the operator is told of the moderators' notification. */
static const char *
told_moderators(const struct config *cfg)
{
	return cfg->moderators && cfg->moderators[0] ? "moderators notified" :
	    "no moderator configured, nobody notified";
}

/* Whether ADDR is one of the configured moderators. */
static gboolean
is_moderator(const struct config *cfg, const char *addr)
{
	for (char **m = cfg->moderators; m && *m; m++)
		if (g_ascii_strcasecmp(*m, addr) == 0)
			return TRUE;
	return FALSE;
}

/*
 * Decide on entry ID as the operator, or with AS (a moderator's address)
 * as that moderator's vote, on their behalf: an operator who relays the
 * word of moderators without mail can reach a quorum of two. The audit
 * keeps who typed it.
 */
static int
decide(const struct cmd_opts *o, gint64 id, enum reply_cmd cmd, const char *reason,
    const char *as)
{
	struct essaim e = { 0 };
	GError *err = NULL;
	g_autofree char *op = operator_name();
	g_autofree char *who = as ? g_ascii_strdown(as, -1) : g_strdup(op);
	struct mod_outcome out = { 0 };
	g_autoptr(entry_t) en = NULL;
	struct secret sec;
	const char *code = NULL;
	gboolean told = FALSE;
	int rc;

	if ((rc = cmd_open(&e, o)) != 0) {
		cmd_close(&e);
		return rc;
	}
	if (as && !is_moderator(e.cfg, as)) {
		fprintf(stderr, "essaim: %s is not one of the moderators ([moderation] moderators)\n",
		    as);
		return finish(&e, NULL, EXIT_DATAERR);
	}
	if (!store_begin(e.st, &err) ||
	    !moderation_decide(&e, id, who, cmd, reason, 0, &out, &err))
		return finish(&e, err, 0);
	if (as && out.result != MOD_NOT_FOUND && out.result != MOD_ALREADY) {
		g_autofree char *d = g_strdup_printf("%s typed %s's decision", op, who);

		if (!store_event(e.st, id, 0, op, "decision_on_behalf", d, &err)) {
			mod_outcome_clear(&out);
			return finish(&e, err, 0);
		}
	}
	switch (out.result) {
	case MOD_NOT_FOUND:
		store_rollback(e.st);
		fprintf(stderr, "essaim: no entry #%" G_GINT64_FORMAT "\n", id);
		mod_outcome_clear(&out);
		return finish(&e, NULL, EXIT_DATAERR);
	case MOD_ALREADY:
		store_rollback(e.st);
		fprintf(stderr, "essaim: entry #%" G_GINT64_FORMAT " is already %s (by %s on %s)\n",
		    id, out.status, out.decided_by ? out.decided_by : "?",
		    out.decided_at ? out.decided_at : "?");
		mod_outcome_clear(&out);
		return finish(&e, NULL, EXIT_DATAERR);
	case MOD_APPROVED:
		code = "approved";
		break;
	case MOD_REJECTED:
		code = "rejected";
		break;
	case MOD_VOTED:
		code = "vote";
		break;
	default:
		break;
	}
	if ((en = entry_load(e.st, id, &err)) == NULL ||
	    (code && !notify_broadcast(&e, 0, en, code, who, reason, &err))) {
		mod_outcome_clear(&out);
		return finish(&e, err, 0);
	}
	if (out.result == MOD_APPROVED || out.result == MOD_REJECTED) {
		if (!secret_load(&e, &sec, &err) ||
		    !notify_submitter_decision(&e, 0, en, &sec, &told, &err)) {
			mod_outcome_clear(&out);
			return finish(&e, err, 0);
		}
		secret_clear(&sec);
	}
	if (out.result == MOD_APPROVED && e.cfg->after_approval &&
	    !store_state_set(e.st, "publish.requested", "1", &err)) {
		mod_outcome_clear(&out);
		return finish(&e, err, 0);
	}
	if (!store_commit(e.st, &err)) {
		mod_outcome_clear(&out);
		return finish(&e, err, 0);
	}
	if (out.result == MOD_VOTED)
		printf("#%" G_GINT64_FORMAT ": approval recorded (%u of %u); still pending\n", id,
		    out.approvals, out.quorum);
	else
		printf("#%" G_GINT64_FORMAT ": %s; %s, %s\n", id, out.status, told_moderators(e.cfg),
		    told ? "submitter notified" : "submitter not written to (no address, or "
		    "one that refused mail for good)");
	mod_outcome_clear(&out);
	return finish(&e, NULL, 0);
}

/* "--NAME VALUE" or "--NAME=VALUE" at ARGV[*I]: *VALUE, and *I past it. */
static gboolean
option_value(char **argv, int argc, int *i, const char *name, const char **value)
{
	gsize n = strlen(name);

	if (strcmp(argv[*i], name) == 0 && *i + 1 < argc) {
		*value = argv[++*i];
		return TRUE;
	}
	if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=') {
		*value = argv[*i] + n + 1;
		return TRUE;
	}
	return FALSE;
}

/* approve and reject: ID, [--reason TEXT] (reject only), [--as MODERATOR]. */
static int
decide_command(const struct cmd_opts *o, int argc, char **argv, enum reply_cmd cmd,
    const char *usage)
{
	const char *reason = NULL, *as = NULL;
	gint64 id = 0;

	for (int i = 1; i < argc; i++) {
		if ((cmd == REPLY_REJECT && option_value(argv, argc, &i, "--reason", &reason)) ||
		    option_value(argv, argc, &i, "--as", &as))
			;
		else if (id == 0 && cmd_parse_id(argv[i], &id))
			;
		else
			id = -1;
	}
	if (id <= 0) {
		fprintf(stderr, "usage: essaim %s\n", usage);
		return EXIT_USAGE;
	}
	return decide(o, id, cmd, reason, as);
}

int
cmd_approve(const struct cmd_opts *o, int argc, char **argv)
{
	return decide_command(o, argc, argv, REPLY_APPROVE, "approve ID [--as MODERATOR]");
}

int
cmd_reject(const struct cmd_opts *o, int argc, char **argv)
{
	return decide_command(o, argc, argv, REPLY_REJECT,
	    "reject ID [--reason TEXT] [--as MODERATOR]");
}

int
cmd_set(const struct cmd_opts *o, int argc, char **argv)
{
	struct essaim e = { 0 };
	GError *err = NULL;
	g_autofree char *who = operator_name();
	g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GString) text = g_string_new(NULL);
	g_autoptr(entry_t) en = NULL;
	g_autoptr(GPtrArray) changes = corrections_new();
	g_autofree char *changes_text = NULL;
	gboolean reopened = FALSE;
	gint64 id;
	int rc;

	if (argc < 3 || !cmd_parse_id(argv[1], &id)) {
		fprintf(stderr, "usage: essaim set ID KEY=VALUE...\n");
		return EXIT_USAGE;
	}
	/* KEY=VALUE pairs become "key : value" lines read like a correction */
	for (int i = 2; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');

		if (eq == NULL || eq == argv[i] || strchr(argv[i], '\n')) {
			fprintf(stderr, "essaim: '%s' is not KEY=VALUE\n", argv[i]);
			return EXIT_USAGE;
		}
		g_autofree char *key = g_strndup(argv[i], (gsize)(eq - argv[i]));
		const struct schema_field *f = schema_field_by_key(schema_default(), key);

		/* a canonical key is written as its label; a label is taken as is */
		g_string_append_printf(text, "%s : %s\n", f ? schema_field_label(f, SCHEMA_FR) : key,
		    eq + 1);
	}
	if ((rc = cmd_open(&e, o)) != 0) {
		cmd_close(&e);
		return rc;
	}
	if ((en = entry_load(e.st, id, &err)) == NULL) {
		if (err)
			return finish(&e, err, 0);
		fprintf(stderr, "essaim: no entry #%" G_GINT64_FORMAT "\n", id);
		return finish(&e, NULL, EXIT_DATAERR);
	}
	if (strcmp(en->status, "erased") == 0) {
		fprintf(stderr, "essaim: entry #%" G_GINT64_FORMAT " is erased\n", id);
		return finish(&e, NULL, EXIT_DATAERR);
	}
	if (!store_begin(e.st, &err) ||
	    !entry_apply_corrections(&e, id, text->str, "en", who, 0, errors, changes, &reopened,
		&err))
		return finish(&e, err, 0);
	if (errors->len || changes->len == 0) {
		store_rollback(e.st);
		for (guint i = 0; i < errors->len; i++)
			fprintf(stderr, "essaim: %s\n", (char *)errors->pdata[i]);
		if (changes->len == 0 && errors->len == 0)
			fprintf(stderr, "essaim: nothing to change (no known field, or the values "
			    "are the current ones)\n");
		return finish(&e, NULL, EXIT_DATAERR);
	}
	g_clear_pointer(&en, entry_free);
	if ((en = entry_load(e.st, id, &err)) == NULL ||
	    !notify_broadcast_changes(&e, 0, en, reopened ? "reopened" : "corrected", who, NULL,
		changes_text = corrections_text(changes, e.cfg->language), &err) ||
	    !store_commit(e.st, &err))
		return finish(&e, err, 0);
	printf("#%" G_GINT64_FORMAT ": updated; %s\n", id, told_moderators(e.cfg));
	return finish(&e, NULL, 0);
}

int
cmd_remind(const struct cmd_opts *o, int argc, char **argv)
{
	struct essaim e = { 0 };
	GError *err = NULL;
	guint sent = 0;
	int rc;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: essaim remind\n");
		return EXIT_USAGE;
	}
	if ((rc = cmd_open(&e, o)) != 0) {
		cmd_close(&e);
		return rc;
	}
	cmd_flush_summaries(&e);
	if (!store_begin(e.st, &err) || !notify_reminders(&e, &sent, &err) ||
	    !store_commit(e.st, &err))
		return finish(&e, err, 0);
	if (sent)
		printf("reminder queued for %u moderator%s\n", sent, sent == 1 ? "" : "s");
	else
		printf("nothing pending for more than %u days\n", e.cfg->remind_days);
	return finish(&e, NULL, 0);
}
