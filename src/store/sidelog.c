/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The side log beside the database: notes a full disk cannot hide. */
#include "store/sidelog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/config.h"

#define MAGIC "essaim-sidelog 1"

static const char *const kinds[] = { SIDELOG_INGEST, SIDELOG_PUBLISH, SIDELOG_SENT, NULL };

struct header {
	guint next;		/* slot written next, 1..SIDELOG_SLOTS */
	gint64 total[G_N_ELEMENTS(kinds)];
};

char *
sidelog_path(const char *db_path)
{
	return g_strconcat(db_path, ".sidelog", NULL);
}

/* TEXT padded with spaces to one slot, a line end last. */
static void
fill_slot(char *slot, const char *text)
{
	size_t n = MIN(strlen(text), (size_t)SIDELOG_SLOT_BYTES - 1);

	memset(slot, ' ', SIDELOG_SLOT_BYTES);
	memcpy(slot, text, n);
	for (size_t i = 0; i < n; i++)
		if (slot[i] == '\n' || slot[i] == '\r' || slot[i] == '\0')
			slot[i] = ' ';
	slot[SIDELOG_SLOT_BYTES - 1] = '\n';
}

static void
render_header(const struct header *h, char *slot)
{
	GString *s = g_string_new(MAGIC);

	g_string_append_printf(s, " next=%u", h->next);
	for (guint i = 0; kinds[i]; i++)
		g_string_append_printf(s, " %s=%" G_GINT64_FORMAT, kinds[i], h->total[i]);
	fill_slot(slot, s->str);
	g_string_free(s, TRUE);
}

static gboolean
parse_header(const char *slot, struct header *h)
{
	g_autofree char *line = g_strndup(slot, SIDELOG_SLOT_BYTES);
	g_auto(GStrv) w = NULL;

	memset(h, 0, sizeof(*h));
	if (!g_str_has_prefix(line, MAGIC " "))
		return FALSE;
	w = g_strsplit(g_strstrip(line + strlen(MAGIC) + 1), " ", -1);
	for (guint i = 0; w[i]; i++) {
		const char *eq = strchr(w[i], '=');

		if (eq == NULL)
			continue;
		if (g_str_has_prefix(w[i], "next="))
			h->next = (guint)g_ascii_strtoull(eq + 1, NULL, 10);
		for (guint k = 0; kinds[k]; k++)
			if (strncmp(w[i], kinds[k], (size_t)(eq - w[i])) == 0 &&
			    strlen(kinds[k]) == (size_t)(eq - w[i]))
				h->total[k] = g_ascii_strtoll(eq + 1, NULL, 10);
	}
	if (h->next < 1 || h->next > SIDELOG_SLOTS)
		h->next = 1;
	return TRUE;
}

static gboolean
write_at(int fd, const char *buf, size_t len, off_t at)
{
	while (len > 0) {
		ssize_t n = pwrite(fd, buf, len, at);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return FALSE;
		buf += n;
		len -= (size_t)n;
		at += n;
	}
	return TRUE;
}

static gboolean
read_all(int fd, char *buf)
{
	size_t done = 0;

	while (done < SIDELOG_BYTES) {
		ssize_t n = pread(fd, buf + done, SIDELOG_BYTES - done, (off_t)done);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return FALSE;
		done += (size_t)n;
	}
	return TRUE;
}

static void
set_errno_error(GError **error, const char *what, const char *path)
{
	int saved = errno;

	g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot %s %s: %s",
	    what, path, g_strerror(saved));
}

gboolean
sidelog_prepare(const char *db_path, GError **error)
{
	g_autofree char *path = sidelog_path(db_path);
	g_autofree char *buf = NULL;
	struct header h;
	struct stat sb;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	gboolean ok = FALSE;

	if (fd == -1) {
		set_errno_error(error, "open", path);
		return FALSE;
	}
	if (flock(fd, LOCK_EX) == -1 || fstat(fd, &sb) == -1) {
		set_errno_error(error, "lock", path);
		goto out;
	}
	buf = g_malloc(SIDELOG_BYTES);
	if (sb.st_size >= SIDELOG_BYTES && (gint64)sb.st_blocks * 512 >= SIDELOG_BYTES &&
	    read_all(fd, buf) && parse_header(buf, &h)) {
		ok = TRUE;	/* whole and allocated: nothing to do */
		goto out;
	}
	/* every block now, while there is room */
	if ((errno = posix_fallocate(fd, 0, SIDELOG_BYTES)) != 0) {
		set_errno_error(error, "allocate", path);
		goto out;
	}
	memset(&h, 0, sizeof(h));
	if (sb.st_size >= SIDELOG_SLOT_BYTES && pread(fd, buf, SIDELOG_SLOT_BYTES, 0) ==
	    SIDELOG_SLOT_BYTES && parse_header(buf, &h) && sb.st_size >= SIDELOG_BYTES) {
		ok = TRUE;	/* a sparse file made whole: its notes stay */
		goto out;
	}
	memset(&h, 0, sizeof(h));
	h.next = 1;
	render_header(&h, buf);
	for (guint i = 1; i <= SIDELOG_SLOTS; i++)
		fill_slot(buf + i * SIDELOG_SLOT_BYTES, "");
	if (!write_at(fd, buf, SIDELOG_BYTES, 0) || fdatasync(fd) == -1) {
		set_errno_error(error, "write", path);
		goto out;
	}
	ok = TRUE;
out:
	close(fd);
	return ok;
}

