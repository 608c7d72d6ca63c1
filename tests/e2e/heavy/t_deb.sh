#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The Debian package, built as a packager would: from `git archive HEAD` (so
# everything it needs is committed), `apt-get build-dep ./` finds every
# Build-Depends, `dpkg-buildpackage -us -uc -b` builds it (with the unit
# tests, not the e2e suite), lintian finds no error, hardening-check says yes
# to PIE, stack protector, fortify, RELRO and BIND_NOW. The .deb holds the
# binary, both man pages, the units, sysusers and tmpfiles entries, the
# conffile and the examples; Depends names the dlopen()ed libcurl4 and
# libxml2; --version matches the changelog; the units are not enabled; the
# maintainer scripts never touch /var/lib/essaim. Unpacked in a scratch root
# (dpkg-deb -x), it passes `essaim check` and prints `essaim form` on a
# fresh system (install-lib.sh). Needs root. Takes minutes (a whole build).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../install-lib.sh"
[ "$(id -u)" -eq 0 ] || fail "this test needs root (apt-get build-dep, sysusers, mount namespace)"
for t in git dpkg-buildpackage dpkg-checkbuilddeps lintian hardening-check fakeroot apt-get; do
	command -v $t > /dev/null || fail "$t missing (packages.debian: debhelper, dpkg-dev, lintian, devscripts, fakeroot)"
done
cd "$TOP" || exit 1
version=$(dpkg-parsechangelog -S Version)
upstream=${version%-*}
arch=$(dpkg --print-architecture)

# the committed tree, nothing else
mkdir -p "$W/src"
git archive HEAD | tar -x -C "$W/src" || fail "git archive HEAD failed"
cd "$W/src" || exit 1

# every Build-Depends is known to apt (simulated, nothing installed) and installed
apt-get -s build-dep ./ > "$W/build-dep.out" 2>&1 || { cat "$W/build-dep.out"; fail "apt-get build-dep ./"; }
dpkg-checkbuilddeps || fail "Build-Depends not satisfied"
# what the build reads (pkg-config modules, tools, Leaflet) comes from a
# package Build-Depends names, not from whatever happens to be installed
bdeps=$(sed -n '/^Build-Depends:/,/^[A-Z]/p' debian/control | sed 's/^Build-Depends://' |
	grep -oE '[a-z0-9][a-z0-9.+-]+' | grep -v '^[0-9]')
owner() { dpkg -S "$1" 2> /dev/null | sed 's/:.*//; s/, .*//' | head -n 1; }
for m in gmime-3.0 glib-2.0 gio-2.0 sqlite3 json-glib-1.0 libpsl libcurl libxml-2.0 libzip cmocka; do
	pc=$(pkg-config --path "$m" 2> /dev/null) || fail "pkg-config module $m not found"
	pkg=$(owner "$(readlink -f "$pc")")
	[ -n "$pkg" ] || pkg=$(owner "$pc")
	echo "$bdeps" | grep -qx "${pkg%%:*}" || fail "$m comes from ${pkg:-?}, not in Build-Depends"
done
for f in "$(command -v glib-compile-resources)" "$(command -v pkg-config)" \
	/usr/share/javascript/leaflet/leaflet.min.js /usr/share/javascript/leaflet/leaflet.markercluster.min.js \
	/usr/share/pkgconfig/systemd.pc; do
	pkg=$(owner "$(readlink -f "$f")")
	[ -n "$pkg" ] || pkg=$(owner "$f")
	case $pkg in
	pkgconf | pkgconf-bin) pkg="pkg-config" ;;
	esac
	echo "$bdeps" | grep -qx "${pkg%%:*}" || fail "$f comes from ${pkg:-?}, not in Build-Depends"
done
pass "apt-get build-dep ./ is satisfied; the build's libraries and tools are all in Build-Depends"

# the build (unit tests included), with the maintainer's view of warnings
DEB_BUILD_OPTIONS="parallel=$(nproc)" dpkg-buildpackage -us -uc -b > "$W/build.log" 2>&1 ||
	{ tail -n 40 "$W/build.log"; fail "dpkg-buildpackage failed"; }
grep -q 'make.* unit' "$W/build.log" || fail "the build did not run make unit"
grep -qE 'run\.sh (quick|all)|t_postfix' "$W/build.log" && fail "the build ran the e2e suite"
deb=$W/essaim_${version}_${arch}.deb
[ -f "$deb" ] || fail "no essaim_${version}_${arch}.deb"
pass "dpkg-buildpackage -us -uc -b built $(basename "$deb") ($(stat -c %s "$deb") bytes)"

# lintian: no error (warnings and overrides are printed for the record)
lintian --info --display-info --pedantic --show-overrides "$W/essaim_${version}_${arch}.changes" \
	> "$W/lintian.out" 2>&1 || true
cat "$W/lintian.out"
grep -q '^E: ' "$W/lintian.out" && fail "lintian errors"
lintian --fail-on error "$W/essaim_${version}_${arch}.changes" > /dev/null 2>&1 || fail "lintian --fail-on error"
pass "lintian: no error"

