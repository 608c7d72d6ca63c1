/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Tests of src/store/entry.c's field writes: a new entry's fields in
 * multi-row statements (more rows than one statement takes), the last value
 * of a repeated key kept, empty values left out, and its entry_keys computed
 * in memory exactly as entry_keys_refresh() reads them back (a commune and a
 * postcode key for a group only).
 */
#include "testutil.h"

#include <glib/gstdio.h>
#include <string.h>

#include "store/entry.h"
#include "store/store.h"

static char *tmp;

/* "kind=key;…" of entry ID's keys, or "key=value;…" of its fields. g_free. */
static char *
rows(struct store *st, const char *sql, gint64 id)
{
	sqlite3_stmt *s = NULL;
	GString *out = g_string_new(NULL);

	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_int64(s, 1, id);
	while (sqlite3_step(s) == SQLITE_ROW)
		g_string_append_printf(out, "%s=%s;", sqlite3_column_text(s, 0),
		    sqlite3_column_text(s, 1));
	sqlite3_finalize(s);
	return g_string_free(out, FALSE);
}

#define KEYS "SELECT kind, key FROM entry_keys WHERE entry_id = ?1 ORDER BY kind, key"
#define FIELDS "SELECT key, value FROM entry_fields WHERE entry_id = ?1 ORDER BY key"

static void
test_insert_fields(void **state)
{
	g_autofree char *path = g_build_filename(tmp, "entry.db", NULL);
	g_autoptr(GError) err = NULL;
	g_autoptr(store_t) st = store_open(path, 1, &err);
	g_autoptr(GPtrArray) f = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *keys = NULL, *fields = NULL, *keys2 = NULL, *fields2 = NULL;
	g_autoptr(entry_t) en = NULL;
	gint64 id;

	(void)state;
	assert_non_null(st);
#define PAIR(k, v) do { g_ptr_array_add(f, g_strdup(k)); g_ptr_array_add(f, g_strdup(v)); } while (0)
	PAIR("nom", "Épicerie solidaire");
	PAIR("commune", "Saint-Étienne");
	PAIR("code_postal", "42000");
	PAIR("courriel_referent", "Ana.Dupont@Example.ORG");
	PAIR("vide", "");
	for (int i = 0; i < 150; i++) {
		g_autofree char *k = g_strdup_printf("x%03d", i);
		g_autofree char *v = g_strdup_printf("valeur %d", i);

		PAIR(k, v);
	}
	PAIR("nom", "Cantine du Port");	/* the last value of a key wins */
	id = entry_insert(st, "groupe", "ana@example.org", "fr", f, &err);
	assert_true(id > 0);
	en = entry_load(st, id, &err);
	assert_non_null(en);
	assert_int_equal(en->keys->len, 4 + 150);
	assert_string_equal(entry_field(en, "nom"), "Cantine du Port");
	assert_string_equal(entry_field(en, "x149"), "valeur 149");
	assert_null(entry_field(en, "vide"));
	keys = rows(st, KEYS, id);
	assert_string_equal(keys, "commune=saint etienne;cp=42000;nom=cantine port;"
	    "referent=ana.dupont@example.org;");
	/* what entry_keys_refresh() reads back from the fields is the same */
	fields = rows(st, FIELDS, id);
	assert_true(entry_keys_refresh(st, id, &err));
	keys2 = rows(st, KEYS, id);
	assert_string_equal(keys, keys2);

	/* an update: a value changed, one removed, the keys follow */
	g_ptr_array_set_size(f, 0);
	PAIR("x000", "");
	PAIR("nom", "");
	PAIR("code_postal", "42100");
	PAIR("x001", "autre");
	assert_true(entry_set_fields(st, id, f, &err));
	g_clear_pointer(&keys, g_free);
	keys = rows(st, KEYS, id);
	assert_string_equal(keys, "commune=saint etienne;cp=42100;"
	    "referent=ana.dupont@example.org;");
	fields2 = rows(st, FIELDS, id);
	assert_null(strstr(fields2, "x000="));
	assert_null(strstr(fields2, "nom="));
	assert_non_null(strstr(fields2, "x001=autre;"));
	assert_non_null(strstr(fields, "x000=valeur 0;"));

	/* an initiative keeps no commune nor postcode key (only a shared one
	 * between two groups raises a flag), read back the same */
	g_ptr_array_set_size(f, 0);
	PAIR("nom", "Épicerie solidaire");
	PAIR("commune", "Saint-Étienne");
	PAIR("code_postal", "42000");
	PAIR("courriel_referent", "Ana.Dupont@Example.ORG");
	id = entry_insert(st, "initiative", "ana@example.org", "fr", f, &err);
	assert_true(id > 0);
	g_clear_pointer(&keys, g_free);
	g_clear_pointer(&keys2, g_free);
	keys = rows(st, KEYS, id);
	assert_string_equal(keys, "nom=epicerie solidaire;referent=ana.dupont@example.org;");
	assert_true(entry_keys_refresh(st, id, &err));
	keys2 = rows(st, KEYS, id);
	assert_string_equal(keys, keys2);
#undef PAIR
}

static gint64
serial(struct store *st)
{
	g_autofree char *v = store_state_get(st, "publish_serial");

	return v ? g_ascii_strtoll(v, NULL, 10) : 0;
}

/*
 * publish_serial (what `essaim publish` compares) counts every change of an
 * approved entry's fields made through entry.c (a new field, a changed one,
 * a removed one), and nothing for a new pending entry.
 */
