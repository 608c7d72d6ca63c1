# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=sh
# Sourced after lib.sh: independent checkers from the npm registry, each at
# the exact version named here, installed once under build/npm/ by the test
# that needs it (never at run time of essaim). A failed install fails the test.

# RFC 7946 validator (placemark's check-geojson)
NPM_CHECK_GEOJSON=@placemarkio/check-geojson@0.1.14
# Table Schema reader and validator (frictionless tableschema-js)
NPM_TABLESCHEMA=tableschema@1.12.6

# npm_tool PACKAGE@VERSION: the folder holding node_modules/ with it.
npm_tool() {
	dir=$TOP/build/npm/$(printf '%s' "$1" | tr '/@' '+=')
	if [ ! -f "$dir/.installed" ]; then
		tmp=$dir.tmp.$$
		rm -rf "$tmp"
		mkdir -p "$tmp"
		(cd "$tmp" && npm install --no-audit --no-fund --silent --save-exact "$1" > /dev/null) ||
			{ rm -rf "$tmp"; fail "cannot install $1 from npm"; }
		touch "$tmp/.installed"
		rm -rf "$dir"
		mv "$tmp" "$dir"
	fi
	printf '%s\n' "$dir"
}

# check_geojson FILE: exit 0 when FILE is valid RFC 7946 GeoJSON.
check_geojson() {
	d=$(npm_tool "$NPM_CHECK_GEOJSON")
	cat > "$d/check-geojson.mjs" <<'JS'
import { check } from '@placemarkio/check-geojson';
import { readFileSync } from 'node:fs';
try {
	check(readFileSync(process.argv[2], 'utf8'));
} catch (e) {
	console.error('invalid GeoJSON:', JSON.stringify(e.issues || e.message));
	process.exit(1);
}
JS
	node "$d/check-geojson.mjs" "$1"
}

# check_table_schema SCHEMA CSV: exit 0 when SCHEMA is a valid Table Schema
# and every row of CSV casts to it (types, formats, enums, patterns,
# required, unique); prints the number of rows.
check_table_schema() {
	d=$(npm_tool "$NPM_TABLESCHEMA")
	cat > "$d/check-table.js" <<'JS'
const { Schema, Table } = require('tableschema');
const fs = require('fs');
(async () => {
	const desc = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
	const schema = await Schema.load(desc, { strict: true });
	if (!schema.valid)
		throw new Error('schema invalid');
	const table = await Table.load(process.argv[3],
	    { schema: desc, parserOptions: { delimiter: ',' } });
	const rows = await table.read({ keyed: true });
	console.log(rows.length);
})().catch(e => {
	console.error('Table Schema check failed:', e.message,
	    JSON.stringify((e.errors || []).map(x => x.message)));
	process.exit(1);
});
JS
	node "$d/check-table.js" "$1" "$2"
}