# contents
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' > "$W/contents"
for f in /usr/bin/essaim /usr/share/man/man1/essaim.1.gz /usr/share/man/man5/essaim.conf.5.gz \
	/lib/systemd/system/essaim.service /lib/systemd/system/essaim-publish.service \
	/lib/systemd/system/essaim-publish.timer /lib/systemd/system/essaim-remind.service \
	/lib/systemd/system/essaim-remind.timer /usr/lib/sysusers.d/essaim.conf \
	/usr/lib/tmpfiles.d/essaim.conf /etc/essaim/essaim.conf /usr/share/doc/essaim/copyright \
	/usr/share/doc/essaim/examples/master.cf /usr/share/doc/essaim/examples/transport \
	/usr/share/doc/essaim/examples/procmailrc /usr/share/doc/essaim/examples/essaim.sieve \
	/usr/share/doc/essaim/examples/essaim /usr/share/doc/essaim/examples/essaim.conf; do
	grep -qx "$f" "$W/contents" || fail "$f is not in the package"
done
grep -q '/usr/local' "$W/contents" && fail "the package holds /usr/local paths"
dpkg-deb -e "$deb" "$W/control"
grep -qx '/etc/essaim/essaim.conf' "$W/control/conffiles" || fail "essaim.conf is not a conffile"
depends=$(dpkg-deb -f "$deb" Depends)
for p in libcurl4 libxml2 libzip4 libpsl5 libjs-leaflet libjs-leaflet.markercluster libgmime-3.0-0 libsqlite3-0; do
	echo "$depends" | tr ',' '\n' | grep -qE "^ *$p( |$)" || fail "Depends lacks $p: $depends"
done
pass "the package holds the binary, the man pages, the units and the conffile; Depends: $depends"

# the binary: hardening, version
mkdir "$W/root"
dpkg-deb -x "$deb" "$W/root"
hardening-check "$W/root/usr/bin/essaim" > "$W/hardening.out" 2>&1 || true
cat "$W/hardening.out"
for h in 'Position Independent Executable' 'Stack protected' 'Fortify Source functions' \
	'Read-only relocations' 'Immediate binding'; do
	grep -q "$h: yes" "$W/hardening.out" || fail "hardening-check: $h is not yes"
done
[ "$("$W/root/usr/bin/essaim" --version)" = "essaim $upstream" ] ||
	fail "essaim --version: '$("$W/root/usr/bin/essaim" --version)', changelog $upstream"
zcat "$W/root/usr/share/man/man1/essaim.1.gz" | grep -q "^\.TH ESSAIM 1 .* \"essaim $upstream\"" ||
	fail "essaim(1) does not carry version $upstream"
grep -q '^ExecStart=/usr/bin/essaim ' "$W/root/lib/systemd/system/essaim.service" ||
	fail "essaim.service does not start /usr/bin/essaim"
pass "hardening-check: PIE, stack protector, fortify, RELRO, BIND_NOW; essaim --version = essaim $upstream"

# maintainer scripts: the user and folders made, units not enabled, the
# data never touched, purge says where it stays
grep -q 'systemd-sysusers' "$W/control/postinst" || fail "postinst does not run systemd-sysusers"
grep -q 'systemd-tmpfiles' "$W/control/postinst" || fail "postinst does not run systemd-tmpfiles"
# not enabled (dh_installsystemd --no-enable): every "enable" is the
# re-enabling, on upgrade, of a unit the operator enabled, inside
# "if deb-systemd-helper debian-installed UNIT" (without --no-enable, the
# postinst enables each unit with no such guard)
for u in essaim.service essaim-publish.timer essaim-remind.timer; do
	grep -q "if deb-systemd-helper debian-installed '$u'" "$W/control/postinst" ||
		fail "postinst may enable $u on a new install"
done
[ "$(grep -c 'deb-systemd-helper enable' "$W/control/postinst")" -eq \
	"$(grep -c 'if deb-systemd-helper debian-installed' "$W/control/postinst")" ] ||
	fail "postinst enables a unit"
for s in preinst postinst prerm postrm; do
	[ -f "$W/control/$s" ] || continue
	grep -nE '(rm|mv|chown|chmod|sqlite3)[^#]*/var/lib/essaim' "$W/control/$s" &&
		fail "$s touches /var/lib/essaim"
done
grep -q '/var/lib/essaim are kept' "$W/control/postrm" || fail "postrm purge says nothing of the data"
pass "maintainer scripts: user and folders created, units not enabled, data never touched"

fresh_install "$W/root"
pass "unpacked in a scratch root: essaim check passes on a fresh system, essaim form prints the form"

# purge: the postrm runs (with the scratch root's /var/lib as /var/lib), says
# where the data stays, and leaves the database the fresh install made
[ -f "$W/root/var/lib/essaim/essaim.db" ] || fail "no database after the fresh install"
sum=$(sha256sum < "$W/root/var/lib/essaim/essaim.db")
unshare -m --propagation private sh -c 'mount --bind "$1/var/lib" /var/lib && sh "$2" purge' \
	sh "$W/root" "$W/control/postrm" > "$W/purge.out" 2>&1 || { cat "$W/purge.out"; fail "postrm purge failed"; }
grep -q '/var/lib/essaim are kept' "$W/purge.out" || { cat "$W/purge.out"; fail "purge said nothing of the data"; }
[ "$(sha256sum < "$W/root/var/lib/essaim/essaim.db")" = "$sum" ] || fail "purge changed the database"
pass "purge keeps /var/lib/essaim and says so: $(grep kept "$W/purge.out")"
