/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: publish. Uses base/ and the rest of publish/.
 *
 * Copy of the published folder to a remote static host with libcurl: FTP,
 * FTPS, SFTP (folders created as needed) or HTTP(S) PUT (WebDAV: MKCOL for
 * folders).
 */
#ifndef ESSAIM_PUBLISH_UPLOAD_H
#define ESSAIM_PUBLISH_UPLOAD_H

#include <glib.h>

/* Seconds allowed to connect, and for one file. */
#define PUBLISH_UPLOAD_CONNECT_TIMEOUT 30
#define PUBLISH_UPLOAD_FILE_TIMEOUT 300

/*
 * Upload DIR/NAME for each NAME (relative paths, char *) of NAMES to
 * BASE_URL/NAME. The user name, if any, is in BASE_URL
 * ("ftp://user@host/www/"); PASSWORD may be NULL. Stops at the first failure:
 * FALSE and error naming the file and curl's reason.
 */
gboolean publish_upload(const char *base_url, const char *password, const char *dir,
    const GPtrArray *names, GError **error);

#endif
