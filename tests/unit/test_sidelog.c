/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for src/store/sidelog.c: a file of fixed size, allocated once, whose
 * notes go round a ring and whose counts survive the ring. */
#include "testutil.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "store/sidelog.h"

static void
test_ring(void **state)
{
	g_autofree char *dir = g_dir_make_tmp("essaim-sidelog-XXXXXX", NULL);
	g_autofree char *db = g_build_filename(dir, "essaim.db", NULL);
	g_autofree char *path = sidelog_path(db);
	g_autoptr(GPtrArray) notes = NULL;
	g_autoptr(GError) err = NULL;
	struct sidelog_note *n;
	struct stat sb;
	gint64 total;

	(void)state;
	/* no side log: nothing, and no error */
	notes = sidelog_read(db, NULL, &total);
	assert_int_equal(notes->len, 0);
	assert_int_equal(total, 0);
	g_clear_pointer(&notes, g_ptr_array_unref);

	assert_true(sidelog_prepare(db, &err));
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, SIDELOG_BYTES);
	assert_true((gint64)sb.st_blocks * 512 >= SIDELOG_BYTES);	/* allocated */
	assert_int_equal(sb.st_mode & 0777, 0600);

	/* a reason with a line end cannot break the layout */
	assert_true(sidelog_note(db, SIDELOG_INGEST, "disk full\nFAKE 1 publish x", &err));
	assert_true(sidelog_note(db, SIDELOG_SENT, "42", &err));
	notes = sidelog_read(db, SIDELOG_INGEST, &total);
	assert_int_equal(notes->len, 1);
	assert_int_equal(total, 1);
	n = notes->pdata[0];
	assert_string_equal(n->text, "disk full FAKE 1 publish x");
	g_clear_pointer(&notes, g_ptr_array_unref);
	notes = sidelog_read(db, SIDELOG_PUBLISH, &total);
	assert_int_equal(notes->len, 0);
	g_clear_pointer(&notes, g_ptr_array_unref);

	/* the note of a mail accepted but not marked, resolved */
	assert_true(sidelog_sent_done(db, 42, &err));
	notes = sidelog_read(db, SIDELOG_SENT, &total);
	assert_int_equal(notes->len, 0);
	assert_int_equal(total, 1);
	g_clear_pointer(&notes, g_ptr_array_unref);

	/* round the ring: the oldest notes go, the count stays, order kept */
	for (int i = 0; i < 300; i++) {
		g_autofree char *t = g_strdup_printf("refusal %d", i);
		assert_true(sidelog_note(db, SIDELOG_INGEST, t, &err));
	}
	notes = sidelog_read(db, SIDELOG_INGEST, &total);
	assert_int_equal(total, 301);
	assert_int_equal(notes->len, SIDELOG_SLOTS);
	n = notes->pdata[notes->len - 1];
	assert_string_equal(n->text, "refusal 299");
	n = notes->pdata[0];
	assert_string_equal(n->text, "refusal 173");
	g_clear_pointer(&notes, g_ptr_array_unref);
	/* never grows */
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, SIDELOG_BYTES);

	/* preparing again keeps what it holds */
	assert_true(sidelog_prepare(db, &err));
	notes = sidelog_read(db, SIDELOG_INGEST, &total);
	assert_int_equal(total, 301);
	g_clear_pointer(&notes, g_ptr_array_unref);

	/* damaged: made anew */
	assert_true(g_file_set_contents(path, "garbage", -1, NULL));
	assert_false(sidelog_note(db, SIDELOG_INGEST, "x", &err));
	g_clear_error(&err);
	assert_true(sidelog_prepare(db, &err));
	assert_true(sidelog_note(db, SIDELOG_INGEST, "x", &err));
	notes = sidelog_read(db, SIDELOG_INGEST, &total);
	assert_int_equal(total, 1);
	g_clear_pointer(&notes, g_ptr_array_unref);

	g_unlink(path);
	g_rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
