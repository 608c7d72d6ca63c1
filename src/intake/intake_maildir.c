/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The Maildir intake: what waits is every message in new/ and every message
 * in cur/ without the S flag. Each one moves to cur/ with the S flag only
 * after the batch transaction that stores it committed (ack()).
 *
 * Only regular files are read, opened so that nothing can block or follow
 * (O_NONBLOCK, O_NOFOLLOW) and checked with fstat. Anything else (a FIFO, a
 * symbolic link, a device, a folder) is moved to quarantine/ in the Maildir
 * and reported: it never holds up the messages behind it.
 */
#include "intake/intake.h"
#include "base/failpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/limit.h"
#include "base/log.h"
#include "intake/readahead.h"

struct maildir_pass {
	char *root;
	gint64 settle_us;	/* files of new/ younger than this wait */
	guint64 max_bytes;	/* [limits] max_message_bytes */
	/* "new/NAME" or "cur/NAME", in arrival order; fixed once listed, but
	 * for the entries of files gone (NULL), which only the step sets, on
	 * entries the read-ahead thread handed over already */
	GPtrArray *waiting;
	guint next;
	guint acked;		/* waiting[acked..next) are taken, not yet moved */
	/* messages read, hashed and parsed ahead in a second thread (more
	 * than one waiting), or NULL: read here, one step at a time */
	struct readahead *ahead;
};

char *
intake_maildir_seen_name(const char *name)
{
	const char *info = strstr(name, ":2,");
	const char *colon = strchr(name, ':');
	g_autofree char *base = g_strndup(name, colon ? (gsize)(colon - name) : strlen(name));
	gboolean flag[128] = { FALSE };
	GString *out;

	/* Flags are single ASCII letters; keep them, add S, write them sorted. */
	if (info)
		for (const char *f = info + 3; *f; f++)
			if ((guchar)*f < 128 && g_ascii_isalpha(*f))
				flag[(guchar)*f] = TRUE;
	flag['S'] = TRUE;
	out = g_string_new(base);
	g_string_append(out, ":2,");
	for (int c = 0; c < 128; c++)
		if (flag[c])
			g_string_append_c(out, (char)c);
	return g_string_free(out, FALSE);
}

/* Whether a cur/ name carries the S flag (essaim's mark, or a reader's). */
static gboolean
has_seen_flag(const char *name)
{
	const char *info = strstr(name, ":2,");

	return info && strchr(info + 3, 'S') != NULL;
}

static int
by_basename(gconstpointer a, gconstpointer b)
{
	const char *x = *(const char *const *)a;
	const char *y = *(const char *const *)b;

	/* "new/" and "cur/" have the same length: compare the names */
	return strcmp(x + 4, y + 4);
}

/*
 * Move REL (a name under the Maildir ROOT that is not a regular file) to
 * ROOT/quarantine/, where the operator finds it, and say so. The pass goes
 * on whether the move worked or not.
 */
static void
quarantine(const char *root, const char *rel, const char *what)
{
	g_autofree char *dir = g_build_filename(root, "quarantine", NULL);
	g_autofree char *from = g_build_filename(root, rel, NULL);
	g_autofree char *base = g_path_get_basename(rel);
	g_autofree char *to = g_build_filename(dir, base, NULL);

	if (g_mkdir_with_parents(dir, 0700) == -1 || rename(from, to) == -1) {
		log_warnx("%s is %s, not a mail; it cannot be moved aside (%s): skipped", from,
		    what, g_strerror(errno));
		return;
	}
	log_warnx("%s is %s, not a mail: moved to %s", from, what, to);
}

static const char *
kind_of(mode_t m)
{
	if (S_ISLNK(m))
		return "a symbolic link";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISDIR(m))
		return "a folder";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	return "not a regular file";
}

/* Whether a file last changed at MTIME/CTIME (lstat) is still being
 * written, by the settle rule. */
static gboolean
unsettled(const struct maildir_pass *p, const struct stat *sb)
{
	gint64 now = g_get_real_time();
	gint64 m = (gint64)sb->st_mtim.tv_sec * G_USEC_PER_SEC + sb->st_mtim.tv_nsec / 1000;
	gint64 c = (gint64)sb->st_ctim.tv_sec * G_USEC_PER_SEC + sb->st_ctim.tv_nsec / 1000;

	return p->settle_us > 0 && now - MAX(m, c) < p->settle_us;
}

static gboolean
list_dir(struct maildir_pass *p, struct essaim *e, const char *sub, GError **error)
{
	g_autofree char *dir = g_build_filename(p->root, sub, NULL);
	g_autoptr(GDir) d = g_dir_open(dir, 0, error);
	const char *name;

	if (d == NULL)
		return FALSE;
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree char *rel = NULL;
		g_autofree char *path = NULL;
		struct stat sb;

		if (name[0] == '.')
			continue;
		if (strcmp(sub, "cur") == 0 && has_seen_flag(name))
			continue;
		rel = g_strconcat(sub, "/", name, NULL);
		path = g_build_filename(p->root, rel, NULL);
		if (lstat(path, &sb) == -1)
			continue;	/* gone since the listing */
		if (!S_ISREG(sb.st_mode)) {
			quarantine(p->root, rel, kind_of(sb.st_mode));
			continue;
		}
		if (strcmp(sub, "new") == 0 && unsettled(p, &sb)) {
			e->maildir_unsettled = TRUE;
			continue;
		}
		g_ptr_array_add(p->waiting, g_steal_pointer(&rel));
	}
	return TRUE;
}

