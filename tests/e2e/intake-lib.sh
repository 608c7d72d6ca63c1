# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=sh
# Sourced after lib.sh by the intake tests: test messages, Maildirs, and real
# Dovecot and Postfix servers started on loopback under $W (never the
# machine's own). A server that cannot start fails the test.

PY=/usr/bin/python3

# free_port: print a TCP port free on 127.0.0.1.
free_port() {
	$PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# mkmsg N [KIND]: print test message number N. KIND: person (default: a
# question for the volunteers), auto (auto-reply), list (list traffic),
# nomid (no Message-ID: deduplicated by its SHA-256).
mkmsg() {
	n=$1 kind=${2:-person}
	printf 'From: Personne %s <p%s@example.org>\n' "$n" "$n"
	printf 'To: dynamiques@ssa.example\n'
	printf 'Subject: Message %s (%s)\n' "$n" "$kind"
	printf 'Date: Mon, 2 Mar 2026 10:00:00 +0100\n'
	[ "$kind" = nomid ] || printf 'Message-ID: <msg-%s-%s@example.org>\n' "$kind" "$n"
	case $kind in
	auto) printf 'Auto-Submitted: auto-replied\n' ;;
	list) printf 'List-Id: <annonces.example.org>\nPrecedence: list\n' ;;
	esac
	printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n'
	printf 'Content-Transfer-Encoding: 8bit\n\n'
	printf 'Bonjour,\nmessage numéro %s.\n' "$n"
}

# mkmaildir DIR: create an empty Maildir.
mkmaildir() { mkdir -p "$1/new" "$1/cur" "$1/tmp"; }

# deliver DIR N [KIND]: deliver message N into Maildir DIR the way an MDA
# does (written in tmp/, then renamed into new/).
deliver() {
	f="$(date +%s).M$$P${1##*/}Q$2.test"
	mkmsg "$2" "${3:-person}" > "$1/tmp/$f"
	mv "$1/tmp/$f" "$1/new/$f"
}

# count_files DIR: files in DIR.
count_files() { find "$1" -maxdepth 1 -type f | wc -l | tr -d ' '; }

# exactly_once N: every one of the N messages given to essaim yields one
# message row, and each has reached an outcome.
exactly_once() {
	rows=$(db "SELECT count(*) FROM messages")
	[ "$rows" = "$1" ] || fail "$rows message rows, want $1"
	distinct=$(db "SELECT count(DISTINCT coalesce(message_id, sha256)) FROM messages")
	[ "$distinct" = "$1" ] || fail "$distinct distinct messages, want $1"
	open=$(db "SELECT count(*) FROM messages WHERE outcome IN ('received', 'too_large_pending')")
	[ "$open" = 0 ] || fail "$open messages without an outcome"
	# and each answer (and forward to humans) was queued once
	[ "$(db 'SELECT count(*) FROM outbox GROUP BY cause_message, kind, recipient HAVING count(*) > 1')" = "" ] || fail "an answer was queued twice"
	answered=$(db "SELECT count(DISTINCT cause_message) FROM outbox WHERE kind = 'form'")
	questions=$(db "SELECT count(*) FROM messages WHERE outcome = 'no_form'")
	[ "$answered" = "$questions" ] || fail "$questions questions but $answered answered with the blank form"
}

# --- Dovecot ---------------------------------------------------------------
# start_dovecot [EXTRA-CONFIG-LINES]: a Dovecot IMAP server on 127.0.0.1:$IMAP_PORT
# with one user "essaim" (password in $W/imap-password), mail in
# $W/imap/essaim (Maildir). Stop it with stop_dovecot (done at exit).
start_dovecot() {
	command -v dovecot >/dev/null || fail "dovecot is not installed (packages.debian: dovecot-imapd)"
	IMAP_PORT=$(free_port)
	D=$W/dovecot
	mkdir -p "$D/run" "$D/state" "$W/imap"
	chmod 755 "$W"
	chown nobody:nogroup "$W/imap"
	printf 's3cret-imap\n' > "$W/imap-password"
	chmod 600 "$W/imap-password"
	printf 'essaim:{PLAIN}s3cret-imap::::::\n' > "$D/passwd"
	cat > "$D/dovecot.conf" <<CONF
base_dir = $D/run
state_dir = $D/state
log_path = $D/log
info_log_path = $D/log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:$W/imap/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $D/passwd
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$W/imap/%u
}
service imap-login {
  inet_listener imap {
    # 127.0.0.2: loopback too, but not for essaim's "plain IMAP on loopback" rule
    address = 127.0.0.1, 127.0.0.2
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
${1:-}
CONF
	dovecot -c "$D/dovecot.conf" || { cat "$D/log" 2>/dev/null; fail "dovecot did not start"; }
	DOVECOT_STARTED=1
	i=0
	until $PY -c "import socket; socket.create_connection(('127.0.0.1', $IMAP_PORT), 1)" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 50 ] || { cat "$D/log"; fail "dovecot does not listen on $IMAP_PORT"; }
		sleep 0.1
	done
}

