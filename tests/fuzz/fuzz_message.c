/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target for the whole per-message path: the input is read by
 * intake_read_fd() (mbox line, size limit), then intake_process() stores it
 * and process_message() does whatever it does today (classification, form,
 * moderation commands, answers queued), on one in-memory database reused
 * across iterations and emptied before each input, so that a crash replays
 * from its input alone.
 *
 * One input may hold up to FUZZ_MESSAGES_MAX messages separated by the line
 * "%%next%%": a form followed by a moderator's reply reaches the decision
 * code. In each message "@@MTOKEN@@" becomes a valid moderator token for
 * entry 1 and "moderatrice@ssa.example", "@@STOKEN@@" a valid submitter token
 * for entry 1 and "claire@example.org", so that the fuzzer need not forge
 * HMACs.
 *
 * Replay one input without libFuzzer's loop:
 *   build/fuzz/fuzz_message tests/data/fuzz-regressions/<file>
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "store/essaim.h"
#include "intake/intake.h"
#include "base/log.h"
#include "mail/message.h"
#include "moderation/secret.h"
#include "moderation/token.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);
void fuzz_message_teardown(void);

#define FUZZ_MESSAGES_MAX 4
/* Smaller than the real default so that the too-large path is reached by
 * inputs libFuzzer can build (run.sh: -max_len=20000). */
#define FUZZ_MESSAGE_MAX (12u * 1024u)
#define FUZZ_SEPARATOR "\n%%next%%\n"
#define FUZZ_MODERATOR "moderatrice@ssa.example"
#define FUZZ_SUBMITTER "claire@example.org"
/* A fixed "now", so that tokens and dates do not depend on the day. */
#define FUZZ_NOW "1772359200" /* 2026-03-01T10:00:00Z */

static struct essaim fz;
static struct secret fz_secret;
static GPtrArray *fz_tables;
static int fz_fd = -1;

static void
die(const char *what, const GError *err)
{
	fprintf(stderr, "fuzz_message: %s: %s\n", what,
	    err ? err->message : fz.st ? sqlite3_errmsg(fz.st->db) : g_strerror(errno));
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) problems = config_problems_new();
	g_autofree char *dir = NULL;
	g_autofree char *conf = NULL;
	g_autofree char *text = NULL;
	sqlite3_stmt *s = NULL;

	(void)argc;
	(void)argv;
	g_setenv("ESSAIM_NOW", FUZZ_NOW, TRUE);
	/* no /dev/log here: warnings about odd messages are dropped, not printed */
	log_init("essaim-fuzz", LOGTO_SYSLOG, 0);
	message_init();
	dir = g_dir_make_tmp("essaim-fuzz-XXXXXX", &err);
	if (dir == NULL)
		die("cannot create a temporary folder", err);
	g_setenv("XDG_DATA_HOME", dir, TRUE);
	conf = g_build_filename(dir, "essaim.conf", NULL);
	text = g_strdup_printf("[essaim]\n"
			       "database = %s/essaim.db\n"
			       "address = dynamiques@ssa.example\n"
			       "secret_file = %s/secret\n"
			       "humans = humains@ssa.example\n"
			       "own_list_ids = dynamiques.ssa.example\n"
			       "[moderation]\n"
			       "moderators = " FUZZ_MODERATOR ";second@ssa.example\n"
			       "quorum_groupe = 2\n"
			       "[mail]\n"
			       "transport = maildir:%s/outbox\n",
	    dir, dir, dir);
	if (!g_file_set_contents(conf, text, -1, &err))
		die("cannot write the configuration", err);
	fz.cfg = config_load(conf, problems);
	if (fz.cfg == NULL || config_problems_fatal(problems)) {
		for (guint i = 0; i < problems->len; i++)
			fprintf(stderr, "fuzz_message: %s\n",
			    ((struct config_problem *)problems->pdata[i])->text);
		die("bad configuration", NULL);
	}
	fz.cfg->max_message_bytes = FUZZ_MESSAGE_MAX;
	if (!secret_read_or_create(fz.cfg->secret_file, &fz_secret, &err))
		die("cannot create the secret", err);
	fz.st = store_open(":memory:", 1, &err);
	if (fz.st == NULL)
		die("cannot open the database", err);
	/* every table, emptied before each input */
	fz_tables = g_ptr_array_new_with_free_func(g_free);
	if (sqlite3_prepare_v2(fz.st->db,
		"SELECT name FROM sqlite_schema WHERE type = 'table'"
		" AND name NOT LIKE 'sqlite_%'", -1, &s, NULL) != SQLITE_OK)
		die("cannot list tables", NULL);
	while (sqlite3_step(s) == SQLITE_ROW)
		g_ptr_array_add(fz_tables,
		    g_strdup_printf("DELETE FROM \"%s\"", (const char *)sqlite3_column_text(s, 0)));
	sqlite3_finalize(s);
	fz_fd = memfd_create("essaim-fuzz-message", 0);
	if (fz_fd == -1)
		die("memfd_create", NULL);
	return 0;
}

