# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=sh
# Sourced after lib.sh by the tests that need a real SMTP server on loopback
# (tests/e2e/smtpd.py on Debian's python3-aiosmtpd). A missing server fails.
PY=/usr/bin/python3
"$PY" -c 'import aiosmtpd' 2>/dev/null ||
	fail "python3-aiosmtpd is missing (make deps installs it)"

# free_port: print a loopback TCP port nobody listens on.
free_port() {
	"$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_smtpd DIR [ARGS...]: start the server writing mail to DIR; sets
# SMTPD_PID and SMTP_PORT once it listens.
start_smtpd() {
	d=$1; shift
	mkdir -p "$d"
	rm -f "$d/port"
	"$PY" "$TOP/tests/e2e/smtpd.py" --dir "$d" "$@" > "$d.log" 2>&1 &
	SMTPD_PID=$!
	i=0
	while [ ! -s "$d/port" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || { cat "$d.log" >&2; fail "smtp server did not start"; }
		kill -0 "$SMTPD_PID" 2>/dev/null || { cat "$d.log" >&2; fail "smtp server died"; }
		sleep 0.1
	done
	SMTP_PORT=$(cat "$d/port")
}

stop_smtpd() {
	[ -n "${SMTPD_PID:-}" ] || return 0
	kill "$SMTPD_PID" 2>/dev/null || true
	wait "$SMTPD_PID" 2>/dev/null || true
	SMTPD_PID=
}
trap 'stop_smtpd; cleanup' EXIT

# received DIR: how many mails the server accepted.
received() { ls "$1" | grep -c '\.eml$' || true; }

# mailcheck FILE [auto-replied|auto-generated]: parse FILE as a mail client
# does; prints headers and body, fails on any broken promise.
mailcheck() { "$PY" "$TOP/tests/e2e/mailcheck.py" "$@"; }

# too_large_mail FROM SUBJECT-HEADER [EXTRA-HEADERS]: a message over 2 KiB.
too_large_mail() {
	printf 'From: %s\nTo: dynamiques@ssa.example\nSubject: %s\nMessage-ID: <%s@example.org>\n%s\n' \
		"$1" "$2" "$(echo "$1$2" | cksum | cut -d' ' -f1)" "${3:-}"
	i=0
	while [ $i -lt 60 ]; do
		echo "Ligne de remplissage pour dépasser la taille maximale acceptée par essaim."
		i=$((i + 1))
	done
}
