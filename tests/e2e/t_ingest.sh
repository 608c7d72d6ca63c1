#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# essaim ingest exits only 0 or 75, whatever happens to the database, the
# disk or the configuration; a redelivery stores nothing twice; a message
# over the size limit keeps its headers. Run against build/essaim and the
# ASan/UBSan build. Needs root (chown, mounts, setpriv to nobody).
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || fail "this test needs root (chown, tmpfs mount, setpriv)"
command -v sqlite3 >/dev/null || fail "sqlite3 missing (make deps)"
command -v setpriv >/dev/null || fail "setpriv missing (util-linux)"
command -v unshare >/dev/null || fail "unshare missing (util-linux)"
[ -x "$ESSAIM" ] || fail "$ESSAIM missing (make)"
[ -x "$ESSAIM_ASAN" ] || fail "$ESSAIM_ASAN missing (make build/asan/essaim)"
# nobody must reach its folders under $W
chmod 711 "$W"

# msg ID SUBJECT: a small message from a person.
msg() {
	printf 'From: Claire Dupont <claire@example.org>\nTo: dynamiques@ssa.example\n'
	[ -n "$1" ] && printf 'Message-ID: <%s@example.org>\n' "$1"
	printf 'Subject: %s\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n' "$2"
	printf 'Nom : Le Jardin partagé\nCommune : Arles\n'
}

# ingest WANT DIR [RUNNER...] < message: run "$BIN -c DIR/essaim.conf ingest",
# fail unless it exits WANT; any code other than 0 or 75 fails at once.
ingest() {
	want=$1 dir=$2
	shift 2
	set +e
	"$@" "$BIN" -c "$dir/essaim.conf" ingest 2> "$dir/stderr"
	got=$?
	set -e
	case $got in
	0 | 75) ;;
	*) cat "$dir/stderr" >&2; fail "ingest exited $got (only 0 or 75 allowed) in $dir" ;;
	esac
	[ "$got" -eq "$want" ] || { cat "$dir/stderr" >&2; fail "ingest exited $got, want $want in $dir"; }
}

# setup DIR [extra config lines...]: a config with its database in DIR/db.
setup() {
	d=$1
	shift
	mkdir -p "$d"
	{
		echo "[essaim]"
		echo "database = $d/db/essaim.db"
		echo "address = dynamiques@ssa.example"
		echo "busy_timeout = 1"
		for l in "$@"; do echo "$l"; done
	} > "$d/essaim.conf"
}

q() { sqlite3 -batch -noheader "$1/db/essaim.db" "$2"; }

as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }

run_suite() {
	B=$1
	tag=$(basename "$(dirname "$BIN")")

	# --- the same message twice: 0, one row ------------------------------
	d=$W/$tag/dup
	setup "$d"
	msg dup1 "formulaire" > "$d/m.eml"
	ingest 0 "$d" < "$d/m.eml"
	ingest 0 "$d" < "$d/m.eml"
	[ "$(q "$d" "SELECT count(*) FROM messages")" = 1 ] || fail "$tag: duplicate stored twice"
	[ "$(q "$d" "SELECT outcome FROM messages")" = invalid ] || fail "$tag: outcome not recorded"
	# same Message-ID from another sender is another message
	sed 's/claire@example.org/paul@example.org/' "$d/m.eml" | ingest 0 "$d"
	[ "$(q "$d" "SELECT count(*) FROM messages")" = 2 ] || fail "$tag: From not part of the identity"
	pass "$tag: same message twice: one row"

	# --- no Message-ID twice: one row, by sha256 --------------------------
	d=$W/$tag/nomid
	setup "$d"
	msg "" "sans identifiant" > "$d/m.eml"
	ingest 0 "$d" < "$d/m.eml"
	ingest 0 "$d" < "$d/m.eml"
	[ "$(q "$d" "SELECT count(*) FROM messages WHERE message_id IS NULL")" = 1 ] ||
		fail "$tag: message without Message-ID stored twice"
	sha=$(sha256sum < "$d/m.eml" | cut -d' ' -f1)
	[ "$(q "$d" "SELECT sha256 FROM messages")" = "$sha" ] || fail "$tag: sha256 is not of the raw bytes"
	pass "$tag: no Message-ID twice: one row (sha256)"

	# --- a leading mbox From line is stripped ------------------------------
	d=$W/$tag/mbox
	setup "$d"
	{ printf 'From claire@example.org Mon Mar  3 10:00:00 2025\n'; msg mbox1 "mbox"; } > "$d/m.eml"
	ingest 0 "$d" < "$d/m.eml"
	[ "$(q "$d" "SELECT substr(CAST(raw AS TEXT), 1, 6) FROM message_raw")" = "From: " ] ||
		fail "$tag: mbox From line kept"
	[ "$(q "$d" "SELECT size FROM messages")" = "$(msg mbox1 mbox | wc -c)" ] ||
		fail "$tag: size counts the mbox line"
	pass "$tag: mbox From line stripped"

	# --- over max_message_bytes: read to the end, headers kept ------------
	d=$W/$tag/big
	setup "$d" "[intake]" "max_message_bytes = 64k"
	{
		msg big1 "trop gros"
		i=0
		while [ $i -lt 3000 ]; do
			echo "Description : une ligne de remplissage numéro $i pour dépasser la limite."
			i=$((i + 1))
		done
	} > "$d/m.eml"
	size=$(wc -c < "$d/m.eml")
	[ "$size" -gt 65536 ] || fail "test message not over the limit"
	ingest 0 "$d" < "$d/m.eml"
	[ "$(q "$d" "SELECT outcome FROM messages")" = too_large ] || fail "$tag: outcome not too_large"
	[ "$(q "$d" "SELECT count(*) FROM message_raw")" = 0 ] || fail "$tag: raw of a too large message kept"
	[ "$(q "$d" "SELECT size FROM messages")" = "$size" ] || fail "$tag: size is not what was read"
	q "$d" "SELECT headers FROM messages" | grep -q '^Message-ID: <big1@example.org>' ||
		fail "$tag: headers not stored"
	q "$d" "SELECT headers FROM messages" | grep -q 'remplissage' && fail "$tag: body kept in headers"
	[ "$(q "$d" "SELECT subject FROM messages")" = "trop gros" ] || fail "$tag: subject not stored"
	ingest 0 "$d" < "$d/m.eml"
	[ "$(q "$d" "SELECT count(*) FROM messages")" = 1 ] || fail "$tag: too large message stored twice"
	pass "$tag: too large: read to the end, headers stored, too_large, 0"

	# --- garbage on stdin: 0 and an outcome --------------------------------
	d=$W/$tag/garbage
	setup "$d"
	ingest 0 "$d" < /dev/null
	head -c 20000 "$ESSAIM" > "$d/bin"
	ingest 0 "$d" < "$d/bin"
	printf '\r\n\r\n\0\0\0\377\376' | ingest 0 "$d"
	ingest 0 "$d" < /dev/null
	[ "$(q "$d" "SELECT count(*) FROM messages")" = 3 ] || fail "$tag: garbage not stored once each"
	[ "$(q "$d" "SELECT count(*) FROM messages WHERE outcome IN ('received', '') OR outcome IS NULL")" = 0 ] ||
		fail "$tag: garbage without an outcome"
	pass "$tag: empty and binary input: 0, outcome recorded"

	# --- a write lock held by another process: 75 within busy_timeout -----
	d=$W/$tag/lock
	setup "$d"
	msg lock0 "avant" | ingest 0 "$d"
	hold_write_lock "$d/db/essaim.db" "$d"
	start=$(date +%s%N)
	msg lock1 "pendant" | ingest 75 "$d"
	ms=$((($(date +%s%N) - start) / 1000000))
	[ "$ms" -ge 900 ] || fail "$tag: 75 after ${ms} ms, before busy_timeout (1 s)"
	[ "$ms" -lt 8000 ] || fail "$tag: 75 after ${ms} ms, far past busy_timeout (1 s)"
	release_write_lock
	msg lock1 "pendant" | ingest 0 "$d"
	[ "$(q "$d" "SELECT count(*) FROM messages WHERE message_id = 'lock1@example.org'")" = 1 ] ||
		fail "$tag: message not stored after the lock was released"
	pass "$tag: write lock held: 75 after ${ms} ms, then 0"

	# --- a new database another ingest is creating: wait, then 0 ---------
	# Switching a new (rollback-journal) database to WAL while another
	# process holds its write lock fails at once, without SQLite's busy
	# handler: two of the MTA's first deliveries at the same moment.
	d=$W/$tag/newlock
	setup "$d"
	mkdir -p "$d/db"
	: > "$d/db/essaim.db"
	hold_write_lock "$d/db/essaim.db" "$d"
	(sleep 0.4; echo "COMMIT;" >&7) &
	releaser=$!
	msg new1 "premier" | ingest 0 "$d"
	wait $releaser
	exec 7>&-
	wait $lock_holder
	[ "$(q "$d" "SELECT count(*) FROM messages WHERE message_id = 'new1@example.org'")" = 1 ] ||
		fail "$tag: message not stored once the new database's lock was released"
	pass "$tag: a new database's write lock held 0.4 s: waited, then 0"

	# --- a read-only database folder: 75 -----------------------------------
	# (a) root, read-only bind mount (root ignores modes, not mounts)
	d=$W/$tag/robind
	setup "$d"
	msg ro0 "avant" | ingest 0 "$d"
	msg ro1 "lecture seule" > "$d/m.eml"
	ingest 75 "$d" unshare -m sh -c 'dir=$1; shift; mount --bind -o ro "$dir" "$dir" && exec "$@"' sh \
		"$d/db" < "$d/m.eml"
	ingest 0 "$d" < "$d/m.eml"
	# (b) the service user (nobody), folder mode 0555, no database yet and then one
	d=$W/$tag/romode
	setup "$d"
	mkdir -p "$d/db"
	chown -R nobody:nogroup "$d"
	chmod 555 "$d/db"
	msg ro2 "lecture seule" > "$d/m.eml"
	ingest 75 "$d" as_nobody < "$d/m.eml"
	chmod 755 "$d/db"
	ingest 0 "$d" as_nobody < "$d/m.eml"
	# the log and its index stay beside the database after a clean close
	# (no checkpoint on close, src/store/store.c): with them there, a folder made
	# read-only afterwards still takes mail, the files being writable
	[ -f "$d/db/essaim.db-wal" ] || fail "$tag: no -wal file kept after a clean close"
	chmod 555 "$d/db"
	msg ro3 "encore" | ingest 0 "$d" as_nobody
	chmod 755 "$d/db"
	pass "$tag: read-only database folder: 75 (bind mount as root; mode 0555 as nobody)"

	# --- a full disk: 75, then 0 once there is room ------------------------
	# A 4 MiB tmpfs in a private mount namespace (gone when the test ends).
	# (a) no byte left: the WAL index cannot even be created;
	# (b) 96 KiB left, enough to open the database, not to store a 300 KB
	#     message: SQLite says "database or disk is full" at the commit.
	d=$W/$tag/full
	setup "$d"
	mkdir -p "$d/db"
	msg full1 "disque plein" > "$d/small.eml"
	{
		msg full2 "gros message"
		i=0
		while [ $i -lt 4000 ]; do
			echo "Description : ligne $i, assez longue pour remplir le petit disque de test."
			i=$((i + 1))
		done
	} > "$d/big.eml"
	unshare -m sh -c '
		set -e
		d=$1 bin=$2
		mount -t tmpfs -o size=4m tmpfs "$d/db"
		"$bin" -c "$d/essaim.conf" ingest < "$d/small.eml"
		dd if=/dev/zero of="$d/db/room" bs=4k count=24 2>/dev/null
		dd if=/dev/zero of="$d/db/fill" bs=4k 2>/dev/null || true
		set +e
		"$bin" -c "$d/essaim.conf" ingest < "$d/big.eml" 2> "$d/a.err"
		echo $? > "$d/a.rc"
		rm -f "$d/db/room"
		"$bin" -c "$d/essaim.conf" ingest < "$d/big.eml" 2> "$d/b.err"
		echo $? > "$d/b.rc"
		rm -f "$d/db/fill"
		"$bin" -c "$d/essaim.conf" ingest < "$d/big.eml" 2> "$d/c.err"
		echo $? > "$d/c.rc"
		sqlite3 "$d/db/essaim.db" "SELECT count(*) FROM messages" > "$d/count"
	' sh "$d" "$BIN"
	for step in a b c; do
		rc=$(cat "$d/$step.rc")
		case $rc in 0 | 75) ;; *) cat "$d/$step.err" >&2; fail "$tag: full disk ($step) exited $rc" ;; esac
	done
	[ "$(cat "$d/a.rc")" = 75 ] || { cat "$d/a.err" >&2; fail "$tag: no space left gave $(cat "$d/a.rc"), want 75"; }
	[ "$(cat "$d/b.rc")" = 75 ] || { cat "$d/b.err" >&2; fail "$tag: 96 KiB left gave $(cat "$d/b.rc"), want 75"; }
	grep -q "disk is full" "$d/b.err" || { cat "$d/b.err" >&2; fail "$tag: full disk not said"; }
	[ "$(cat "$d/c.rc")" = 0 ] || { cat "$d/c.err" >&2; fail "$tag: after freeing space gave $(cat "$d/c.rc")"; }
	[ "$(cat "$d/count")" = 2 ] || fail "$tag: full disk lost or doubled a message"
	pass "$tag: full disk (4 MiB tmpfs): 75 with no space and with too little, then 0"

	# --- configuration problems -------------------------------------------
	d=$W/$tag/conf
	setup "$d"
	msg conf1 "config" > "$d/m.eml"
	set +e
	"$BIN" -c "$d/missing.conf" ingest < "$d/m.eml" 2> "$d/stderr"
	rc=$?
	set -e
	[ $rc -eq 75 ] || fail "$tag: missing config gave $rc, want 75"
	chmod 600 "$d/essaim.conf"
	chown -R nobody:nogroup "$d"
	chown root:root "$d/essaim.conf"
	ingest 75 "$d" as_nobody < "$d/m.eml"
	grep -q "essaim.conf" "$d/stderr" || fail "$tag: unreadable config not named"
	chown nobody:nogroup "$d/essaim.conf"
	printf 'colour = blue\n[future]\nkey = 1\n' >> "$d/essaim.conf"
	ingest 0 "$d" as_nobody < "$d/m.eml"
	grep -q "warning: .*colour" "$d/stderr" || fail "$tag: unknown key not warned"
	printf '[essaim]\nthis is not a key file\n' > "$d/essaim.conf"
	ingest 75 "$d" as_nobody < "$d/m.eml"
	pass "$tag: missing or unreadable config: 75; unknown keys: warning, 0"

	# --- a database owned by another user ----------------------------------
	d=$W/$tag/owner
	setup "$d"
	msg own0 "avant" | ingest 0 "$d"
	# handed over with its log and index (kept after a clean close)
	chown nobody:nogroup "$d/db/essaim.db" "$d/db/essaim.db-wal" "$d/db/essaim.db-shm"
	msg own1 "propriétaire" > "$d/m.eml"
	ingest 75 "$d" < "$d/m.eml"
	grep -q "belongs to uid 65534" "$d/stderr" || fail "$tag: no clear refusal: $(cat "$d/stderr")"
	for f in "$d/db/essaim.db" "$d/db/essaim.db-wal" "$d/db/essaim.db-shm"; do
		[ "$(stat -c %u "$f")" != 0 ] || fail "$tag: root left $f beside nobody's database"
	done
	# every other command that exists: 78
	for c in check list status "show 1" export; do
		"$BIN" --help | grep -q "^  ${c%% *} " || continue
		set +e
		"$BIN" -c "$d/essaim.conf" $c > "$d/out" 2>&1
		rc=$?
		set -e
		[ $rc -eq 78 ] || fail "$tag: '$c' on another user's database gave $rc, want 78"
		grep -q "belongs to uid 65534" "$d/out" || fail "$tag: '$c' did not say why"
	done
	# the owner itself can still use it
	chown -R nobody:nogroup "$d"
	ingest 0 "$d" as_nobody < "$d/m.eml"
	pass "$tag: database of another user: ingest 75, other commands 78, owner 0"
}

for BIN in "$ESSAIM" "$ESSAIM_ASAN"; do
	run_suite "$BIN"
done