static void
reset_database(void)
{
	/* tables point at each other (message_raw → messages): check at commit */
	if (sqlite3_exec(fz.st->db, "BEGIN; PRAGMA defer_foreign_keys = ON", NULL, NULL,
		NULL) != SQLITE_OK)
		die("cannot empty the database", NULL);
	for (guint i = 0; i < fz_tables->len; i++)
		if (sqlite3_exec(fz.st->db, fz_tables->pdata[i], NULL, NULL, NULL) != SQLITE_OK)
			die("cannot empty the database", NULL);
	if (sqlite3_exec(fz.st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die("cannot empty the database", NULL);
}

/* MSG with the token placeholders replaced by real tokens. */
static GString *
with_tokens(const guint8 *msg, gsize len)
{
	gint64 expires = g_ascii_strtoll(FUZZ_NOW, NULL, 10) + 7 * 86400;
	g_autofree char *mtok = token_make(&fz_secret, 1, FUZZ_MODERATOR, TOKEN_MODERATOR,
	    expires);
	g_autofree char *stok = token_make(&fz_secret, 1, FUZZ_SUBMITTER, TOKEN_SUBMITTER,
	    expires);
	GString *out = g_string_new_len((const char *)msg, (gssize)len);

	g_string_replace(out, "@@MTOKEN@@", mtok, 0);
	g_string_replace(out, "@@STOKEN@@", stok, 0);
	return out;
}

/* An acknowledged message has an outcome: none stays 'received'. */
static void
check_outcome(gint64 rowid)
{
	sqlite3_stmt *s = NULL;
	const char *outcome;

	if (sqlite3_prepare_v2(fz.st->db, "SELECT outcome FROM messages WHERE id = ?1", -1, &s,
		NULL) != SQLITE_OK)
		die("cannot read the outcome", NULL);
	sqlite3_bind_int64(s, 1, rowid);
	if (sqlite3_step(s) != SQLITE_ROW)
		die("acknowledged message not in the database", NULL);
	outcome = (const char *)sqlite3_column_text(s, 0);
	if (outcome == NULL || strcmp(outcome, "received") == 0 ||
	    strcmp(outcome, "too_large_pending") == 0) {
		fprintf(stderr, "fuzz_message: message %" G_GINT64_FORMAT " left as '%s'\n", rowid,
		    outcome ? outcome : "NULL");
		abort();
	}
	sqlite3_finalize(s);
}

/* One message through the real reader and the real path. */
static void
one_message(const guint8 *msg, gsize len)
{
	g_autoptr(GString) text = with_tokens(msg, len);
	g_autoptr(GError) err = NULL;
	struct intake_msg im = { 0 };
	gint64 rowid = 0;

	if (ftruncate(fz_fd, 0) == -1 || pwrite(fz_fd, text->str, text->len, 0) != (ssize_t)text->len ||
	    lseek(fz_fd, 0, SEEK_SET) == -1)
		die("cannot write the memfd", NULL);
	if (!intake_read_fd(fz_fd, fz.cfg->max_message_bytes, &im, &err))
		die("cannot read the memfd", err);
	im.source = "stdin";
	/* an in-memory database is never busy nor full: a temporary failure
	 * here is a bug in the path */
	if (intake_process(&fz, &im, &rowid, &err) == INTAKE_TEMPFAIL)
		die("temporary failure on an in-memory database", err);
	if (rowid <= 0)
		die("message acknowledged without a row", NULL);
	check_outcome(rowid);
	intake_msg_clear(&im);
}

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
	const guint8 *p = data, *end = data + size;
	const gsize seplen = sizeof(FUZZ_SEPARATOR) - 1;

	reset_database();
	for (int n = 0; n < FUZZ_MESSAGES_MAX; n++) {
		const guint8 *next = memmem(p, (size_t)(end - p), FUZZ_SEPARATOR, seplen);

		if (next == NULL || n == FUZZ_MESSAGES_MAX - 1) {
			one_message(p, (gsize)(end - p));
			break;
		}
		one_message(p, (gsize)(next - p));
		p = next + seplen;
	}
	return 0;
}

/* For the replay test (tests/unit/test_fuzz_regressions.c): free it all. */
void
fuzz_message_teardown(void)
{
	g_autofree char *dir = g_path_get_dirname(fz.cfg->secret_file);
	const char *names[] = { "secret", "essaim.conf" };

	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree char *p = g_build_filename(dir, names[i], NULL);
		g_unlink(p);
	}
	g_rmdir(dir);
	g_clear_pointer(&fz_tables, g_ptr_array_unref);
	g_clear_pointer(&fz.st, store_close);
	g_clear_pointer(&fz.cfg, config_free);
	secret_clear(&fz_secret);
	if (fz_fd != -1)
		close(fz_fd);
	fz_fd = -1;
}
