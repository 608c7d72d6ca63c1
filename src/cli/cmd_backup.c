/* SPDX-License-Identifier: GPL-3.0-or-later */
/* essaim backup FILE: a consistent copy of the live database and the secret
 * (FILE.secret), restorable by copying both back. */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "base/log.h"

static gboolean
copy_private(const char *from, const char *to, GError **error)
{
	g_autofree char *data = NULL;
	g_autofree char *tmp = g_strconcat(to, ".tmp", NULL);
	gsize len;
	int fd;

	if (!g_file_get_contents(from, &data, &len, error))
		return FALSE;
	g_unlink(tmp);
	fd = g_open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd == -1 || write(fd, data, len) != (ssize_t)len || fsync(fd) == -1 ||
	    close(fd) == -1 || g_rename(tmp, to) == -1) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
		    "cannot write %s: %s", to, g_strerror(errno));
		g_unlink(tmp);
		return FALSE;
	}
	return TRUE;
}

int
cmd_backup(const struct cmd_opts *o, int argc, char **argv)
{
	struct essaim e = { 0 };
	g_autoptr(GError) err = NULL;
	g_autofree char *secret_copy = NULL;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: essaim backup FILE\n");
		return EXIT_USAGE;
	}
	if ((rc = cmd_open(&e, o)) != 0) {
		cmd_close(&e);
		return rc;
	}
	if (!store_backup(e.st, argv[1], &err)) {
		log_warnx("%s", err->message);
		cmd_close(&e);
		return EXIT_TEMPFAIL;
	}
	printf("database copied to %s\n", argv[1]);
	if (g_file_test(e.cfg->secret_file, G_FILE_TEST_EXISTS)) {
		secret_copy = g_strconcat(argv[1], ".secret", NULL);
		if (!copy_private(e.cfg->secret_file, secret_copy, &err)) {
			log_warnx("%s", err->message);
			cmd_close(&e);
			return EXIT_TEMPFAIL;
		}
		printf("secret copied to %s (mode 0600)\n", secret_copy);
	}
	printf("to restore: stop essaim, copy %s to %s%s%s\n", argv[1], e.cfg->database,
	    secret_copy ? " and the secret copy to " : "", secret_copy ? e.cfg->secret_file : "");
	cmd_close(&e);
	return 0;
}
