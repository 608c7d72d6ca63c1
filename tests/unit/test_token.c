/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for src/moderation/token.c, src/moderation/secret.c and src/mail/tag.c: tokens bound
 * to entry, address, role and expiry; rotation keeps the previous key for a while; tags found. */
#include "testutil.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "mail/tag.h"
#include "moderation/secret.h"
#include "moderation/token.h"

#define NOW 1772000000	/* 2026-02-25 */
#define DAY 86400

static void
fixed_secret(struct secret *s, guint8 seed)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < SECRET_BYTES; i++)
		s->current[i] = (guint8)(seed + i);
}

static void
test_roundtrip(void **state)
{
	struct secret s;
	(void)state;
	fixed_secret(&s, 1);
	g_autofree char *t = token_make(&s, 42, "Modo@Example.org", TOKEN_MODERATOR, NOW + 60 * DAY);

	assert_int_equal(strlen(t), TOKEN_CHARS);
	for (const char *p = t; *p; p++)
		assert_true((*p >= 'a' && *p <= 'z') || (*p >= '2' && *p <= '7'));
	assert_int_equal(token_verify(&s, 42, "modo@example.org", TOKEN_MODERATOR, t, NOW), TOKEN_OK);
	/* a client upper-casing the subject does not break it */
	g_autofree char *up = g_ascii_strup(t, -1);
	assert_int_equal(token_verify(&s, 42, "modo@example.org", TOKEN_MODERATOR, up, NOW), TOKEN_OK);
}

struct forgery {
	const char *name;
	gint64 id;
	const char *addr;
	enum token_role role;
	gint64 now;
	int tamper;		/* flip a character */
	enum token_check want;
};

static void
test_forgeries(void **state)
{
	static const struct forgery rows[] = {
		{ "genuine", 42, "modo@example.org", TOKEN_MODERATOR, NOW, 0, TOKEN_OK },
		{ "other entry", 43, "modo@example.org", TOKEN_MODERATOR, NOW, 0, TOKEN_BAD },
		{ "other moderator", 42, "autre@example.org", TOKEN_MODERATOR, NOW, 0, TOKEN_BAD },
		{ "submitter role", 42, "modo@example.org", TOKEN_SUBMITTER, NOW, 0, TOKEN_BAD },
		{ "tampered", 42, "modo@example.org", TOKEN_MODERATOR, NOW, 1, TOKEN_BAD },
		{ "last valid day", 42, "modo@example.org", TOKEN_MODERATOR, NOW + 60 * DAY, 0, TOKEN_OK },
		{ "expired", 42, "modo@example.org", TOKEN_MODERATOR, NOW + 62 * DAY, 0, TOKEN_EXPIRED },
	};
	struct secret s;
	(void)state;
	fixed_secret(&s, 7);
	g_autofree char *t = token_make(&s, 42, "modo@example.org", TOKEN_MODERATOR, NOW + 60 * DAY);

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *tok = g_strdup(t);

		if (rows[i].tamper)
			tok[10] = tok[10] == 'a' ? 'b' : 'a';
		if (token_verify(&s, rows[i].id, rows[i].addr, rows[i].role, tok, rows[i].now) !=
		    rows[i].want)
			fail_msg("row '%s'", rows[i].name);
	}
	assert_int_equal(token_verify(&s, 42, "modo@example.org", TOKEN_MODERATOR, "short", NOW),
	    TOKEN_BAD);
	assert_int_equal(token_verify(&s, 42, "modo@example.org", TOKEN_MODERATOR,
			     "0000000000000000000000!!", NOW), TOKEN_BAD);
	/* another key */
	struct secret other;
	fixed_secret(&other, 9);
	assert_int_equal(token_verify(&other, 42, "modo@example.org", TOKEN_MODERATOR, t, NOW),
	    TOKEN_BAD);
}

static void
test_find(void **state)
{
	(void)state;
	const char *subject = "Re: [ESSAIM #42 abcdefghijklmnopqrstuvwx] Au Maquis";
	g_autoptr(GArray) a = tag_find(subject);
	assert_int_equal(a->len, 1);
	assert_int_equal(g_array_index(a, struct tag_ref, 0).entry_id, 42);
	assert_string_equal(g_array_index(a, struct tag_ref, 0).token, "abcdefghijklmnopqrstuvwx");

	/* folded over two lines and quoted */
	const char *body = "VALIDER\n\n> Référence : [essaim #7\n> abcdefghijklmnopqrstuvw2]\n";
	g_autoptr(GArray) b = tag_find(body);
	assert_int_equal(b->len, 1);
	assert_int_equal(g_array_index(b, struct tag_ref, 0).entry_id, 7);

	/* too long a run is not a token */
	g_autoptr(GArray) c = tag_find("[essaim #7 abcdefghijklmnopqrstuvwxyz]");
	assert_int_equal(c->len, 0);
	assert_true(tag_mentioned("Re: [essaim #7 garbled]"));
	assert_false(tag_mentioned("Re: essaim est un nom"));
}

