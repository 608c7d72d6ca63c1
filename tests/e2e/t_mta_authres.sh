#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The Postfix rule of docs/ARCHITECTURE.md ("What the operator must
# configure"), as shipped in config/postfix/header_checks, drops every
# incoming Authentication-Results of our authserv-id, however it is written,
# and nothing else; checked with Postfix's own postmap.
. "$(dirname "$0")/lib.sh"

command -v postmap >/dev/null || PATH=$PATH:/usr/sbin
command -v postmap >/dev/null || fail "postmap is not installed (packages.debian: postfix)"
T="regexp:$TOP/config/postfix/header_checks"

drop() {
	out=$(postmap -q "$1" "$T") || fail "not dropped: $1"
	[ "$out" = IGNORE ] || fail "'$1' gives '$out', not IGNORE"
}
keep() {
	if out=$(postmap -q "$1" "$T"); then fail "dropped: $1 ($out)"; fi
}
drop "Authentication-Results: mx.ssa.example; dkim=pass header.d=ssa.example"
drop "authentication-results:mx.ssa.example;dmarc=pass header.from=ssa.example"
drop "Authentication-Results: mx.ssa.example 1; spf=pass smtp.mailfrom=ssa.example"
drop "Authentication-Results:
	mx.ssa.example; dkim=pass header.d=ssa.example"
drop "Authentication-Results: MX.SSA.EXAMPLE; none"
keep "Authentication-Results: mx.ssa.example.evil; dkim=pass header.d=ssa.example"
keep "Authentication-Results: mx.other.example; dkim=pass header.d=other.example"
keep "X-Authentication-Results: mx.ssa.example; dkim=pass"
keep "Subject: Authentication-Results: mx.ssa.example; dkim=pass"
# the documentation shows the same rule
rule=$(grep -v '^#' "$TOP/config/postfix/header_checks")
grep -qF "$rule" "$TOP/docs/ARCHITECTURE.md" ||
	fail "docs/ARCHITECTURE.md does not show the rule of config/postfix/header_checks"
pass "config/postfix/header_checks drops forged Authentication-Results of our authserv-id only"
