/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Tests of src/store/candidates.c: the entries the charter rules compare
 * with are those sharing a key, or the groups of the box around a point,
 * pending or approved only; each query is answered through an index (its
 * plan has no scan and no temporary b-tree); the cells follow a group that
 * moves or is decided, with the copies of its compared fields (entry_cells);
 * the resubmission is the same sender's unvoted
 * pending entry with a similar name.
 */
#include "testutil.h"

#include <string.h>

#include "store/candidates.h"
#include "store/entry.h"

static gint64
add(struct store *st, const char *type, const char *nom, const char *commune, const char *cp,
    double lat, double lon)
{
	g_autoptr(GPtrArray) f = g_ptr_array_new();
	g_autoptr(GError) err = NULL;
	gint64 id;

	g_ptr_array_add(f, (gpointer)"nom");
	g_ptr_array_add(f, (gpointer)nom);
	g_ptr_array_add(f, (gpointer)"commune");
	g_ptr_array_add(f, (gpointer)commune);
	g_ptr_array_add(f, (gpointer)"code_postal");
	g_ptr_array_add(f, (gpointer)cp);
	id = entry_insert(st, type, "a@example.org", "fr", f, &err);
	assert_true(id > 0);
	assert_true(entry_set_location(st, id, TRUE, lat, lon, "commune", &err));
	return id;
}

/* The ids of entry_candidates(), "1,2,3". */
static char *
ids(struct store *st, gint64 id, gboolean groups, const struct candidate_box *box)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) a = entry_candidates(st, id, groups, box, &err);
	GString *s = g_string_new(NULL);

	assert_non_null(a);
	for (guint i = 0; i < a->len; i++) {
		const struct candidate *c = a->pdata[i];
		g_string_append_printf(s, "%s%" G_GINT64_FORMAT, s->len ? "," : "", c->id);
	}
	return g_string_free(s, FALSE);
}

