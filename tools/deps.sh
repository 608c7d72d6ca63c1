#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Install the Debian packages listed in packages.debian that are missing:
# with apt-get when run as root, otherwise print the exact command.
set -eu
cd "$(dirname "$0")/.."
want=$(grep -v '^[[:space:]]*#' packages.debian | grep -v '^[[:space:]]*$')
missing=""
for p in $want; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = "installed" ] || missing="$missing $p"
done

# Test-only npm packages for the map page (axe-core, check-geojson), pinned in
# tests/e2e/npm/package-lock.json; essaim never needs them at run time.
npm_tests() {
	if ! command -v npm > /dev/null; then
		if [ "$(id -u)" -eq 0 ]; then
			apt-get install -y -q --no-install-recommends npm > /dev/null
		else
			echo "essaim: npm is missing; run as root: apt-get install npm" >&2
			exit 1
		fi
	fi
	d=tests/e2e/npm
	if [ ! -f "$d/node_modules/.package-lock.json" ] ||
		! cmp -s "$d/package-lock.json" "$d/.installed-lock"; then
		(cd "$d" && npm ci --no-audit --no-fund --loglevel=error > /dev/null)
		cp "$d/package-lock.json" "$d/.installed-lock"
	fi
}

if [ -z "$missing" ]; then
	npm_tests
	exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
	echo "essaim: installing missing Debian packages:$missing"
	export DEBIAN_FRONTEND=noninteractive
	# Postfix asks questions at install time; answer them for a local-only set-up.
	if echo "$missing" | grep -qw postfix; then
		echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
		echo "postfix postfix/mailname string localhost" | debconf-set-selections
	fi
	apt-get install -y -q --no-install-recommends $missing >/dev/null ||
		{ apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $missing >/dev/null; }
	npm_tests
else
	echo "essaim: missing Debian packages; run as root:" >&2
	echo "  apt-get install --no-install-recommends$missing" >&2
	exit 1
fi
