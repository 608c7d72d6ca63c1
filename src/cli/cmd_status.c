/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * essaim status: what an operator looks at — the outbox backlog, the last
 * fetch and publication, entries per state, recent refusals, forged
 * decisions and answers held back by a cap, the secret's age. Exit 1 when
 * something needs attention (for monitoring).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "store/entry.h"
#include "intake/fetch.h"
#include "base/log.h"
#include "publish/publish.h"
#include "store/events.h"
#include "store/messages.h"
#include "store/outbox_rows.h"
#include "store/sidelog.h"
#include "store/suppressed.h"
#include "moderation/secret.h"

#define DAY 86400
/* Queued mail due for longer than this is a problem. */
#define STUCK_SECONDS 3600
/* Failures this recent need attention. */
#define RECENT_SECONDS (7 * DAY)

struct status {
	JsonBuilder *b;
	GPtrArray *attention;	/* sentences (char *) */
};

/* N, or -1 when the database could not say (OK FALSE). */
static gint64
known(gboolean ok, gint64 n)
{
	return ok ? n : -1;
}

static void
member_int(JsonBuilder *b, const char *name, gint64 v)
{
	json_builder_set_member_name(b, name);
	json_builder_add_int_value(b, v);
}

static void
member_str(JsonBuilder *b, const char *name, const char *v)
{
	json_builder_set_member_name(b, name);
	if (v)
		json_builder_add_string_value(b, v);
	else
		json_builder_add_null_value(b);
}

static void G_GNUC_PRINTF(2, 3)
attention(struct status *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_ptr_array_add(s->attention, g_strdup_vprintf(fmt, ap));
	va_end(ap);
}

/* Rows in 'sending' and in doubt (store/outbox_rows.h), and answers a
 * previous process could not mark (side log). */
static void
doubt_status(struct essaim *e, struct status *s, gint64 now)
{
	g_autofree char *week = store_time(now - RECENT_SECONDS);
	g_autoptr(GPtrArray) unmarked = sidelog_read(e->cfg->database, SIDELOG_SENT, NULL);
	gint64 sending = 0, doubted = 0, twice = 0;

	if (!outbox_rows_doubt_counts(e->st, week, &sending, &doubted, &twice, NULL))
		return;
	member_int(s->b, "sending", sending);
	member_int(s->b, "in_doubt_last_7_days", doubted);
	member_int(s->b, "in_doubt_twice_last_7_days", twice);
	member_int(s->b, "sent_not_marked", unmarked->len);
	if (doubted > 0)
		attention(s, "%" G_GINT64_FORMAT " outgoing mail%s in doubt in the last 7 days "
		    "(a send was cut off between the server's answer and its record): sent once "
		    "more with the same Message-ID, %" G_GINT64_FORMAT " not sent again after a "
		    "second doubt", doubted, doubted == 1 ? " was" : "s were", twice);
	if (unmarked->len > 0)
		attention(s, "%u outgoing mail%s accepted by the server but not yet marked sent "
		    "(the database could not be written): the next essaim send marks %s",
		    unmarked->len, unmarked->len == 1 ? "" : "s", unmarked->len == 1 ? "it" : "them");
}

