# SPDX-License-Identifier: GPL-3.0-or-later
# Sieve script (Dovecot Pigeonhole with sieve_extprograms): pipe the mail for
# essaim's address to `essaim ingest`. In dovecot's 90-sieve-extprograms.conf:
#   sieve_plugins = sieve_extprograms
#   sieve_global_extensions = +vnd.dovecot.pipe
#   sieve_pipe_bin_dir = /usr/lib/dovecot/sieve-pipe
# and put in that folder an executable "essaim-ingest" script:
#   #!/bin/sh
#   exec /usr/bin/essaim ingest
# essaim ingest exits 75 when the message could not be stored: with :try
# the failure does not stop delivery, and the message is kept in the inbox,
# where `essaim fetch` (IMAP) can still take it.
require ["vnd.dovecot.pipe", "copy", "envelope"];

if envelope :is "to" "dynamiques@ssa-occitanie.fr" {
  pipe :copy :try "essaim-ingest";
}
