#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# essaim form prints the blank form (French, English) with no configuration,
# with the RGPD information notice as help lines;
# essaim check validates the form schema, and a data_dir override of it.
. "$(dirname "$0")/lib.sh"

for bin in "$ESSAIM" "$ESSAIM_ASAN"; do
	"$bin" form > "$W/fr.txt" || fail "essaim form"
	for label in "Type : " "Nom : " "Code postal : " "Courriel de la personne référente : " \
	    "Adhésion à la charte : "; do
		grep -qx "$label" "$W/fr.txt" || fail "French form lacks '$label'"
	done
	[ "$(grep -c ' : $' "$W/fr.txt")" -eq 21 ] || fail "French form has not 21 fields"
	[ "$(sed '/^# Vos données personnelles$/,$d' "$W/fr.txt" | grep -c '^# ')" -eq 21 ] ||
		fail "French form has not 21 help lines"
	# the RGPD information notice, as help lines after the fields
	grep -qx '# Vos données personnelles' "$W/fr.txt" || fail "French form lacks the RGPD notice"
	grep -q '^# .*SUPPRIMER' "$W/fr.txt" || fail "French notice does not say how to erase"
	grep -q '^# .*180 jours' "$W/fr.txt" || fail "French notice does not say how long"
	"$bin" form --lang en > "$W/en.txt" || fail "essaim form --lang en"
	grep -qx "Postcode: " "$W/en.txt" || fail "English form lacks Postcode"
	grep -qx "Charter: " "$W/en.txt" || fail "English form lacks Charter"
	grep -q "Code postal" "$W/en.txt" && fail "English form has a French label"
	grep -qx '# Your personal data' "$W/en.txt" || fail "English form lacks the RGPD notice"
	expect_rc 64 "$bin" form --lang de
	expect_rc 64 "$bin" form extra
done
pass "essaim form, fr and en"

# check: the embedded schema is clean; an override is read and checked
mkconf <<EOC
data_dir = $W/override
EOC
mkdir -p "$W/override/config"
expect_rc 0 "$ESSAIM" check > "$W/check.out"
sed 's/^type = postcode$/type = zipcode/' "$TOP/config/form.ini" > "$W/override/config/form.ini"
grep -q "type = zipcode" "$W/override/config/form.ini" || fail "test set-up"
set +e
"$ESSAIM" check > "$W/check.out" 2>&1
rc=$?
set -e
[ "$rc" -eq 78 ] || fail "check of a broken schema exits $rc"
grep -q 'config/form.ini:[0-9]*: \[field code_postal\] type: unknown type "zipcode"' "$W/check.out" ||
	{ cat "$W/check.out"; fail "check does not name the problem"; }
# the override also drives `essaim form -c` (label changed, no rebuild)
sed 's/^label_fr = Commune$/label_fr = Commune du siège/' "$TOP/config/form.ini" \
	> "$W/override/config/form.ini"
expect_rc 0 "$ESSAIM" check > "$W/check.out"
"$ESSAIM" -c "$ESSAIM_CONFIG" form | grep -qx "Commune du siège : " ||
	fail "form ignores the data_dir override"
pass "essaim check on the form schema and its override"