static void
maildir_close(void *state)
{
	struct maildir_pass *p = state;

	if (p == NULL)
		return;
	/* joins the thread before the listing it reads goes away */
	readahead_free(p->ahead);
	g_free(p->root);
	if (p->waiting)
		g_ptr_array_free(p->waiting, TRUE);
	g_free(p);
}

static gboolean
maildir_configured(const struct config *cfg)
{
	return cfg->maildir != NULL;
}

static gboolean read_ahead(gpointer ctx, guint i, struct intake_msg *im, gboolean *gone,
    GError **error);

static void *
maildir_open(struct essaim *e, GError **error)
{
	struct maildir_pass *p = g_new0(struct maildir_pass, 1);
	const char *subs[] = { "new", "cur", "tmp" };
	g_autoptr(GError) err = NULL;

	p->root = g_strdup(e->cfg->maildir);
	p->settle_us = (gint64)e->maildir_settle * G_USEC_PER_SEC;
	p->max_bytes = e->cfg->max_message_bytes;
	e->maildir_unsettled = FALSE;
	p->waiting = g_ptr_array_new_with_free_func(g_free);
	for (size_t i = 0; i < G_N_ELEMENTS(subs); i++) {
		g_autofree char *dir = g_build_filename(p->root, subs[i], NULL);

		if (g_file_test(dir, G_FILE_TEST_IS_DIR))
			continue;
		log_info("creating maildir folder %s", dir);
		if (g_mkdir_with_parents(dir, 0700) == -1) {
			g_set_error(error, INTAKE_ERROR, INTAKE_ERROR_TEMPORARY,
			    "cannot create maildir folder %s: %s", dir, g_strerror(errno));
			maildir_close(p);
			return NULL;
		}
	}
	if (!list_dir(p, e, "new", &err) || !list_dir(p, e, "cur", &err)) {
		g_set_error(error, INTAKE_ERROR, INTAKE_ERROR_TEMPORARY,
		    "cannot read maildir: %s", err->message);
		maildir_close(p);
		return NULL;
	}
	g_ptr_array_sort(p->waiting, by_basename);
	if (p->waiting->len > INTAKE_PASS_MAX)
		g_ptr_array_set_size(p->waiting, INTAKE_PASS_MAX);
	if (p->waiting->len > 1)
		p->ahead = readahead_new(p->waiting->len, read_ahead, p, e->cfg);
	return p;
}

/*
 * Read REL (under ROOT) into IM. Never blocks (a FIFO put there after the
 * listing) nor follows a link: *GONE and TRUE when there is nothing to
 * read (taken away, or moved to quarantine/).
 */
static gboolean
read_file(const char *root, const char *rel, guint64 max, struct intake_msg *im,
    gboolean *gone, GError **error)
{
	g_autofree char *path = g_build_filename(root, rel, NULL);
	struct stat sb;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	gboolean ok;

	*gone = FALSE;
	if (fd == -1) {
		/* taken away since the listing (another reader, a person): nothing to do */
		if (errno == ENOENT) {
			*gone = TRUE;
			return TRUE;
		}
		if (errno == ELOOP || errno == ENXIO || errno == EISDIR) {
			/* made a link, a socket or a folder since the listing */
			if (lstat(path, &sb) == 0)
				quarantine(root, rel, kind_of(sb.st_mode));
			*gone = TRUE;
			return TRUE;
		}
		g_set_error(error, INTAKE_ERROR, INTAKE_ERROR_TEMPORARY, "cannot open %s: %s",
		    path, g_strerror(errno));
		return FALSE;
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		close(fd);
		quarantine(root, rel, kind_of(sb.st_mode));
		*gone = TRUE;
		return TRUE;
	}
	/* a regular file: plain blocking reads from here */
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == -1) {
		g_set_error(error, INTAKE_ERROR, INTAKE_ERROR_TEMPORARY, "cannot read %s: %s",
		    path, g_strerror(errno));
		close(fd);
		return FALSE;
	}
	ok = intake_read_fd(fd, max, im, error);
	close(fd);
	if (!ok)
		g_prefix_error(error, "%s: ", path);
	return ok;
}

/*
 * The read-ahead thread's reader (intake/readahead.h): file I of the
 * listing. It reads P's root, limit and listing, which stay unchanged while
 * the thread lives (maildir_close() joins it first); a file that is not a
 * regular one any more goes to quarantine/, a name the calling thread
 * never moves (it moves only what the thread handed over as read).
 */
