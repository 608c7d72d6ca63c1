#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Write /etc/essaim/essaim.conf as installed (make install, the Debian
# package) from the example configuration EXAMPLE: the same comments, every
# key commented out except the paths of the database and the secret and the
# service user, so that `essaim check` passes on a fresh install, before any
# database or secret exists. Usage: tools/conffile.sh EXAMPLE > FILE
set -eu
[ $# -eq 1 ] && [ -f "$1" ] || { echo "usage: tools/conffile.sh EXAMPLE" >&2; exit 64; }
cat <<'HEAD'
# /etc/essaim/essaim.conf: essaim's configuration; see essaim.conf(5).
#
# Installed with every key commented out but the database, the secret and
# the service user: set at least [essaim] address, [moderation] moderators,
# [mail] transport and where mail comes in ([intake], or `essaim ingest` from
# Postfix), then run `sudo -u essaim essaim check`.
# The values shown are examples for a collective whose mail is hosted in
# France; /usr/share/doc/essaim/examples/essaim.conf has them uncommented.
# Lists are separated by ';'. Relative paths are read from the folder of
# this file. Secret files must be mode 0600 and owned by the service user
# (essaim check refuses them otherwise).

HEAD
# the example's own header (up to its first blank line) is replaced above
sed -E -e '1,/^$/d' \
	-e '/^(database|secret_file|user) = /!s/^[a-z_]+ = /#&/' "$1"