static void
outbox_status(struct essaim *e, struct status *s, gint64 now)
{
	struct outbox_counts c;

	if (!outbox_rows_counts(e->st, now, now - RECENT_SECONDS, now - STUCK_SECONDS, &c, NULL)) {
		outbox_counts_clear(&c);
		c.due = c.waiting_retry = c.retrying = c.failed = c.failed_recent = -1;
		c.stuck = 0;
	}
	json_builder_set_member_name(s->b, "outbox");
	json_builder_begin_object(s->b);
	member_int(s->b, "due", c.due);
	member_int(s->b, "waiting_retry", c.waiting_retry);
	member_int(s->b, "retrying", c.retrying);
	member_int(s->b, "failed", c.failed);
	member_int(s->b, "failed_last_7_days", c.failed_recent);
	if (c.last_failure_at) {
		member_str(s->b, "last_failure_recipient", c.last_failure_recipient);
		member_str(s->b, "last_failure", c.last_failure);
		member_str(s->b, "last_failure_at", c.last_failure_at);
	}
	doubt_status(e, s, now);
	json_builder_end_object(s->b);
	if (c.failed_recent > 0)
		attention(s, "%" G_GINT64_FORMAT " outgoing mail%s refused for good in the last "
		    "7 days (see the log; essaim send)", c.failed_recent,
		    c.failed_recent == 1 ? "" : "s");
	if (c.stuck > 0)
		attention(s, "%" G_GINT64_FORMAT " outgoing mail%s due for over an hour: is "
		    "`essaim send` (or the daemon) running?", c.stuck, c.stuck == 1 ? "" : "s");
	outbox_counts_clear(&c);
}

static void
state_member(struct essaim *e, JsonBuilder *b, const char *name, const char *key)
{
	g_autofree char *v = store_state_get(e->st, key);

	member_str(b, name, v);
}

static void
fetch_status(struct essaim *e, struct status *s)
{
	g_autofree char *result = store_state_get(e->st, "fetch.last_result");
	g_autofree char *detail = store_state_get(e->st, "fetch.last_detail");

	json_builder_set_member_name(s->b, "fetch");
	json_builder_begin_object(s->b);
	json_builder_set_member_name(s->b, "configured");
	json_builder_add_boolean_value(s->b, fetch_configured(e->cfg));
	state_member(e, s->b, "last_at", "fetch.last_at");
	member_str(s->b, "last_result", result);
	member_str(s->b, "last_detail", detail);
	state_member(e, s->b, "last_ok_at", "fetch.last_ok_at");
	json_builder_end_object(s->b);
	if (fetch_configured(e->cfg) && result && strcmp(result, "ok") != 0)
		attention(s, "the last fetch failed: %s", detail ? detail : result);
}

/* A publication that failed (75) after the last one that worked. */
static void
failed_publication(struct essaim *e, struct status *s)
{
	g_autoptr(GPtrArray) notes = sidelog_read(e->cfg->database, SIDELOG_PUBLISH, NULL);
	g_autofree char *last_run = store_state_get(e->st, PUBLISH_STATE_LAST_RUN);
	g_autoptr(GDateTime) ok_at = last_run ? g_date_time_new_from_iso8601(last_run, NULL) :
	    NULL;
	struct sidelog_note *last = notes->len ? notes->pdata[notes->len - 1] : NULL;
	g_autofree char *at = NULL;

	if (last == NULL || (ok_at && g_date_time_to_unix(ok_at) >= last->at))
		return;
	at = store_time(last->at);
	member_str(s->b, "last_failure_at", at);
	member_str(s->b, "last_failure", last->text);
	attention(s, "the last publication failed (%s): %s; the previous map stays online", at,
	    last->text);
}

static void
publish_status(struct essaim *e, struct status *s)
{
	g_autofree char *pending = store_state_get(e->st, PUBLISH_STATE_UPLOAD_PENDING);
	g_autofree char *upload = store_state_get(e->st, PUBLISH_STATE_UPLOAD);

	json_builder_set_member_name(s->b, "publish");
	json_builder_begin_object(s->b);
	state_member(e, s->b, "last_run", PUBLISH_STATE_LAST_RUN);
	state_member(e, s->b, "last_change", PUBLISH_STATE_LAST_CHANGE);
	state_member(e, s->b, "summary", PUBLISH_STATE_SUMMARY);
	member_str(s->b, "last_upload", upload);
	failed_publication(e, s);
	json_builder_end_object(s->b);
	if (pending && strcmp(pending, "1") == 0)
		attention(s, "the last upload of the map failed: %s", upload ? upload : "?");
}

