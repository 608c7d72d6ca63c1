/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for src/moderation/moderation.c and src/store/entry.c: quorum, atomic decisions,
 * withdrawal, erasure. */
#include "testutil.h"

#include <glib/gstdio.h>
#include <string.h>

#include "store/entry.h"
#include "moderation/erasure.h"
#include "moderation/moderation.h"
#include "moderation/notify.h"
#include "base/template.h"

static int
setup(void **state)
{
	struct fixture *f = test_fixture_new("mod");

	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	test_fixture_free(*state);
	return 0;
}

static gint64
new_entry(struct essaim *e, const char *type, const char *submitter)
{
	g_autoptr(GPtrArray) fields = g_ptr_array_new();
	gint64 id;

	g_ptr_array_add(fields, "nom");
	g_ptr_array_add(fields, "Au Maquis !");
	g_ptr_array_add(fields, "referent");
	g_ptr_array_add(fields, strcmp(submitter, "camille@example.org") == 0 ? "Camille Martin" :
	    "Dominique Autre");
	g_ptr_array_add(fields, "courriel_referent");
	g_ptr_array_add(fields, (gpointer)submitter);
	assert_true(store_begin(e->st, NULL));
	id = entry_insert(e->st, type, submitter, "fr", fields, NULL);
	assert_true(id > 0);
	assert_true(store_commit(e->st, NULL));
	return id;
}

static enum mod_result
decide(struct essaim *e, gint64 id, const char *who, enum reply_cmd cmd, const char *arg)
{
	struct mod_outcome o;
	g_autoptr(GError) err = NULL;
	enum mod_result r;

	assert_true(store_begin(e->st, NULL));
	assert_true(moderation_decide(e, id, who, cmd, arg, 0, &o, &err));
	assert_true(store_commit(e->st, NULL));
	r = o.result;
	mod_outcome_clear(&o);
	return r;
}

static const char *
status_of(struct essaim *e, gint64 id)
{
	static char buf[32];
	g_autoptr(entry_t) en = entry_load(e->st, id, NULL);

	g_strlcpy(buf, en ? en->status : "(none)", sizeof(buf));
	return buf;
}

static void
test_quorum_initiative(void **state)
{
	struct fixture *f = *state;
	gint64 id = new_entry(&f->e, "initiative", "a@example.org");

	assert_int_equal(decide(&f->e, id, "m1@ssa.example", REPLY_APPROVE, NULL), MOD_APPROVED);
	assert_string_equal(status_of(&f->e, id), "approved");
	/* a second decision is "already decided" */
	assert_int_equal(decide(&f->e, id, "m2@ssa.example", REPLY_REJECT, "non"), MOD_ALREADY);
	assert_string_equal(status_of(&f->e, id), "approved");
}

static void
test_quorum_groupe(void **state)
{
	struct fixture *f = *state;
	gint64 id = new_entry(&f->e, "groupe", "g@example.org");

	assert_int_equal(decide(&f->e, id, "m1@ssa.example", REPLY_APPROVE, NULL), MOD_VOTED);
	/* the same moderator again does not make two */
	assert_int_equal(decide(&f->e, id, "M1@ssa.example", REPLY_APPROVE, NULL), MOD_VOTED);
	assert_string_equal(status_of(&f->e, id), "pending");
	assert_int_equal(decide(&f->e, id, "m2@ssa.example", REPLY_HOLD, NULL), MOD_HELD);
	assert_int_equal(decide(&f->e, id, "m3@ssa.example", REPLY_APPROVE, NULL), MOD_APPROVED);
	assert_string_equal(status_of(&f->e, id), "approved");
}

static void
test_reject_and_note(void **state)
{
	struct fixture *f = *state;
	gint64 id = new_entry(&f->e, "groupe", "g@example.org");
	g_autoptr(entry_t) en = NULL;

	assert_int_equal(decide(&f->e, id, "m1@ssa.example", REPLY_APPROVE, NULL), MOD_VOTED);
	assert_int_equal(decide(&f->e, id, "m2@ssa.example", REPLY_NOTE, "je les connais"), MOD_NOTED);
	assert_int_equal(decide(&f->e, id, "m2@ssa.example", REPLY_REJECT, "hors charte"), MOD_REJECTED);
	en = entry_load(f->e.st, id, NULL);
	assert_string_equal(en->status, "rejected");
	assert_string_equal(en->reason, "hors charte");
	assert_string_equal(en->decided_by, "m2@ssa.example");
	assert_int_equal(decide(&f->e, id, "m3@ssa.example", REPLY_APPROVE, NULL), MOD_ALREADY);
}

static void
test_withdraw_reopen(void **state)
{
	struct fixture *f = *state;
	gint64 id = new_entry(&f->e, "initiative", "a@example.org");
	struct mod_outcome o;
	gboolean reopened;

	assert_int_equal(decide(&f->e, id, "m1@ssa.example", REPLY_APPROVE, NULL), MOD_APPROVED);
	assert_true(moderation_content_changed(&f->e, id, "a@example.org", 0, &reopened, NULL));
	assert_true(reopened);
	assert_string_equal(status_of(&f->e, id), "pending");
	/* new round: the earlier approval does not count */
	{
		g_autoptr(entry_t) en = entry_load(f->e.st, id, NULL);
		assert_int_equal(en->round, 1);
	}
	assert_true(moderation_withdraw(&f->e, id, "a@example.org", 0, &o, NULL));
	assert_int_equal(o.result, MOD_WITHDRAWN);
	mod_outcome_clear(&o);
	/* a withdrawn entry can no longer be approved */
	assert_int_equal(decide(&f->e, id, "m1@ssa.example", REPLY_APPROVE, NULL), MOD_ALREADY);
	assert_string_equal(status_of(&f->e, id), "withdrawn");
}

