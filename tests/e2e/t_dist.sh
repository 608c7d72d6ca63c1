#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make dist: build/essaim-VERSION.tar.gz holds the files git tracks under
# essaim-VERSION/, and is the same bytes when made again from a checkout
# whose files have other times and modes (the changelog's date, no owners,
# sorted names, gzip -n).
. "$(dirname "$0")/lib.sh"
command -v git > /dev/null || fail "git missing"
version=$(sed -n '1s/^essaim (\([^)]*\)).*/\1/p' "$TOP/debian/changelog" | sed 's/-[^-]*$//')
# a clone with the working tree's tracked files over it: its own build/
# folder, its own file times
git clone -q "$TOP" "$W/a" 2> /dev/null || fail "git clone failed"
(cd "$TOP" && git ls-files -z | tar --null -T - -cf -) | tar -xf - -C "$W/a" ||
	fail "copying the working tree failed"
make -C "$W/a" --no-print-directory -s dist > /dev/null || fail "make dist failed"
tarball=$W/a/build/essaim-$version.tar.gz
[ -f "$tarball" ] || fail "no build/essaim-$version.tar.gz"
sum1=$(sha256sum < "$tarball")
sleep 1
# other times, another umask's modes, and a file git does not track
find "$W/a" -path "$W/a/.git" -prune -o -type f -exec touch {} +
chmod g+w "$W/a/Makefile" "$W/a/README.md"
echo stray > "$W/a/stray.txt"
rm "$tarball"
make -C "$W/a" --no-print-directory -s dist > /dev/null || fail "second make dist failed"
sum2=$(sha256sum < "$tarball")
[ "$sum1" = "$sum2" ] || fail "make dist is not reproducible"
pass "make dist twice: the same bytes ($(wc -c < "$tarball") bytes)"

tar -tzf "$tarball" | sed "s|^essaim-$version/||" | LC_ALL=C sort > "$W/listed"
git -C "$W/a" ls-files | LC_ALL=C sort > "$W/tracked"
cmp -s "$W/listed" "$W/tracked" || { diff "$W/tracked" "$W/listed" | head; fail "tarball != tracked files"; }
tar -tvzf "$tarball" | grep -v '^-rw-r--r-- 0/0 \|^-rwxr-xr-x 0/0 ' | head -3 | grep . &&
	fail "a file with an owner or an unusual mode"
# it builds: the tarball is a source release
mkdir "$W/b"
tar -xzf "$tarball" -C "$W/b"
[ -f "$W/b/essaim-$version/debian/changelog" ] || fail "no debian/ in the tarball"
make -C "$W/b/essaim-$version" --no-print-directory -s build/version.h > /dev/null ||
	fail "the unpacked tarball does not build"
grep -q "\"$version\"" "$W/b/essaim-$version/build/version.h" || fail "version.h of the tarball"
pass "the tarball holds exactly the tracked files, under essaim-$version/, owned by root"