static void
entries_status(struct essaim *e, struct status *s, gint64 now)
{
	static const char *const states[] = { "pending", "approved", "rejected", "withdrawn",
		"erased" };
	g_autofree char *old = store_time(now - (gint64)e->cfg->remind_days * DAY);
	gint64 n;
	gboolean ok;

	json_builder_set_member_name(s->b, "entries");
	json_builder_begin_object(s->b);
	for (size_t i = 0; i < G_N_ELEMENTS(states); i++) {
		ok = entry_count(e->st, states[i], NULL, &n, NULL);
		member_int(s->b, states[i], known(ok, n));
	}
	ok = entry_count(e->st, "pending", old, &n, NULL);
	member_int(s->b, "pending_over_remind_days", known(ok, n));
	json_builder_end_object(s->b);
}

static void
messages_status(struct essaim *e, struct status *s, gint64 now)
{
	g_autofree char *day = store_time(now - DAY);
	g_autofree char *week = store_time(now - RECENT_SECONDS);
	g_autoptr(GPtrArray) outcomes = messages_outcomes_since(e->st, day, NULL);
	gint64 failed, open;
	gboolean ok;

	ok = messages_count(e->st, "failed", week, NULL, &failed, NULL);
	failed = known(ok, failed);
	ok = messages_count(e->st, NULL, NULL, day, &open, NULL);
	open = known(ok, open);
	json_builder_set_member_name(s->b, "messages_last_24h");
	json_builder_begin_object(s->b);
	for (guint i = 0; outcomes && i < outcomes->len; i++) {
		struct messages_outcome_count *c = outcomes->pdata[i];

		member_int(s->b, c->outcome, c->count);
	}
	json_builder_end_object(s->b);
	member_int(s->b, "messages_failed_last_7_days", failed);
	if (failed > 0)
		attention(s, "%" G_GINT64_FORMAT " message%s could not be processed in the last "
		    "7 days (stored; see the log and essaim list)", failed, failed == 1 ? "" : "s");
	if (open > 0)
		attention(s, "%" G_GINT64_FORMAT " stored message%s still unprocessed after a day "
		    "(a redelivery or essaim fetch resumes them)", open, open == 1 ? "" : "s");
}

/*
 * Who is told of new entries, and what the last day says about trust:
 * moderator decisions refused as forged (events 'forgery',
 * moderation/forgery.h), answers held back by a cap (answers/policy.h) and
 * answers not sent for any reason, auto-replies received (to our mail,
 * mostly). The first two need attention: someone forges decisions, or a
 * flood (or caps too low) silences answers people wait for.
 */
static void
trust_status(struct essaim *e, struct status *s, gint64 now)
{
	g_autofree char *day = store_time(now - DAY);
	guint moderators = e->cfg->moderators ? g_strv_length(e->cfg->moderators) : 0;
	gint64 forged, capped, suppressed, auto_replies;
	gboolean ok;

	ok = events_count_since(e->st, "forgery", day, &forged, NULL);
	forged = known(ok, forged);
	ok = suppressed_count_since(e->st, day, TRUE, &capped, NULL);
	capped = known(ok, capped);
	ok = suppressed_count_since(e->st, day, FALSE, &suppressed, NULL);
	suppressed = known(ok, suppressed);
	ok = messages_count(e->st, "auto_reply", day, NULL, &auto_replies, NULL);
	auto_replies = known(ok, auto_replies);
	json_builder_set_member_name(s->b, "moderation");
	json_builder_begin_object(s->b);
	member_int(s->b, "moderators", moderators);
	if (moderators == 0)
		member_str(s->b, "notice", "nobody is told of new entries: no moderator "
		    "configured ([moderation] moderators)");
	member_int(s->b, "forged_decisions_refused_last_24h", forged);
	json_builder_end_object(s->b);
	json_builder_set_member_name(s->b, "answers_last_24h");
	json_builder_begin_object(s->b);
	member_int(s->b, "suppressed_by_caps", capped);
	/* with those not sent to robots, lists, bounced addresses... */
	member_int(s->b, "suppressed", suppressed);
	member_int(s->b, "auto_replies_received", auto_replies);
	json_builder_end_object(s->b);
	if (forged > 0)
		attention(s, "%" G_GINT64_FORMAT " forged moderator decision%s refused in the last "
		    "24 hours (a reply whose token or sender did not check out; see essaim show "
		    "for the entries' history)", forged, forged == 1 ? "" : "s");
	if (capped > 0)
		attention(s, "%" G_GINT64_FORMAT " answer%s not sent in the last 24 hours because "
		    "a cap was reached (max_answers_per_sender_per_day, max_answers_per_hour): a "
		    "flood, or caps too low", capped, capped == 1 ? "" : "s");
}

