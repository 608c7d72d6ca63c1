#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Exactly once: essaim dies after each durable step of the per-message path
# and of fetch (ESSAIM_FAILPOINT), is started again, and every message yields
# exactly one stored message with one outcome; the mailbox ends as if
# nothing had happened.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e/intake-lib.sh"

# die_then_recover FAILPOINT: the first run must die at FAILPOINT (exit 99).
die_then_recover() {
	set +e
	ESSAIM_FAILPOINT=$1 $ESSAIM fetch 2> "$W/fp.log"
	rc=$?
	set -e
	[ "$rc" = 99 ] || { cat "$W/fp.log"; fail "$1: the process did not die there (exit $rc)"; }
	grep -q "failpoint $1" "$W/fp.log" || fail "$1: no failpoint message"
	$ESSAIM fetch 2> "$W/recover.log" || { cat "$W/recover.log"; fail "$1: recovery fetch failed"; }
}

# Maildir: the per-message path, then the Maildir's own steps.
for fp in after-store before-process-commit after-process maildir-after-commit maildir-after-move; do
	rm -rf "$W/data" "$W/Maildir"
	M=$W/Maildir
	mkmaildir "$M"
	mkconf <<C
[intake]
maildir = $M
C
	deliver "$M" 1
	deliver "$M" 2 auto
	deliver "$M" 3 nomid
	deliver "$M" 4 list
	die_then_recover $fp
	exactly_once 4
	[ "$(count_files "$M/new")" = 0 ] || fail "$fp: messages left in new/"
	[ "$(ls "$M/cur" | grep -c ':2,S$')" = 4 ] || fail "$fp: cur/ holds $(ls "$M/cur")"
	pass "maildir $fp"
done

# IMAP: the per-message path, then the IMAP steps (MOVE, and the COPY
# fallback of a server without MOVE).
start_dovecot
for fp in after-store after-process imap-after-commit imap-after-move imap-after-state imap-after-copy; do
	rm -rf "$W/data"
	imap '
for box in ("INBOX", "Traites"):
    try:
        M.select(box)
        M.store("1:*", "+FLAGS", "\\Deleted")
        M.expunge()
    except Exception:
        pass
'
	if [ $fp = imap-after-copy ]; then
		stop_dovecot
		echo 'imap_capability = IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE UIDPLUS' >> "$W/dovecot/dovecot.conf"
		dovecot -c "$W/dovecot/dovecot.conf" || fail "dovecot did not restart"
		DOVECOT_STARTED=1
		sleep 0.5
	fi
	mkconf <<C
$(imap_conf)
C
	# the question first, so that the failpoint fires while it is taken
	imap 'append(1); append(2, "auto"); append(3, "nomid"); append(4, "list")'
	die_then_recover $fp
	exactly_once 4
	# a COPY repeated after a crash may leave a second copy in the processed
	# folder; the entries are never doubled
	imap '
assert count() == 2, ("inbox", count())
assert unseen() == 2, ("unseen", unseen())
assert count("Traites") >= 2, count("Traites")
'
	pass "imap $fp"
done
