#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `essaim check` loads the embedded gazetteer, and reports a broken
# data/communes.tsv put in data_dir, naming its line.
. "$(dirname "$0")/lib.sh"

for bin in "$ESSAIM" "$ESSAIM_ASAN"; do
	mkconf </dev/null
	expect_rc 0 "$bin" check > "$W/out" 2>&1 || { cat "$W/out"; exit 1; }
	grep -q ": 0 problems" "$W/out" || fail "check on the embedded tables: $(cat "$W/out")"

	mkdir -p "$W/override/data"
	# a valid row, then one with a postcode of four digits
	printf '84065\tC\tLauris\t84\t\t84360\t43.74716\t5.31346\tc\n84026\tC\tCadenet\t84\t\t8416\t43.735\t5.37339\tc\n' \
		> "$W/override/data/communes.tsv"
	echo "data_dir = $W/override" | mkconf
	expect_rc 78 "$bin" check > "$W/out" 2>&1
	grep -q 'communes.tsv:2: bad postcode "8416"' "$W/out" || fail "no line named: $(cat "$W/out")"

	# counts that disagree with the table
	printf '#counts\tcommunes=3\tarrondissements=0\tformer=0\tpostcodes=1\n84065\tC\tLauris\t84\t\t84360\t43.74716\t5.31346\tc\n' \
		> "$W/override/data/communes.tsv"
	expect_rc 78 "$bin" check > "$W/out" 2>&1
	grep -q "holds 1 communes" "$W/out" || fail "counts not checked: $(cat "$W/out")"
done
pass "essaim check loads the gazetteer and reports a broken one"