/* Refusals (exit 75) of ingest, from the side log beside the database
 * (a full disk cannot hide them). */
static void
tempfail_status(struct essaim *e, struct status *s, gint64 now)
{
	gint64 total = 0;
	g_autoptr(GPtrArray) notes = sidelog_read(e->cfg->database, SIDELOG_INGEST, &total);
	struct sidelog_note *last = NULL;
	gint64 n = 0;

	for (guint i = 0; i < notes->len; i++) {
		struct sidelog_note *note = notes->pdata[i];

		if (note->at >= now - RECENT_SECONDS) {
			n++;
			last = note;
		}
	}
	json_builder_set_member_name(s->b, "refused_75_last_7_days");
	json_builder_begin_object(s->b);
	member_int(s->b, "count", n);
	member_int(s->b, "count_ever", total);
	if (last) {
		g_autofree char *at = store_time(last->at);
		member_str(s->b, "last_at", at);
		member_str(s->b, "last_reason", last->text);
	}
	json_builder_end_object(s->b);
	if (n > 0 && last->at >= now - DAY)
		attention(s, "ingest refused mail (exit 75, the MTA retries) %" G_GINT64_FORMAT
		    " time%s in the last 7 days, last: %s", n, n == 1 ? "" : "s", last->text);
}

/* What the Maildir intake moved aside (not a regular file: FIFO, link...). */
static void
quarantine_status(struct essaim *e, struct status *s)
{
	g_autofree char *dir = NULL;
	g_autoptr(GDir) d = NULL;
	gint64 n = 0;

	if (e->cfg->maildir == NULL)
		return;
	dir = g_build_filename(e->cfg->maildir, "quarantine", NULL);
	if ((d = g_dir_open(dir, 0, NULL)) != NULL)
		while (g_dir_read_name(d))
			n++;
	json_builder_set_member_name(s->b, "maildir");
	json_builder_begin_object(s->b);
	member_int(s->b, "quarantined", n);
	member_str(s->b, "quarantine", dir);
	json_builder_end_object(s->b);
	if (n > 0)
		attention(s, "%" G_GINT64_FORMAT " file%s of the Maildir %s not mail (FIFO, link, "
		    "folder...): moved to %s; look and remove", n, n == 1 ? " is" : "s are", dir,
		    dir);
}

