/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The floor reference for bench/run.sh: only the work no mail intake can
 * avoid -- read the message, parse it with GMime, one SQLite insert per
 * message committed with the durability essaim promises (WAL,
 * synchronous=FULL) -- and for a Maildir the move out of new/ after the
 * commit. No classification, no form, no answer.
 *
 *   floor DB < message          one message (the pipe case)
 *   floor DB MAILDIR            every message in MAILDIR/new
 */
#include <errno.h>
#include <fcntl.h>
#include <gmime/gmime.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sqlite3 *db;
static sqlite3_stmt *ins;

static void
die(const char *what)
{
	fprintf(stderr, "floor: %s: %s\n", what, db ? sqlite3_errmsg(db) : strerror(errno));
	exit(75);
}

static void
store(const char *data, size_t len)
{
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(data, len);
	GMimeParser *p = g_mime_parser_new_with_stream(s);
	GMimeMessage *m = g_mime_parser_construct_message(p, NULL);
	const char *mid = m ? g_mime_message_get_message_id(m) : NULL;
	InternetAddressList *from = m ? g_mime_message_get_from(m) : NULL;
	char *addr = from ? internet_address_list_to_string(from, NULL, FALSE) : NULL;

	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		die("begin");
	sqlite3_bind_text(ins, 1, mid, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 2, addr, -1, SQLITE_STATIC);
	sqlite3_bind_blob64(ins, 3, data, len, SQLITE_STATIC);
	if (sqlite3_step(ins) != SQLITE_DONE)
		die("insert");
	sqlite3_reset(ins);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die("commit");
	g_free(addr);
	if (m)
		g_object_unref(m);
	g_object_unref(p);
	g_object_unref(s);
}

static GByteArray *
read_fd(int fd)
{
	GByteArray *b = g_byte_array_new();
	guint8 buf[65536];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			die("read");
		g_byte_array_append(b, buf, (guint)n);
	}
	return b;
}

static int
by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: floor DB [MAILDIR]\n");
		return 64;
	}
	g_mime_init();
	if (sqlite3_open(argv[1], &db) != SQLITE_OK)
		die("open");
	sqlite3_busy_timeout(db, 10000);
	if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			     "CREATE TABLE IF NOT EXISTS messages(id INTEGER PRIMARY KEY,"
			     " message_id TEXT, from_addr TEXT, raw BLOB)", NULL, NULL, NULL) != SQLITE_OK)
		die("schema");
	if (sqlite3_prepare_v2(db, "INSERT INTO messages(message_id, from_addr, raw)"
				   " VALUES (?1, ?2, ?3)", -1, &ins, NULL) != SQLITE_OK)
		die("prepare");
	if (argc == 2) {
		GByteArray *b = read_fd(0);
		store((const char *)b->data, b->len);
		g_byte_array_free(b, TRUE);
	} else {
		char *new = g_build_filename(argv[2], "new", NULL);
		GDir *d = g_dir_open(new, 0, NULL);
		GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
		const char *name;

		if (d == NULL)
			die(new);
		while ((name = g_dir_read_name(d)) != NULL)
			g_ptr_array_add(names, g_strdup(name));
		g_dir_close(d);
		g_ptr_array_sort(names, by_name);
		for (guint i = 0; i < names->len; i++) {
			char *path = g_build_filename(new, names->pdata[i], NULL);
			char *seen = g_strdup_printf("%s/cur/%s:2,S", argv[2],
			    (const char *)names->pdata[i]);
			int fd = open(path, O_RDONLY);
			GByteArray *b;

			if (fd == -1)
				die(path);
			b = read_fd(fd);
			close(fd);
			store((const char *)b->data, b->len);
			if (rename(path, seen) == -1)
				die(path);
			g_byte_array_free(b, TRUE);
			g_free(path);
			g_free(seen);
		}
		g_ptr_array_unref(names);
		g_free(new);
	}
	sqlite3_finalize(ins);
	sqlite3_close(db);
	return 0;
}