static gboolean
read_ahead(gpointer ctx, guint i, struct intake_msg *im, gboolean *gone, GError **error)
{
	struct maildir_pass *p = ctx;

	if (!read_file(p->root, p->waiting->pdata[i], p->max_bytes, im, gone, error))
		return FALSE;
	im->source = "maildir";
	return TRUE;
}

/* The next message read ahead, stored and processed here. */
static enum intake_step
step_ahead(struct maildir_pass *p, struct essaim *e, GError **error)
{
	while (p->next < p->waiting->len) {
		struct readahead_item *it = readahead_next(p->ahead);
		gint64 rowid;
		enum intake_result r;

		if (it == NULL || it->index != p->next) {
			/* cannot happen: the thread hands over every index in order */
			g_set_error(error, INTAKE_ERROR, INTAKE_ERROR_TEMPORARY,
			    "maildir read-ahead out of order: %s %u for %u",
			    it ? "message" : "nothing", it ? it->index : 0, p->next);
			readahead_done(p->ahead, it);
			return INTAKE_STEP_FAILED;
		}
		if (it->error) {
			g_propagate_error(error, g_steal_pointer(&it->error));
			readahead_done(p->ahead, it);
			return INTAKE_STEP_FAILED;
		}
		if (it->gone) {
			readahead_done(p->ahead, it);
			/* nothing to move: a NULL stays in its place for ack() */
			g_free(g_steal_pointer(&p->waiting->pdata[p->next]));
			p->next++;
			continue;
		}
		r = intake_process(e, &it->im, &rowid, error);
		readahead_done(p->ahead, it);
		if (r == INTAKE_TEMPFAIL)
			return INTAKE_STEP_FAILED;
		p->next++;
		return INTAKE_STEP_MESSAGE;
	}
	return INTAKE_STEP_END;
}

static gboolean
maildir_prepare(void *state, struct essaim *e, GError **error)
{
	(void)state;
	(void)e;
	(void)error;
	return TRUE;
}

static enum intake_step
maildir_step(void *state, struct essaim *e, GError **error)
{
	struct maildir_pass *p = state;

	if (p->ahead)
		return step_ahead(p, e, error);
	while (p->next < p->waiting->len) {
		const char *rel = p->waiting->pdata[p->next];
		struct intake_msg im = { 0 };
		gboolean gone;
		gint64 rowid;
		enum intake_result r;

		if (!read_file(p->root, rel, e->cfg->max_message_bytes, &im, &gone, error)) {
			intake_msg_clear(&im);
			return INTAKE_STEP_FAILED;
		}
		if (gone) {
			intake_msg_clear(&im);
			/* nothing to move: a NULL stays in its place for ack() */
			g_free(g_steal_pointer(&p->waiting->pdata[p->next]));
			p->next++;
			continue;
		}
		im.source = "maildir";
		r = intake_process(e, &im, &rowid, error);
		intake_msg_clear(&im);
		if (r == INTAKE_TEMPFAIL)
			return INTAKE_STEP_FAILED;
		p->next++;
		return INTAKE_STEP_MESSAGE;
	}
	return INTAKE_STEP_END;
}

static guint
maildir_taken(void *state)
{
	const struct maildir_pass *p = state;

	return p->next;
}

/* Move what the committed batches up to MARK hold to cur/, with the S flag. */
static gboolean
maildir_ack(void *state, struct essaim *e, guint mark, GError **error)
{
	struct maildir_pass *p = state;

	(void)e;
	mark = MIN(mark, p->next);
	if (p->acked >= mark)
		return TRUE;
	failpoint("maildir-after-commit");
	for (; p->acked < mark; p->acked++) {
		const char *rel = p->waiting->pdata[p->acked];
		g_autofree char *path = NULL;
		g_autofree char *seen = NULL;
		g_autofree char *dest = NULL;

		if (rel == NULL)
			continue;
		path = g_build_filename(p->root, rel, NULL);
		seen = intake_maildir_seen_name(rel + 4);
		dest = g_build_filename(p->root, "cur", seen, NULL);
		/*
		 * No fsync of cur/: should the rename be lost in a crash, the
		 * message is read again and recognised as already seen.
		 */
		if (rename(path, dest) == -1 && errno != ENOENT) {
			g_set_error(error, INTAKE_ERROR, INTAKE_ERROR_TEMPORARY,
			    "cannot move %s to %s: %s", path, dest, g_strerror(errno));
			return FALSE;
		}
	}
	failpoint("maildir-after-move");
	return TRUE;
}

/* Not committed: the files stay where they are, for the next pass. */
static void
maildir_forget(void *state)
{
	struct maildir_pass *p = state;

	p->acked = p->next;
}

const struct intake_source intake_maildir = {
	.name = "maildir",
	.configured = maildir_configured,
	.open = maildir_open,
	.prepare = maildir_prepare,
	.step = maildir_step,
	.taken = maildir_taken,
	.ack = maildir_ack,
	.forget = maildir_forget,
	.close = maildir_close,
	.pipelined = TRUE,
};