/* Open the side log locked, with its whole content in BUF. -1 and error. */
static int
open_locked(const char *path, char *buf, struct header *h, GError **error)
{
	int fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);

	if (fd == -1) {
		set_errno_error(error, "open", path);
		return -1;
	}
	if (flock(fd, LOCK_EX) == -1 || !read_all(fd, buf)) {
		set_errno_error(error, "read", path);
		close(fd);
		return -1;
	}
	if (!parse_header(buf, h)) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s is not an essaim side log",
		    path);
		close(fd);
		return -1;
	}
	return fd;
}

gboolean
sidelog_note(const char *db_path, const char *kind, const char *text, GError **error)
{
	g_autofree char *path = sidelog_path(db_path);
	g_autofree char *buf = g_malloc(SIDELOG_BYTES);
	g_autofree char *line = NULL;
	char slot[SIDELOG_SLOT_BYTES];
	struct header h;
	gboolean ok;
	int fd;

	/* missing (the first refusal of a new installation): make it now if
	 * there is still room */
	if (!g_file_test(path, G_FILE_TEST_EXISTS) && !sidelog_prepare(db_path, error))
		return FALSE;
	if ((fd = open_locked(path, buf, &h, error)) == -1)
		return FALSE;
	line = g_strdup_printf("%" G_GINT64_FORMAT " %s %s", config_now(), kind, text);
	fill_slot(slot, line);
	for (guint k = 0; kinds[k]; k++)
		if (strcmp(kinds[k], kind) == 0)
			h.total[k]++;
	ok = write_at(fd, slot, sizeof(slot), (off_t)h.next * SIDELOG_SLOT_BYTES);
	h.next = h.next % SIDELOG_SLOTS + 1;
	render_header(&h, slot);
	ok = ok && write_at(fd, slot, sizeof(slot), 0) && fdatasync(fd) == 0;
	if (!ok)
		set_errno_error(error, "write", path);
	close(fd);
	return ok;
}

static void
note_free(gpointer p)
{
	struct sidelog_note *n = p;

	g_free(n->kind);
	g_free(n->text);
	g_free(n);
}

GPtrArray *
sidelog_read(const char *db_path, const char *kind, gint64 *total)
{
	g_autofree char *path = sidelog_path(db_path);
	g_autofree char *buf = g_malloc(SIDELOG_BYTES);
	GPtrArray *out = g_ptr_array_new_with_free_func(note_free);
	struct header h;
	int fd;

	if (total)
		*total = 0;
	if ((fd = open_locked(path, buf, &h, NULL)) == -1)
		return out;
	close(fd);
	for (guint k = 0; total && kinds[k]; k++)
		if (kind && strcmp(kinds[k], kind) == 0)
			*total = h.total[k];
	/* oldest first: from the slot written next, round the ring */
	for (guint i = 0; i < SIDELOG_SLOTS; i++) {
		guint slot = (h.next - 1 + i) % SIDELOG_SLOTS + 1;
		g_autofree char *line = g_strstrip(g_strndup(buf + slot * SIDELOG_SLOT_BYTES,
		    SIDELOG_SLOT_BYTES));
		g_auto(GStrv) w = g_strsplit(line, " ", 3);
		struct sidelog_note *n;

		if (g_strv_length(w) < 2 || (kind && strcmp(w[1], kind) != 0))
			continue;
		n = g_new0(struct sidelog_note, 1);
		n->at = g_ascii_strtoll(w[0], NULL, 10);
		n->kind = g_strdup(w[1]);
		n->text = g_strdup(w[2] ? w[2] : "");
		g_ptr_array_add(out, n);
	}
	return out;
}

gboolean
sidelog_sent_done(const char *db_path, gint64 id, GError **error)
{
	g_autofree char *path = sidelog_path(db_path);
	g_autofree char *buf = g_malloc(SIDELOG_BYTES);
	g_autofree char *want = g_strdup_printf(" " SIDELOG_SENT " %" G_GINT64_FORMAT " ", id);
	struct header h;
	gboolean ok = TRUE;
	int fd;

	if ((fd = open_locked(path, buf, &h, error)) == -1)
		return FALSE;
	for (guint i = 1; i <= SIDELOG_SLOTS && ok; i++) {
		char *slot = buf + i * SIDELOG_SLOT_BYTES;
		g_autofree char *line = g_strndup(slot, SIDELOG_SLOT_BYTES);
		char *at = strstr(line, want);
		g_autofree char *done = NULL;

		if (at == NULL)
			continue;
		*at = '\0';
		done = g_strdup_printf("%s " SIDELOG_SENT_DONE " %" G_GINT64_FORMAT, line, id);
		fill_slot(slot, done);
		ok = write_at(fd, slot, SIDELOG_SLOT_BYTES, (off_t)i * SIDELOG_SLOT_BYTES);
	}
	ok = ok && fdatasync(fd) == 0;
	if (!ok)
		set_errno_error(error, "write", path);
	close(fd);
	return ok;
}