static void
test_erase(void **state)
{
	struct fixture *f = *state;
	gint64 id = new_entry(&f->e, "initiative", "camille@example.org");
	gint64 other = new_entry(&f->e, "initiative", "autre@example.org");
	guint n = 0;
	g_autoptr(sqlite3_stmt) s = NULL;

	assert_true(store_begin(f->e.st, NULL));
	assert_int_equal(sqlite3_exec(f->e.st->db,
	    "INSERT INTO messages(message_id, from_addr, sha256, received_at, source, size,"
	    " subject, outcome) VALUES ('m1@x', 'camille@example.org', 'aa', 't', 'stdin', 3,"
	    " 'Camille Martin', 'submitted');"
	    "INSERT INTO message_raw(id, raw) VALUES (last_insert_rowid(), 'raw')", NULL, NULL,
	    NULL), SQLITE_OK);
	assert_true(moderation_erase_address(&f->e, "Camille@Example.org", "operator", &n, NULL));
	assert_true(store_commit(f->e.st, NULL));
	assert_int_equal(n, 1);
	assert_string_equal(status_of(&f->e, id), "erased");
	assert_string_equal(status_of(&f->e, other), "pending");
	/* no trace of the address or the name in the database */
	s = store_prepare(f->e.st, "SELECT count(*) FROM entry_fields WHERE value LIKE '%Camille%'"
	    " OR value LIKE '%camille%'", NULL);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 0);
	g_clear_pointer(&s, sqlite3_finalize);
	s = store_prepare(f->e.st, "SELECT count(*) FROM messages WHERE from_addr LIKE '%camille%'"
	    " OR raw IS NOT NULL OR subject IS NOT NULL"
	    " OR id IN (SELECT id FROM message_raw)", NULL);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 0);
}

/* The flags in words: one text per kind, the rule said once, then a line
 * per entry met (a new group in a dense area meets a dozen others); one
 * entry met keeps the sentence that names it. */
static void
test_flags_in_words(void **state)
{
	struct fixture *f = *state;
	gint64 id = new_entry(&f->e, "groupe", "camille@example.org");
	g_autoptr(entry_t) en = NULL;
	g_autoptr(template_t) t = template_parse("{{#each flags}}[{{text}}]{{/each}}", NULL);
	static const char *const want[][2] = {
		{ "en", "[3 local groups already exist on this territory. The charter asks for one "
		    "local group per territory: overlapping groups must coordinate.\n"
		    "      #12 \"SSA Nord\" (40000)\n      #14 \"SSA Sud\" (40000)\n"
		    "      #15 \"SSA Est\" (3.2 km)]"
		    "[Possible duplicate of entry #9 \"Au Maquis\" (Lauris).]" },
		{ "fr", "[3 groupes locaux existent déjà sur ce territoire. La charte demande un "
		    "seul groupe local par territoire : les groupes qui se recoupent doivent se "
		    "coordonner.\n      n° 12 « SSA Nord » (40000)\n      n° 14 « SSA Sud » (40000)\n"
		    "      n° 15 « SSA Est » (3.2 km)]"
		    "[Doublon possible de l'inscription n° 9 « Au Maquis » (Lauris).]" },
	};

	assert_true(store_begin(f->e.st, NULL));
	assert_true(entry_set_flags(f->e.st, id, "["
	    "{\"flag\":\"territory_conflict\",\"other\":12,\"other_nom\":\"SSA Nord\",\"why\":\"40000\"},"
	    "{\"flag\":\"possible_duplicate\",\"other\":9,\"other_nom\":\"Au Maquis\",\"why\":\"Lauris\"},"
	    "{\"flag\":\"territory_conflict\",\"other\":14,\"other_nom\":\"SSA Sud\",\"why\":\"40000\"},"
	    "{\"flag\":\"territory_conflict\",\"other\":15,\"other_nom\":\"SSA Est\",\"why\":\"3.2 km\","
	    "\"distance_km\":3.2}]", NULL));
	assert_true(store_commit(f->e.st, NULL));
	en = entry_load(f->e.st, id, NULL);
	assert_non_null(en);
	assert_non_null(t);
	for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
		g_autoptr(tvars_t) v = tvars_new();
		g_autoptr(GError) err = NULL;
		g_autofree char *got = NULL;

		notify_entry_vars(v, en, want[i][0], FALSE);
		got = template_render(t, v, &err);
		assert_non_null(got);
		if (strcmp(got, want[i][1]) != 0)
			fail_msg("%s:\n%s\nwant:\n%s", want[i][0], got, want[i][1]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_quorum_initiative, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quorum_groupe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reject_and_note, setup, teardown),
		cmocka_unit_test_setup_teardown(test_withdraw_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_erase, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flags_in_words, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