static void
test_serial_counts_fields(void **state)
{
	g_autofree char *path = g_build_filename(tmp, "serial.db", NULL);
	g_autoptr(GError) err = NULL;
	g_autoptr(store_t) st = store_open(path, 1, &err);
	g_autoptr(GPtrArray) f = g_ptr_array_new_with_free_func(g_free);
	gint64 id, before;
	char *sql;

	(void)state;
	assert_non_null(st);
#define PAIR(k, v) do { g_ptr_array_add(f, g_strdup(k)); g_ptr_array_add(f, g_strdup(v)); } while (0)
	PAIR("nom", "Cantine du Port");
	PAIR("commune", "Sète");
	before = serial(st);
	id = entry_insert(st, "groupe", "ana@example.org", "fr", f, &err);
	assert_true(id > 0);
	assert_int_equal(serial(st), before);
	sql = g_strdup_printf("UPDATE entries SET status = 'approved' WHERE id = %" G_GINT64_FORMAT,
	    id);
	assert_int_equal(sqlite3_exec(st->db, sql, NULL, NULL, NULL), SQLITE_OK);
	g_free(sql);
	/* a new field, a changed one, a removed one: each call counts */
	before = serial(st);
	g_ptr_array_set_size(f, 0);
	PAIR("site", "https://cantine.example.org");
	assert_true(entry_set_fields(st, id, f, &err));
	assert_true(serial(st) > before);
	before = serial(st);
	g_ptr_array_set_size(f, 0);
	PAIR("commune", "Sète (34)");
	assert_true(entry_set_fields(st, id, f, &err));
	assert_true(serial(st) > before);
	before = serial(st);
	g_ptr_array_set_size(f, 0);
	PAIR("site", "");
	assert_true(entry_set_fields(st, id, f, &err));
	assert_true(serial(st) > before);
#undef PAIR
}

static int
setup(void **state)
{
	(void)state;
	tmp = g_dir_make_tmp("essaim-test-entry-XXXXXX", NULL);
	return tmp ? 0 : -1;
}

static int
teardown(void **state)
{
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmp);

	(void)state;
	if (system(cmd) != 0)
		return -1;
	g_free(tmp);
	return 0;
}

/* What json-glib's builder and generator write of FLAGS, as charter.c
 * wrote them before entry_flags_json(). g_free. */
static char *
glib_flags_json(const struct entry_flag *flags, gsize n)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;

	json_builder_begin_array(b);
	for (gsize i = 0; i < n; i++) {
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "flag");
		json_builder_add_string_value(b, flags[i].flag);
		json_builder_set_member_name(b, "other");
		json_builder_add_int_value(b, flags[i].other);
		json_builder_set_member_name(b, "other_nom");
		json_builder_add_string_value(b, flags[i].other_nom);
		json_builder_set_member_name(b, "why");
		json_builder_add_string_value(b, flags[i].why);
		if (flags[i].has_km) {
			json_builder_set_member_name(b, "distance_km");
			json_builder_add_double_value(b, flags[i].km);
		}
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	root = json_builder_get_root(b);
	return entry_json_text(root, FALSE);
}

/*
 * entries.flags written without a tree (entry_flags_json) is byte for byte
 * what json-glib writes: every ASCII control character, quotes, backslashes,
 * UTF-8, and distances of every shape (whole, 17 digits, tiny, huge).
 */
static void
test_flags_json(void **state)
{
	static const double kms[] = { 0.0, 1.0, 6.526731466534212, 8.7851622576523987, 0.1,
		1e-7, 2.2e-16, 123456789.0, 1e21, 1e300, 9.999999999999999e22, 10.0, 0.5 };
	char ctl[160];
	gsize at = 0;
	struct entry_flag flags[G_N_ELEMENTS(kms) + 2];
	g_autofree char *none = NULL, *none_glib = NULL, *mine = NULL, *glib = NULL;

	(void)state;
	for (int c = 1; c < 128 && at + 2 < sizeof ctl; c++)
		if (c < 0x21 || c == '"' || c == '\\' || c == '/' || c == 0x7f)
			ctl[at++] = (char)c;
	ctl[at] = '\0';
	for (gsize i = 0; i < G_N_ELEMENTS(kms); i++)
		flags[i] = (struct entry_flag){ "territory_conflict", (gint64)i * 1000003,
			"Groupe « Été » n°7", "12.3 km", TRUE, kms[i] };
	flags[G_N_ELEMENTS(kms)] = (struct entry_flag){ "possible_duplicate", G_MAXINT64, ctl,
		"Lauris", FALSE, 0 };
	flags[G_N_ELEMENTS(kms) + 1] = (struct entry_flag){ "x\"y", -1, "", ctl, FALSE, 0 };

	g_autoptr(GPtrArray) list = g_ptr_array_new();
	for (gsize i = 0; i < G_N_ELEMENTS(flags); i++)
		g_ptr_array_add(list, &flags[i]);
	mine = entry_flags_json(list);
	glib = glib_flags_json(flags, G_N_ELEMENTS(flags));
	assert_string_equal(mine, glib);
	g_ptr_array_set_size(list, 0);
	none = entry_flags_json(list);
	none_glib = glib_flags_json(flags, 0);
	assert_string_equal(none, none_glib);
	assert_string_equal(none, "[]");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_fields),
		cmocka_unit_test(test_serial_counts_fields),
		cmocka_unit_test(test_flags_json),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