static void
test_secret_file(void **state)
{
	(void)state;
	g_autofree char *dir = g_dir_make_tmp("essaim-secret-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "sub", "secret", NULL);
	struct secret a, b, c;
	struct stat st;
	g_autoptr(GError) err = NULL;

	assert_true(secret_read_or_create(path, &a, &err));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_true(secret_read_or_create(path, &b, &err));
	assert_memory_equal(a.current, b.current, SECRET_BYTES);

	/* rotation: old tokens stay valid until the grace period ends */
	g_autofree char *old = token_make(&a, 5, "x@example.org", TOKEN_SUBMITTER, NOW + 60 * DAY);
	assert_true(secret_rotate(path, NOW, 30 * DAY, &err));
	assert_true(secret_read_or_create(path, &c, &err));
	assert_memory_not_equal(a.current, c.current, SECRET_BYTES);
	assert_int_equal(token_verify(&c, 5, "x@example.org", TOKEN_SUBMITTER, old, NOW + DAY),
	    TOKEN_OK);
	assert_int_equal(token_verify(&c, 5, "x@example.org", TOKEN_SUBMITTER, old, NOW + 31 * DAY),
	    TOKEN_BAD);
	/* a second rotation forgets the oldest key */
	assert_true(secret_rotate(path, NOW, 30 * DAY, &err));
	assert_true(secret_read_or_create(path, &c, &err));
	assert_int_equal(token_verify(&c, 5, "x@example.org", TOKEN_SUBMITTER, old, NOW + DAY),
	    TOKEN_BAD);

	/* a secret readable by others is refused */
	assert_int_equal(chmod(path, 0644), 0);
	assert_false(secret_read_or_create(path, &c, &err));
	g_clear_error(&err);
	/* garbage is refused with a clear error */
	assert_int_equal(chmod(path, 0600), 0);
	assert_true(g_file_set_contents(path, "hello\n", -1, NULL));
	assert_int_equal(chmod(path, 0600), 0);
	assert_false(secret_read_or_create(path, &c, &err));
	assert_non_null(strstr(err->message, "not an essaim secret"));
	g_unlink(path);
	g_autofree char *sub = g_path_get_dirname(path);
	g_rmdir(sub);
	g_rmdir(dir);
}

/* The keys read are kept for the process, but a file changed in place (same
 * inode, same size), made wider, or removed is seen at once. */
static void
test_secret_cache(void **state)
{
	(void)state;
	g_autofree char *dir = g_dir_make_tmp("essaim-secret-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "secret", NULL);
	struct secret a, b, c;
	g_autoptr(GError) err = NULL;
	g_autofree char *text = NULL;
	struct stat st1, st2;
	FILE *f;

	assert_true(secret_read_or_create(path, &a, &err));
	assert_true(secret_read(path, &b, &err));
	assert_memory_equal(a.current, b.current, SECRET_BYTES);
	/* rewritten in place with another key of the same length */
	assert_true(g_file_get_contents(path, &text, NULL, NULL));
	assert_int_equal(stat(path, &st1), 0);
	text[strlen("essaim-secret 1\ncurrent ")] =
	    text[strlen("essaim-secret 1\ncurrent ")] == '0' ? '1' : '0';
	f = fopen(path, "r+");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	fclose(f);
	assert_int_equal(stat(path, &st2), 0);
	assert_int_equal(st1.st_ino, st2.st_ino);
	assert_int_equal(st1.st_size, st2.st_size);
	assert_true(secret_read(path, &c, &err));
	assert_memory_not_equal(a.current, c.current, SECRET_BYTES);
	/* made readable by others after a read: refused */
	assert_int_equal(chmod(path, 0640), 0);
	assert_false(secret_read(path, &c, &err));
	assert_true(g_error_matches(err, SECRET_ERROR, SECRET_ERROR_DAMAGED));
	g_clear_error(&err);
	assert_int_equal(chmod(path, 0600), 0);
	assert_true(secret_read(path, &c, &err));
	/* removed after a read: missing */
	g_unlink(path);
	assert_false(secret_read(path, &c, &err));
	assert_true(g_error_matches(err, SECRET_ERROR, SECRET_ERROR_MISSING));
	g_rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_forgeries),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_secret_file),
		cmocka_unit_test(test_secret_cache),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