static void
secret_status(struct essaim *e, struct status *s, gint64 now)
{
	struct secret sec;
	g_autoptr(GError) err = NULL;
	g_autofree char *used = store_state_get(e->st, SECRET_STATE_USED);

	json_builder_set_member_name(s->b, "secret");
	json_builder_begin_object(s->b);
	member_str(s->b, "first_used", used);
	/* never create it here: status only looks */
	if (!secret_read(e->cfg->secret_file, &sec, &err)) {
		if (g_error_matches(err, SECRET_ERROR, SECRET_ERROR_MISSING) && used == NULL)
			member_str(s->b, "state", "not created yet (made on first use)");
		else if (g_error_matches(err, SECRET_ERROR, SECRET_ERROR_MISSING)) {
			member_str(s->b, "state", "missing");
			attention(s, "the secret file %s is missing, but tokens were made with it "
			    "since %s: mail waits (exit 75) until it is restored from a backup",
			    e->cfg->secret_file, used);
		} else {
			member_str(s->b, "state", err->message);
			attention(s, "the secret cannot be read: %s; mail waits (exit 75) until "
			    "it is restored", err->message);
		}
	} else {
		member_str(s->b, "state", "ok");
		member_int(s->b, "age_days", (now - sec.created_at) / DAY);
		json_builder_set_member_name(s->b, "previous_key_valid");
		json_builder_add_boolean_value(s->b, sec.has_previous && now <= sec.previous_until);
		secret_clear(&sec);
	}
	json_builder_end_object(s->b);
}

static void
print_text(JsonObject *o, int depth)
{
	GList *members = json_object_get_members(o);

	for (GList *l = members; l; l = l->next) {
		JsonNode *n = json_object_get_member(o, l->data);

		printf("%*s%s:", depth * 2, "", (const char *)l->data);
		if (JSON_NODE_HOLDS_OBJECT(n)) {
			putchar('\n');
			print_text(json_node_get_object(n), depth + 1);
		} else if (JSON_NODE_HOLDS_ARRAY(n)) {
			JsonArray *a = json_node_get_array(n);
			putchar('\n');
			for (guint i = 0; i < json_array_get_length(a); i++)
				printf("%*s- %s\n", depth * 2 + 2, "",
				    json_array_get_string_element(a, i));
		} else if (JSON_NODE_HOLDS_NULL(n))
			printf(" -\n");
		else if (json_node_get_value_type(n) == G_TYPE_STRING)
			printf(" %s\n", json_node_get_string(n));
		else if (json_node_get_value_type(n) == G_TYPE_BOOLEAN)
			printf(" %s\n", json_node_get_boolean(n) ? "yes" : "no");
		else
			printf(" %" G_GINT64_FORMAT "\n", json_node_get_int(n));
	}
	g_list_free(members);
}

int
cmd_status(const struct cmd_opts *o, int argc, char **argv)
{
	struct essaim e = { 0 };
	struct status s = { 0 };
	gboolean json = FALSE;
	gint64 now = config_now();
	g_autoptr(JsonNode) root = NULL;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = TRUE;
		else {
			fprintf(stderr, "usage: essaim status [--json]\n");
			return EXIT_USAGE;
		}
	}
	if ((rc = cmd_open(&e, o)) != 0) {
		cmd_close(&e);
		return rc;
	}
	s.b = json_builder_new();
	s.attention = g_ptr_array_new_with_free_func(g_free);
	json_builder_begin_object(s.b);
	member_str(s.b, "database", e.cfg->database);
	outbox_status(&e, &s, now);
	fetch_status(&e, &s);
	publish_status(&e, &s);
	entries_status(&e, &s, now);
	messages_status(&e, &s, now);
	trust_status(&e, &s, now);
	tempfail_status(&e, &s, now);
	quarantine_status(&e, &s);
	secret_status(&e, &s, now);
	json_builder_set_member_name(s.b, "attention");
	json_builder_begin_array(s.b);
	for (guint i = 0; i < s.attention->len; i++)
		json_builder_add_string_value(s.b, s.attention->pdata[i]);
	json_builder_end_array(s.b);
	json_builder_end_object(s.b);
	root = json_builder_get_root(s.b);
	if (json) {
		g_autofree char *text = entry_json_text(root, TRUE);
		printf("%s\n", text);
	} else {
		print_text(json_node_get_object(root), 0);
		if (s.attention->len == 0)
			printf("all well\n");
	}
	rc = s.attention->len ? 1 : 0;
	g_object_unref(s.b);
	g_ptr_array_free(s.attention, TRUE);
	cmd_close(&e);
	return rc;
}
