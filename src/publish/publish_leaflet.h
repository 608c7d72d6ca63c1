/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: publish. Uses the rest of publish/.
 *
 * Leaflet and Leaflet.markercluster for the map page: Debian's libjs-leaflet
 * and libjs-leaflet.markercluster files when the system has them, the copy
 * embedded at build time (tools/vendor-map.sh) otherwise.
 */
#ifndef ESSAIM_PUBLISH_LEAFLET_H
#define ESSAIM_PUBLISH_LEAFLET_H

#include <glib.h>

/* Where Debian installs JavaScript libraries ([publish] javascript_dir). */
#define PUBLISH_JAVASCRIPT_DIR "/usr/share/javascript"

/*
 * Replace the vendor/ files of FILES (struct publish_file, the embedded
 * copy) by the system's, found under DIR/leaflet or DIR/leaflet.markercluster
 * (the source-map comment dropped, as tools/vendor-map.sh does), but only
 * when every one of them is there and readable: the page never mixes two
 * copies. TRUE when the system's were taken; FALSE, FILES untouched and *WHY
 * (g_free) saying which file was missing, otherwise. DIR NULL: FALSE.
 */
gboolean publish_leaflet_system(GPtrArray *files, const char *dir, char **why);

#endif
