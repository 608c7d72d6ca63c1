/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The Maildir intake: what waits is every message in new/ and every message
 * in cur/ without the S flag. Each one moves to cur/ with the S flag only
 * after the batch transaction that stores it committed (ack()).
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

struct maildir_pass {
	char *root;
	GPtrArray *waiting;	/* "new/NAME" or "cur/NAME", in arrival order */
	guint next;
	guint acked;		/* waiting[acked..next) are taken, not yet moved */
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

static gboolean
list_dir(struct maildir_pass *p, const char *sub, GError **error)
{
	g_autofree char *dir = g_build_filename(p->root, sub, NULL);
	g_autoptr(GDir) d = g_dir_open(dir, 0, error);
	const char *name;

	if (d == NULL)
		return FALSE;
	while ((name = g_dir_read_name(d)) != NULL) {
		if (name[0] == '.')
			continue;
		if (strcmp(sub, "cur") == 0 && has_seen_flag(name))
			continue;
		g_ptr_array_add(p->waiting, g_strconcat(sub, "/", name, NULL));
	}
	return TRUE;
}

static void
maildir_close(void *state)
{
	struct maildir_pass *p = state;

	if (p == NULL)
		return;
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

static void *
maildir_open(struct essaim *e, GError **error)
{
	struct maildir_pass *p = g_new0(struct maildir_pass, 1);
	const char *subs[] = { "new", "cur", "tmp" };
	g_autoptr(GError) err = NULL;

	p->root = g_strdup(e->cfg->maildir);
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
	if (!list_dir(p, "new", &err) || !list_dir(p, "cur", &err)) {
		g_set_error(error, INTAKE_ERROR, INTAKE_ERROR_TEMPORARY,
		    "cannot read maildir: %s", err->message);
		maildir_close(p);
		return NULL;
	}
	g_ptr_array_sort(p->waiting, by_basename);
	if (p->waiting->len > INTAKE_PASS_MAX)
		g_ptr_array_set_size(p->waiting, INTAKE_PASS_MAX);
	return p;
}

static gboolean
read_file(const char *path, guint64 max, struct intake_msg *im, gboolean *gone,
    GError **error)
{
	struct stat sb;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	gboolean ok;

	*gone = FALSE;
	if (fd == -1) {
		/* taken away since the listing (another reader, a person): nothing to do */
		if (errno == ENOENT) {
			*gone = TRUE;
			return TRUE;
		}
		g_set_error(error, INTAKE_ERROR, INTAKE_ERROR_TEMPORARY, "cannot open %s: %s",
		    path, g_strerror(errno));
		return FALSE;
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		log_warnx("%s is not a regular file; left alone", path);
		close(fd);
		*gone = TRUE;
		return TRUE;
	}
	ok = intake_read_fd(fd, max, im, error);
	close(fd);
	if (!ok)
		g_prefix_error(error, "%s: ", path);
	return ok;
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

	while (p->next < p->waiting->len) {
		const char *rel = p->waiting->pdata[p->next];
		g_autofree char *path = g_build_filename(p->root, rel, NULL);
		struct intake_msg im = { 0 };
		gboolean gone;
		gint64 rowid;
		enum intake_result r;

		if (!read_file(path, e->cfg->max_message_bytes, &im, &gone, error)) {
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

/* Move what the committed batch holds to cur/, with the S flag. */
static gboolean
maildir_ack(void *state, struct essaim *e, GError **error)
{
	struct maildir_pass *p = state;

	(void)e;
	if (p->acked == p->next)
		return TRUE;
	failpoint("maildir-after-commit");
	for (; p->acked < p->next; p->acked++) {
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
	.ack = maildir_ack,
	.forget = maildir_forget,
	.close = maildir_close,
};