stop_dovecot() {
	[ -n "${DOVECOT_STARTED:-}" ] || return 0
	doveadm -c "$W/dovecot/dovecot.conf" stop 2>/dev/null || true
	DOVECOT_STARTED=
	i=0
	while [ -e "$W/dovecot/run/master.pid" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}

# imap PYTHON-STATEMENTS: run statements with "M" an imaplib connection
# logged in to the test mailbox (INBOX selected).
imap() {
	$PY - "$IMAP_PORT" "$1" <<'PYEOF'
import imaplib, sys
M = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]))
M.login("essaim", "s3cret-imap")
M.select("INBOX")
def count(box="INBOX"):
    typ, d = M.status(box, "(MESSAGES)")
    return int(d[0].decode().split("MESSAGES ")[1].rstrip(")"))
def append(n, kind="person", box="INBOX"):
    import subprocess
    msg = subprocess.run(["sh", "-c", ". \"$0\"; mkmsg %s %s" % (n, kind), sys.argv[0] if False else __import__("os").environ["INTAKE_LIB"]], capture_output=True, check=True).stdout
    M.append(box, None, None, msg.replace(b"\n", b"\r\n"))
def unseen(box="INBOX"):
    M.select(box)
    typ, d = M.search(None, "UNSEEN")
    return len(d[0].split())
exec(sys.argv[2])
M.logout()
PYEOF
}

# imap_conf: [intake] lines for the test mailbox.
imap_conf() {
	printf '[intake]\nimap_url = imap://127.0.0.1:%s/INBOX\nusername = essaim\n' "$IMAP_PORT"
	printf 'password_file = %s/imap-password\nprocessed_folder = Traites\n' "$W"
}

intake_cleanup() {
	stop_dovecot
	[ -z "${POSTFIX_DIR:-}" ] || postfix -c "$POSTFIX_DIR" stop >/dev/null 2>&1 || true
	cleanup
}
trap intake_cleanup EXIT
INTAKE_LIB=$TOP/tests/e2e/intake-lib.sh
export INTAKE_LIB

# --- Postfix ---------------------------------------------------------------
# start_postfix: a Postfix instance of its own (config, queue and log under
# $W/postfix) listening on 127.0.0.1:$SMTP_PORT, delivering mail for
# dynamiques@ssa.example through the pipe service of config/postfix/master.cf
# to $ESSAIM -c $W/essaim.conf ingest, as user nobody.
start_postfix() {
	command -v postfix >/dev/null || fail "postfix is not installed (packages.debian)"
	SMTP_PORT=$(free_port)
	POSTFIX_DIR=$W/postfix
	PF=$POSTFIX_DIR
	mkdir -p "$PF/queue" "$PF/data"
	chown postfix "$PF/data"
	chmod 755 "$W"
	cat > "$PF/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $PF/queue
data_directory = $PF/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.ssa.example
mydomain = ssa.example
mydestination = ssa.example, localhost
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
local_recipient_maps =
alias_maps =
alias_database =
biff = no
maillog_file = $PF/maillog
maillog_file_prefixes = $PF
queue_run_delay = 2s
minimal_backoff_time = 2s
maximal_backoff_time = 4s
smtputf8_enable = no
CONF
	# the integration files under test: main.cf lines, transport, master.cf service
	grep -v '^#' "$TOP/config/postfix/main.cf" | grep -v '^$' |
		sed "s|hash:/etc/postfix/transport|texthash:$PF/transport|" >> "$PF/main.cf"
	grep -v '^#' "$TOP/config/postfix/transport" | grep -v '^$' > "$PF/transport"
	sed "s|^smtp *inet .*|127.0.0.1:$SMTP_PORT inet n - n - - smtpd|" /etc/postfix/master.cf > "$PF/master.cf"
	grep -v '^#' "$TOP/config/postfix/master.cf" |
		sed -e "s|user=essaim|user=nobody|" \
		    -e "s|argv=/usr/bin/essaim ingest|argv=$ESSAIM -c $W/essaim.conf ingest|" >> "$PF/master.cf"
	postconf -c "$PF" -F '*/*/chroot = n' >/dev/null
	# postfix(1) reports on stderr only to a terminal: give it one
	script -qec "postfix -c $PF start" /dev/null > "$W/postfix.start" 2>&1 ||
		{ cat "$W/postfix.start"; fail "postfix did not start"; }
	i=0
	until $PY -c "import socket; socket.create_connection(('127.0.0.1', $SMTP_PORT), 1)" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 100 ] || { cat "$PF/maillog"; fail "postfix does not listen on $SMTP_PORT"; }
		sleep 0.1
	done
}

# smtp_send N [KIND]: submit test message N over SMTP with swaks.
smtp_send() {
	command -v swaks >/dev/null || fail "swaks is not installed (packages.debian)"
	mkmsg "$1" "${2:-person}" > "$W/swaks.eml"
	swaks --silent 2 --server "127.0.0.1:$SMTP_PORT" --from "p$1@example.org" \
		--to dynamiques@ssa.example --data "@$W/swaks.eml" ||
		fail "swaks could not submit message $1"
}

# wait_for SECONDS SHELL-CONDITION: poll until the condition holds.
wait_for() {
	t=$(( $1 * 10 )); shift
	i=0
	until eval "$1"; do
		i=$((i + 1)); [ $i -lt $t ] || return 1
		sleep 0.1
	done
}