static void
run(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

static void
test_candidates_found(void **state)
{
	struct fixture *f = test_fixture_new("candidates");
	struct store *st = f->e.st;
	struct candidate_box box = { 43.51, 43.69, 3.75, 4.0, 0, 0, 0 };
	gint64 self, same_name, same_commune, near, far, rejected, init_near, init_same, corner;

	(void)state;
	self = add(st, "groupe", "Caisse de Montpellier", "Montpellier", "34000", 43.6, 3.88);
	same_name = add(st, "initiative", "Caisse  de montpellier", "Sète", "34200", 43.4, 3.7);
	same_commune = add(st, "groupe", "Autre", "Montpellier", "34090", 43.2, 3.1);
	near = add(st, "groupe", "Voisin", "Castelnau-le-Lez", "34170", 43.63, 3.9);
	far = add(st, "groupe", "Loin", "Lyon", "69001", 45.76, 4.83);
	rejected = add(st, "groupe", "Refusé", "Lattes", "34970", 43.57, 3.87);
	init_near = add(st, "initiative", "Épicerie", "Lattes", "34970", 43.57, 3.87);
	/* an initiative of the same commune and postcode: only a name or a
	 * referent makes it a candidate of a group */
	init_same = add(st, "initiative", "Marché", "Montpellier", "34000", 43.61, 3.87);
	run(st->db, "UPDATE entries SET status = 'rejected' WHERE id = 6");
	(void)far; (void)rejected; (void)init_near; (void)init_same;

	g_autofree char *as_group = ids(st, self, TRUE, &box);
	g_autofree char *want = g_strdup_printf("%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
	    ",%" G_GINT64_FORMAT, same_name, same_commune, near);
	assert_string_equal(as_group, want);
	/* not a group: the name and the referent only */
	g_autofree char *as_initiative = ids(st, self, FALSE, &box);
	g_autofree char *want1 = g_strdup_printf("%" G_GINT64_FORMAT, same_name);
	assert_string_equal(as_initiative, want1);

	/* what each shares, and a group of the box read from entry_cells as
	 * its entries row says: its point and the precision of it (kept by
	 * the triggers of migration 11) */
	{
		g_autoptr(GError) err = NULL;
		g_autoptr(GPtrArray) a = entry_candidates(st, self, TRUE, &box, &err);
		const struct candidate *n;

		assert_non_null(a);
		assert_int_equal(a->len, 3);
		assert_int_equal(((struct candidate *)a->pdata[0])->shared, CANDIDATE_SAME_NOM);
		assert_int_equal(((struct candidate *)a->pdata[1])->shared,
		    CANDIDATE_SAME_COMMUNE);
		n = a->pdata[2];
		assert_int_equal(n->id, near);
		assert_int_equal(n->shared, 0);
		assert_string_equal(n->type, "groupe");
		assert_true(n->has_point);
		assert_true(n->lat == 43.63 && n->lon == 3.9);
		assert_string_equal(n->precision, "commune");
		assert_string_equal(n->nom, "Voisin");
		assert_string_equal(n->commune, "Castelnau-le-Lez");
		assert_string_equal(n->cp, "34170");
		assert_null(n->referent);
		/* the copies of its fields in entry_cells follow every write of
		 * them, through essaim or sqlite3 */
		run(st->db, "UPDATE entries SET geo_precision = 'postcode' WHERE id = 4");
		{
			g_autoptr(GPtrArray) pairs = g_ptr_array_new();

			g_ptr_array_add(pairs, (gpointer)"nom");
			g_ptr_array_add(pairs, (gpointer)"Voisin bis");
			g_ptr_array_add(pairs, (gpointer)"courriel_referent");
			g_ptr_array_add(pairs, (gpointer)"r@example.org");
			assert_true(entry_set_fields(st, near, pairs, &err));
		}
		run(st->db, "DELETE FROM entry_fields WHERE entry_id = 4 AND key = 'code_postal';"
		    " UPDATE entry_fields SET value = 'Castelnau' WHERE entry_id = 4"
		    " AND key = 'commune'");
		g_ptr_array_unref(g_steal_pointer(&a));
		a = entry_candidates(st, self, TRUE, &box, &err);
		assert_non_null(a);
		n = a->pdata[2];
		assert_string_equal(n->precision, "postcode");
		assert_string_equal(n->nom, "Voisin bis");
		assert_string_equal(n->commune, "Castelnau");
		assert_null(n->cp);
		assert_string_equal(n->referent, "r@example.org");
		run(st->db, "UPDATE entries SET geo_precision = 'commune' WHERE id = 4");
	}

	/* a group moved away leaves the box; one approved again comes back */
	run(st->db, "UPDATE entries SET lat = 48.85, lon = 2.35 WHERE id = 4");
	g_autofree char *moved = ids(st, self, TRUE, &box);
	g_autofree char *want2 = g_strdup_printf("%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT,
	    same_name, same_commune);
	assert_string_equal(moved, want2);
	run(st->db, "UPDATE entries SET status = 'approved' WHERE id = 6");
	g_autofree char *back = ids(st, self, TRUE, &box);
	g_autofree char *want3 = g_strdup_printf("%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
	    ",%" G_GINT64_FORMAT, same_name, same_commune, rejected);
	assert_string_equal(back, want3);
	run(st->db, "DELETE FROM entry_keys WHERE entry_id = 6; DELETE FROM entry_fields"
	    " WHERE entry_id = 6; DELETE FROM entries WHERE id = 6");
	assert_int_equal(sqlite3_changes(st->db), 1);
	g_autofree char *gone = ids(st, self, TRUE, &box);
	assert_string_equal(gone, want2);

	/* a group in the box's corner, 12.6 km away: found in the box, left
	 * out within a radius of 10 km */
	corner = add(st, "groupe", "Coin", "Clapiers", "34830", 43.68, 3.99);
	g_autofree char *boxed = ids(st, self, TRUE, &box);
	g_autofree char *want4 = g_strdup_printf("%s,%" G_GINT64_FORMAT, want2, corner);
	assert_string_equal(boxed, want4);
	box.lat = 43.6;
	box.lon = 3.88;
	box.km = 10.0;
	g_autofree char *round = ids(st, self, TRUE, &box);
	assert_string_equal(round, want2);
	test_fixture_free(f);
}

/* Every candidate query is a search through an index by equality: no SCAN
 * of a table, no temporary b-tree, no range (a band of latitude grows with
 * the data), whatever the database holds; but for the box, which reads the
 * few cells of one row of a tenth of a degree, next to each other in the
 * primary key of entry_cells, as one range of it. */
static void
test_candidates_plans(void **state)
{
	struct fixture *f = test_fixture_new("plans");
	struct store *st = f->e.st;

	(void)state;
	for (int i = 0; i < 200; i++) {
		g_autofree char *nom = g_strdup_printf("Groupe %d", i);
		add(st, i % 2 ? "groupe" : "initiative", nom, "Montpellier", "34000",
		    43 + i / 100.0, 3 + i / 100.0);
	}
	run(st->db, "ANALYZE");
	for (guint q = 0; q < G_N_ELEMENTS(candidate_sql); q++) {
		g_autofree char *sql = g_strconcat("EXPLAIN QUERY PLAN ", candidate_sql[q], NULL);
		sqlite3_stmt *s = NULL;
		GString *plan = g_string_new(NULL);

		assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
		while (sqlite3_step(s) == SQLITE_ROW)
			g_string_append_printf(plan, "%s\n", sqlite3_column_text(s, 3));
		sqlite3_finalize(s);
		/* the box reads a run of cells of one row: a range of the
		 * primary key, its only range */
		gboolean range_ok = q == 1 &&
		    strcmp(plan->str, "SEARCH entry_cells USING PRIMARY KEY (cell>? AND cell<?)\n") == 0;

		if (strstr(plan->str, "SCAN") || strstr(plan->str, "TEMP B-TREE") ||
		    (!range_ok && (strchr(plan->str, '<') || strchr(plan->str, '>'))) ||
		    !strstr(plan->str, "SEARCH"))
			fail_msg("query %u is not answered through an index:\n%s", q, plan->str);
		g_string_free(plan, TRUE);
	}
	test_fixture_free(f);
}

/* "kind,kind…" of entry ID's keys. g_free. */
static char *
kinds(struct store *st, gint64 id)
{
	sqlite3_stmt *s = NULL;
	GString *out = g_string_new(NULL);

	assert_int_equal(sqlite3_prepare_v2(st->db, "SELECT kind FROM entry_keys"
	    " WHERE entry_id = ?1 ORDER BY kind", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_int64(s, 1, id);
	while (sqlite3_step(s) == SQLITE_ROW)
		g_string_append_printf(out, "%s%s", out->len ? "," : "", sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return g_string_free(out, FALSE);
}

/*
 * Only groups keep a commune and a postcode key; an entry that becomes a
 * group (through essaim or sqlite3) gets them before the next comparison,
 * and one that stops being a group loses them (entry_keys_stale).
 */
static void
test_candidates_keys_follow_type(void **state)
{
	struct fixture *f = test_fixture_new("keys_type");
	struct store *st = f->e.st;
	g_autoptr(GError) err = NULL;
	gint64 self, other;
	g_autofree char *k_self = NULL, *k_other = NULL, *none = NULL, *one = NULL,
	    *k_group = NULL, *back = NULL, *k_back = NULL;

	(void)state;
	self = add(st, "groupe", "Caisse A", "Montpellier", "34000", 43.6, 3.88);
	other = add(st, "initiative", "Marché B", "Montpellier", "34000", 45.0, 1.0);
	k_self = kinds(st, self);
	assert_string_equal(k_self, "commune,cp,nom");
	k_other = kinds(st, other);
	assert_string_equal(k_other, "nom");
	none = ids(st, self, TRUE, NULL);
	assert_string_equal(none, "");

	assert_true(entry_set_type(st, other, "groupe", &err));
	one = ids(st, self, TRUE, NULL);
	assert_int_equal(g_ascii_strtoll(one, NULL, 10), other);
	k_group = kinds(st, other);
	assert_string_equal(k_group, "commune,cp,nom");
	{
		/* found by its key, far from any box: read from its cell, as its
		 * row and fields say */
		g_autoptr(GPtrArray) a = entry_candidates(st, self, TRUE, NULL, &err);
		const struct candidate *c;

		assert_non_null(a);
		assert_int_equal(a->len, 1);
		c = a->pdata[0];
		assert_int_equal(c->id, other);
		assert_int_equal(c->shared, CANDIDATE_SAME_COMMUNE);
		assert_string_equal(c->type, "groupe");
		assert_true(c->has_point && c->lat == 45.0 && c->lon == 1.0);
		assert_string_equal(c->precision, "commune");
		assert_string_equal(c->nom, "Marché B");
		assert_string_equal(c->commune, "Montpellier");
		assert_string_equal(c->cp, "34000");
		assert_null(c->referent);
	}

	run(st->db, "UPDATE entries SET type = 'initiative' WHERE id = 2");
	back = ids(st, self, TRUE, NULL);
	assert_string_equal(back, "");
	k_back = kinds(st, other);
	assert_string_equal(k_back, "nom");
	test_fixture_free(f);
}

static void
test_resubmission(void **state)
{
	struct fixture *f = test_fixture_new("resubmission");
	struct store *st = f->e.st;
	g_autoptr(GError) err = NULL;
	gint64 id = add(st, "initiative", "La Cagette", "Arles", "13200", 43.67, 4.63);

	(void)state;
	assert_int_equal(entry_find_resubmission(st, "A@example.org", "la cagette", &err), id);
	assert_int_equal(entry_find_resubmission(st, "b@example.org", "La Cagette", &err), 0);
	assert_int_equal(entry_find_resubmission(st, "a@example.org", "Autre chose", &err), 0);
	run(st->db, "INSERT INTO votes(entry_id, moderator, decision, at) VALUES"
	    " (1, 'm@example.org', 'approve', '2026-01-01T00:00:00Z')");
	assert_int_equal(entry_find_resubmission(st, "a@example.org", "La Cagette", &err), 0);
	test_fixture_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_candidates_found),
		cmocka_unit_test(test_candidates_plans),
		cmocka_unit_test(test_candidates_keys_follow_type),
		cmocka_unit_test(test_resubmission),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
