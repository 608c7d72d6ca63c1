#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# libcurl is loaded at run time, only by the commands that use the network
# (src/base/curl_load.c): essaim is not linked with it; `ingest` (one process per
# message, what Postfix's pipe runs) and a Maildir-only `fetch` never load it,
# `send` over SMTP does. When it cannot be loaded (ESSAIM_LIBCURL, the test
# hook, naming a missing file): `send` keeps the mail queued and exits 75,
# `fetch` takes the Maildir then exits 75 for the IMAP mailbox, `publish`
# writes the local files and exits 1 for the upload; each says why.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_smtp.sh"

NOLIB=/nonexistent/libcurl.so.4

# without_libcurl CMD RC: run essaim CMD with libcurl missing (its stderr in
# $W/CMD.err); fail unless it exits RC and says why.
without_libcurl() {
	rc=0
	ESSAIM_LIBCURL=$NOLIB "$ESSAIM" "$1" 2> "$W/$1.err" || rc=$?
	cat "$W/$1.err"
	[ "$rc" -eq "$2" ] || fail "$1 without libcurl exited $rc, want $2"
	grep -q "cannot load $NOLIB: .*No such file" "$W/$1.err" || fail "$1 does not say why"
}

# --- not linked ---------------------------------------------------------------------
not_linked 'libcurl' libcurl

# --- ingest does not load it -----------------------------------------------------------
port=$(free_port)
mkconf <<EOF
[mail]
transport = smtp://127.0.0.1:$port
[intake]
max_message_bytes = 2k
EOF
too_large_mail 'jeanne@example.org' 'Un' > "$W/a.eml"
too_large_mail 'paul@example.org' 'Deux' > "$W/b.eml"
LD_DEBUG=files LD_DEBUG_OUTPUT="$W/ld-ingest" "$ESSAIM" ingest < "$W/a.eml" ||
	fail "ingest exited $?"
loaded ingest > "$W/ingest.libs"
grep -q 'libgmime' "$W/ingest.libs" || fail "LD_DEBUG traced nothing: $(ls "$W")"
if grep -i 'curl' "$W/ingest.libs"; then fail "ingest loaded libcurl"; fi
# not even tried: without any libcurl, ingest works and says nothing of it
ESSAIM_LIBCURL=$NOLIB "$ESSAIM" ingest < "$W/b.eml" 2> "$W/ingest.err" ||
	fail "ingest exited $? with libcurl missing: $(cat "$W/ingest.err")"
if grep -i 'curl' "$W/ingest.err"; then fail "ingest tried to load libcurl"; fi
[ "$(db "SELECT count(*) FROM outbox WHERE status = 'queued'")" -eq 2 ] || fail "answers not queued"
pass "ingest neither loads nor needs libcurl"

# --- send: libcurl missing, then present ------------------------------------------------
start_smtpd "$W/smtp" --port "$port"
without_libcurl send 75
grep -q 'the mail stays queued' "$W/send.err" || fail "send does not say the mail stays queued"
[ "$(received "$W/smtp")" -eq 0 ] || fail "mail sent without libcurl?"
[ "$(db "SELECT count(*) FROM outbox WHERE status = 'queued'")" -eq 2 ] || fail "mail lost"
pass "send without libcurl: mail kept queued, exit 75, the reason logged"

LD_DEBUG=files LD_DEBUG_OUTPUT="$W/ld-send" "$ESSAIM" send || fail "send exited $?"
[ "$(received "$W/smtp")" -eq 2 ] || fail "received $(received "$W/smtp") mails, want 2"
[ "$(db "SELECT group_concat(status) FROM outbox")" = "sent,sent" ] || fail "rows not marked sent"
# the trace sees libcurl when it is loaded (so the ingest check above can fail)
loaded send | grep -q 'libcurl\.so\.4' || fail "send did not load libcurl.so.4"
pass "send loads libcurl.so.4 at run time and delivers"
stop_smtpd

# --- fetch: the Maildir is taken, the IMAP mailbox waits ---------------------------------
mkdir -p "$W/md/new" "$W/md/cur" "$W/md/tmp"
printf 'secret\n' > "$W/imap.pw"
chmod 600 "$W/imap.pw"
printf 'From: Anne <anne@example.org>\nTo: dynamiques@ssa.example\nSubject: Question\nMessage-ID: <q1@example.org>\n\nBonjour.\n' \
	> "$W/md/new/1.test"
rm -rf "$W/data"
mkconf <<EOF
[mail]
transport = maildir:$W/outbox
[intake]
maildir = $W/md
EOF
LD_DEBUG=files LD_DEBUG_OUTPUT="$W/ld-fetch" "$ESSAIM" fetch || fail "fetch exited $?"
[ "$(db "SELECT count(*) FROM messages")" -eq 1 ] || fail "Maildir message not taken"
loaded fetch | grep -q 'libgmime' || fail "LD_DEBUG traced nothing for fetch"
if loaded fetch | grep -i 'curl'; then fail "a Maildir-only fetch loaded libcurl"; fi
pass "fetch from a Maildir does not load libcurl"

printf 'From: Luc <luc@example.org>\nTo: dynamiques@ssa.example\nSubject: Autre\nMessage-ID: <q2@example.org>\n\nBonjour.\n' \
	> "$W/md/new/2.test"
cat >> "$W/essaim.conf" <<EOF
imap_url = imap://127.0.0.1:$(free_port)/INBOX
username = essaim
password_file = $W/imap.pw
EOF
without_libcurl fetch 75
grep -q 'cannot start libcurl' "$W/fetch.err" || fail "fetch does not name the IMAP failure"
[ "$(db "SELECT count(*) FROM messages")" -eq 2 ] || fail "the Maildir was not taken first"
pass "fetch without libcurl: Maildir taken, IMAP left for later, exit 75"

# --- publish: local files written, the upload fails ------------------------------------
printf 'motdepasse\n' > "$W/upload.pw"
chmod 600 "$W/upload.pw"
rm -rf "$W/data"
mkconf <<EOF
[publish]
directory = $W/public
tile_url =
upload_url = http://essaim@127.0.0.1:$(free_port)/site/
upload_password_file = $W/upload.pw
EOF
without_libcurl publish 1
grep -q "upload failed" "$W/publish.err" || fail "publish does not say the upload failed"
[ -s "$W/public/index.html" ] || fail "local files not written"
pass "publish without libcurl: local files written, upload error, exit 1"
