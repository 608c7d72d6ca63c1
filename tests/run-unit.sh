#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Run the cmocka unit test binaries found in DIR; fail when any fails.
dir=$1; shift
fail=0
for t in "$@"; do
	echo "== $dir/$t"
	ESSAIM_TEST_DATA=tests/data "$dir/$t" || fail=1
done
exit $fail
