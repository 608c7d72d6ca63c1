// SPDX-License-Identifier: GPL-3.0-or-later
// Evaluated in the published map page by tools/chromium-cdp.py, on the data
// written by tests/e2e/heavy/map_fixture.py. Set before this text by the
// test: MODE ("desktop", "phone", "file", "embed"), EXPECT (the fixture's
// answers) and ADDRESS (the [essaim] address); axe-core's source is
// evaluated before it when AXE is true. Returns {errors: [...], ...}: the
// page passes when errors is empty.
(async () => {
	const errors = [];
	const expect = (cond, msg) => { if (!cond) errors.push(msg); };
	const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
	const $ = (id) => document.getElementById(id);
	const all = (sel) => Array.from(document.querySelectorAll(sel));
	const visible = (sel) => all(sel).filter((e) => e.offsetParent !== null);
	const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
	const C = window.carte;
	const report = { mode: MODE };

	const onMap = () => C.grappes.getLayers().map((m) => m.entree.id).sort((a, b) => a - b);
	const inList = () => all('#resultats > li').filter((li) => !li.hidden)
		.map((li) => Number(li.id.replace('fiche-', ''))).sort((a, b) => a - b);
	const select = async (id, v) => {
		$(id).value = v;
		$(id).dispatchEvent(new Event('change', { bubbles: true }));
		await sleep(100);
	};
	const search = async (q) => {
		$('recherche').value = q;
		$('recherche').dispatchEvent(new Event('input', { bubbles: true }));
		await sleep(20);
		return inList();
	};
	const openPopup = () => {
		const p = document.querySelector('.leaflet-popup');
		return p && p.querySelector('.leaflet-popup-content') ? p : null;
	};
	const axe = async (what) => {
		if (typeof window.axe === 'undefined')
			return;
		const r = await window.axe.run(document, { resultTypes: ['violations'] });
		report['axe_' + what] = r.violations.length;
		for (const v of r.violations)
			errors.push('axe (' + what + '): ' + v.id + ' [' + v.impact + '] ' +
				v.nodes.slice(0, 3).map((n) => n.html.slice(0, 120)).join(' | '));
	};

	await sleep(400);	// cluster animations
	report.features = C.entrees.length;
	expect(C.entrees.length === EXPECT.total, 'entries: ' + C.entrees.length);
	expect(same(onMap(), EXPECT.located), 'located entries on the map: ' + onMap());

	// the outline: drawn (no tiles here), in its own pane under the tiles'
	// place, not interactive and out of the Tab order
	const paths = all('.leaflet-fond-pane path');
	report.outline = paths.length;
	expect(paths.length >= 100, 'outline paths: ' + paths.length);
	expect(paths.every((p) => !p.classList.contains('leaflet-interactive') && !p.hasAttribute('tabindex')),
		'outline paths are interactive');
	// every département drawn once, Corsica's two and the five overseas ones
	// included, each with its path in that pane, and the régions' borders
	const fond = C.fond ? C.fond.getLayers() : [];
	const codes = fond.map((l) => l.feature.properties.code).filter(Boolean);
	report.outline_departements = codes.length;
	expect(codes.length === 101 && new Set(codes).size === 101, 'outline départements: ' + codes.length);
	for (const code of ['01', '2A', '2B', '29', '95', '971', '972', '973', '974', '976'])
		expect(codes.includes(code), 'outline without département ' + code);
	expect(fond.every((l) => l._path && l._path.closest('.leaflet-fond-pane')),
		'an outline layer without its path in the pane');
	expect(fond.some((l) => l.feature.properties.limite === 'region'), 'outline without the régions');
	const fondZ = Number(getComputedStyle(document.querySelector('.leaflet-fond-pane')).zIndex);
	expect(fondZ < Number(getComputedStyle(document.querySelector('.leaflet-tile-pane')).zIndex),
		'outline pane above the tiles: ' + fondZ);
	if (MODE === 'tiles')
		expect(/OpenStreetMap/.test(document.querySelector('.leaflet-control-attribution').textContent),
			'no OSM attribution');

	if (MODE === 'embed') {
		expect(document.querySelector('.entete').offsetParent === null, 'header shown in embed');
		expect(document.querySelector('.pied').offsetParent === null, 'footer shown in embed');
		const full = $('carte-complete');
		expect(full.offsetParent !== null && full.getAttribute('href') === 'index.html',
			'no link to the full page in embed');
		expect($('carte').offsetHeight > 300, 'map too small in embed: ' + $('carte').offsetHeight);
		expect(document.documentElement.scrollWidth <= window.innerWidth, 'horizontal scroll in embed');
		report.errors = errors;
		return report;
	}
	expect($('carte-complete').offsetParent === null, 'embed link shown on the full page');

	// filters: map, list and counts together, kept in the URL
	$('voir-liste').click();
	await search('');
	expect(same(inList(), Array.from({ length: EXPECT.total }, (_, i) => i + 1)), 'list: all');
	await select('filtre-region', '53');
	expect(same(onMap(), EXPECT.region53.filter((i) => EXPECT.located.includes(i))),
		'région 53 on the map: ' + onMap());
	expect(same(inList(), EXPECT.region53), 'région 53 in the list: ' + inList());
	expect($('compte-filtres').textContent.startsWith(EXPECT.region53.length + ' entrées sur ' + EXPECT.total),
		'count with région 53: ' + $('compte-filtres').textContent);
	expect($('compte').textContent === EXPECT.region53.length + ' résultats', 'list count: ' + $('compte').textContent);
	expect(/(^|&|#)region=53(&|$)/.test(location.hash), 'région not in the URL: ' + location.hash);
	// the département menu only offers this région's
	const depOptions = Array.from($('filtre-departement').options).map((o) => o.value).filter(Boolean);
	expect(same(depOptions.sort(), ['29', '35', '56']), 'départements of région 53: ' + depOptions);
	$('couche-initiative').click();
	await sleep(100);
	expect(same(onMap(), EXPECT.groupe_region53), 'groupes of région 53 on the map: ' + onMap());
	expect(same(inList(), EXPECT.groupe_region53), 'groupes of région 53 in the list: ' + inList());
	expect($('nombre-groupe').textContent.includes('(' + EXPECT.groupe_region53.length + ')'),
		'groupe count in the legend: ' + $('nombre-groupe').textContent);
	expect(/type=groupe/.test(location.hash) && /region=53/.test(location.hash), 'URL: ' + location.hash);
	report.filtered_hash = location.hash;
	await select('filtre-departement', '29');
	expect(same(inList(), EXPECT.groupe_region53.filter((i) => EXPECT.dep29.includes(i))), 'groupe 29: ' + inList());
	$('effacer').click();
	await sleep(100);
	expect(onMap().length === EXPECT.located.length && inList().length === EXPECT.total, 'filters cleared');
	await select('filtre-etat', 'en fonctionnement');
	expect(same(inList(), EXPECT.fonctionnement), 'stage filter: ' + inList());
	expect(/etat=en(\+|%20)fonctionnement/.test(location.hash), 'stage in the URL: ' + location.hash);
	// a shared URL gives the same view
	location.hash = '#type=groupe&region=53';
	await sleep(300);
	expect(same(onMap(), EXPECT.groupe_region53) && same(inList(), EXPECT.groupe_region53),
		'a shared URL: ' + onMap() + ' / ' + inList());
	expect($('filtre-region').value === '53' && !$('couche-initiative').checked, 'menus follow the URL');
	location.hash = '#type=inconnu';
	await sleep(300);
	expect(onMap().length === EXPECT.located.length, 'an unknown type in the URL empties the map');
	$('effacer').click();
	await sleep(100);

	// search as people type
	const phrasings = [
		['Bretagne', EXPECT.region53], ['bretagne', EXPECT.region53],
		['Finistère', EXPECT.dep29], ['finistere', EXPECT.dep29], ['29', EXPECT.dep29],
		['en fonctionnement', EXPECT.fonctionnement],
		['Saint Étienne', EXPECT.saint_etienne], ['st etienne', EXPECT.saint_etienne],
		['saint-etienne', EXPECT.saint_etienne], ['ST-ÉTIENNE', EXPECT.saint_etienne],
		['région 53', EXPECT.region53], ['Brest', [1]], ['29200', [1]], ['01290', [8]],
	];
	for (const [q, want] of phrasings) {
		const got = await search(q);
		expect(same(got, want), 'search "' + q + '": ' + got + ' instead of ' + want);
	}
	expect(same(await search('zzz'), []) && $('compte').textContent === 'Aucun résultat.', 'no result');
	await search('');

	// list view accessibility, with an item open
	$('fiche-4').querySelector('details').open = true;
	await axe('list');
	$('fiche-4').querySelector('details').open = false;

	// "Voir sur la carte" keeps the focus: into the popup
	const voir = $('fiche-4').querySelector('button.voir');
	$('fiche-4').querySelector('details').open = true;
	voir.focus();
	voir.click();
	await sleep(1500);
	let pop = openPopup();
	expect(pop && pop.querySelector('h2').textContent === 'Groupe local de Rennes', 'Voir sur la carte: popup');
	expect(pop && pop.contains(document.activeElement), 'Voir sur la carte: focus on ' +
		(document.activeElement && document.activeElement.outerHTML.slice(0, 80)));
	C.map.closePopup();
	await sleep(100);
	expect(document.activeElement !== document.body, 'focus dropped to body after closing');

	// permalinks: #entree-N opens its popup and its list item
	location.hash = '#entree-11';
	await sleep(1500);
	pop = openPopup();
	expect(pop && pop.querySelector('h2').textContent === 'Groupe local de La Réunion', 'permalink 11: popup');
	expect(pop && /Position approximative/.test(pop.textContent), 'approximate point not said in the popup');
	expect($('fiche-11').querySelector('details').open, 'permalink 11: list item open');
	const perma = pop && pop.querySelector('a.fiche-lien');
	expect(perma && perma.getAttribute('href') === '#entree-11', 'popup offers its link');
	expect(pop && pop.textContent.includes('Fiche mise à jour le 11/02/2026.'), 'date_maj not shown');
	const m11 = C.grappes.getLayers().find((m) => m.entree.id === 11);
	expect(m11.getElement() && m11.getElement().classList.contains('approx'), 'approximate marker not lighter');
	expect(/position approximative/.test(m11.getElement().getAttribute('aria-label')), 'approximate not in the name');
	C.map.closePopup();
	location.hash = '#entree-12';	// no point: the list, item open
	await sleep(300);
	expect(!$('liste').hidden && $('fiche-12').querySelector('details').open, 'permalink to an unlocated entry');
	$('voir-carte').click();
	location.hash = '';
	await sleep(200);

	// overseas shortcuts, and a view of every entry
	for (const code of Object.keys(EXPECT.overseas)) {
		const b = $('aller-' + code);
		expect(b, 'no button for ' + code);
		if (!b)
			continue;
		b.click();
		await sleep(200);
		// the island is drawn there: its outline fills a good part of the view
		const dep = fond.find((l) => l.feature.properties.code === code);
		const box = dep && dep._path.getBoundingClientRect();
		const view = $('carte').getBoundingClientRect();
		expect(box && Math.min(box.right, view.right) - Math.max(box.left, view.left) > view.width / 4 &&
			Math.min(box.bottom, view.bottom) - Math.max(box.top, view.top) > view.height / 4,
			code + ': its outline is not drawn in its view: ' + JSON.stringify(box));
		for (const id of EXPECT.overseas[code]) {
			const m = C.grappes.getLayers().find((x) => x.entree.id === id);
			expect(C.map.getBounds().contains(m.getLatLng()), code + ' button does not show entry ' + id);
		}
	}
	expect(!$('aller-972'), 'a button for an overseas département with no entry');
	$('aller-tout').click();
	await sleep(300);
	const b = C.map.getBounds();
	expect(C.grappes.getLayers().every((m) => b.contains(m.getLatLng())), 'the all-entries view misses some');
	$('aller-metropole').click();
	await sleep(300);

	// keyboard: filters and zoom before any marker; names for markers and clusters
	const tabbable = all('a[href], button, input, select, [tabindex]')
		.filter((e) => e.tabIndex >= 0 && !e.disabled && (e.offsetParent !== null || e.closest('.leaflet-marker-pane')));
	const first = (sel) => tabbable.findIndex((e) => e.matches(sel));
	const firstMarker = first('.leaflet-marker-icon');
	report.tab = { filter: first('#couche-initiative'), zoom: first('.leaflet-control-zoom-in'), marker: firstMarker };
	expect(firstMarker > 0, 'no marker in the Tab order');
	if (MODE !== 'phone')
		expect(first('#couche-initiative') >= 0 && first('#couche-initiative') < firstMarker, 'filters after markers');
	else
		expect(first('#ouvrir-filtres') >= 0 && first('#ouvrir-filtres') < firstMarker, 'filter button after markers');
	expect(first('.leaflet-control-zoom-in') >= 0 && first('.leaflet-control-zoom-in') < firstMarker, 'zoom after markers');
	for (const e of visible('.leaflet-marker-icon')) {
		const name = e.getAttribute('aria-label') || '';
		if (e.classList.contains('grappe'))
			expect(/^\d+ entrées autour de \S/.test(name), 'cluster name: "' + name + '"');
		else
			expect(/^(Initiative locale|Groupe local) : \S/.test(name), 'marker name: "' + name + '"');
		expect(e.getAttribute('role') === 'button', 'marker role');
	}
	report.clusters = visible('.grappe').map((e) => e.getAttribute('aria-label'));
	// focus into a popup opened from its marker, and back to the marker
	const m1 = C.grappes.getLayers().find((m) => m.entree.id === 1);
	C.map.setView(m1.getLatLng(), 14, { animate: false });
	await sleep(400);
	await Promise.race([new Promise((r) => C.grappes.zoomToShowLayer(m1, r)), sleep(3000)]);
	const e1 = m1.getElement();
	e1.focus();
	e1.dispatchEvent(new KeyboardEvent('keypress', { key: 'Enter', keyCode: 13, which: 13, bubbles: true }));
	await sleep(200);
	if (!openPopup())
		e1.click();	// Leaflet versions differ in the key they listen to
	await sleep(200);
	pop = openPopup();
	expect(pop && pop.contains(document.activeElement), 'focus not moved into the popup');
	// the popup is not covered by a control
	const covered = (p) => {
		const r = p.getBoundingClientRect();
		return visible('.leaflet-control, .filtres-barre, .entete').filter((c) => {
			const q = c.getBoundingClientRect();
			return !(q.right <= r.left || q.left >= r.right || q.bottom <= r.top || q.top >= r.bottom);
		}).map((c) => c.className);
	};
	if (pop) {
		const over = covered(pop);
		expect(over.length === 0, 'popup covered by ' + over);
		const r = pop.getBoundingClientRect();
		expect(r.left >= 0 && r.right <= window.innerWidth && r.top >= 0, 'popup off screen: ' + JSON.stringify(r));
	}
	pop && pop.querySelector('.leaflet-popup-close-button').click();
	await sleep(200);
	expect(document.activeElement === m1.getElement(), 'focus not back on the marker: ' +
		(document.activeElement && document.activeElement.outerHTML.slice(0, 80)));

	// join us
	expect($('rejoindre-adresse').textContent === ADDRESS && $('rejoindre-adresse').href === 'mailto:' + ADDRESS,
		'join address');
	const mail = $('rejoindre-courriel').getAttribute('href');
	expect(mail.startsWith('mailto:' + ADDRESS + '?subject='), 'join mailto: ' + mail.slice(0, 80));
	const body = decodeURIComponent((mail.split('&body=')[1] || ''));
	expect(/^Nom :/m.test(body) && /^Type :/m.test(body), 'the mailto has no blank form');
	expect(document.querySelector('.pied a[href="#rejoindre"]'), 'no join link in the footer');
	location.hash = '#rejoindre';
	await sleep(200);
	expect(document.activeElement === $('rejoindre-titre') && $('rejoindre').offsetParent !== null,
		'#rejoindre does not show the join block');
	if (MODE === 'phone') {
		$('ouvrir-filtres').click();	// folded again
		await sleep(100);
	}
	location.hash = '';
	await sleep(100);
	if (MODE !== 'file') {
		const form = await (await fetch('formulaire.txt')).text();
		expect(form === body, 'formulaire.txt differs from the mailto body');
	}

	if (MODE === 'phone') {
		expect(document.documentElement.scrollWidth <= window.innerWidth,
			'horizontal scroll on a phone: ' + document.documentElement.scrollWidth);
		expect($('panneau').offsetParent === null, 'filters not folded on a phone');
		expect($('ouvrir-filtres').offsetParent !== null, 'no filter button on a phone');
		$('ouvrir-filtres').click();
		await sleep(100);
		expect($('panneau').offsetParent !== null && $('ouvrir-filtres').getAttribute('aria-expanded') === 'true',
			'the filter button does not unfold them');
		expect(document.documentElement.scrollWidth <= window.innerWidth, 'horizontal scroll with filters open');
		await axe('phone-filters');
		$('ouvrir-filtres').click();
		await sleep(100);
		// a permalink on a phone: the popup fits and nothing covers it
		location.hash = '#entree-3';
		await sleep(1500);
		pop = openPopup();
		expect(pop, 'phone: no popup for entree-3');
		if (pop) {
			const over = covered(pop);
			expect(over.length === 0, 'phone: popup covered by ' + over);
			const r = pop.getBoundingClientRect();
			expect(r.left >= 0 && r.right <= window.innerWidth && r.top >= 0 && r.bottom <= window.innerHeight,
				'phone: popup off screen: ' + JSON.stringify(r));
		}
		C.map.closePopup();
		location.hash = '';
		await sleep(200);
	} else {
		expect($('ouvrir-filtres').offsetParent === null, 'filter button shown on a desktop');
	}
	await axe('map');

	// an unknown permalink says so
	location.hash = '#entree-999';
	await sleep(200);
	expect(!$('etat').hidden && /999/.test($('etat').textContent), 'unknown permalink not explained');
	location.hash = '';
	await sleep(100);

	// script-bearing values in the derived properties stayed text (entry 13)
	$('voir-liste').click();
	$('fiche-13').querySelector('details').open = true;
	location.hash = '#entree-13';
	await sleep(1500);
	expect(document.body.textContent.includes("<img src=x onerror="), 'hostile values not shown as text');
	expect(all('img[src="x"], iframe, svg[onload], [onerror], [onload], [onmouseover], b').length === 0,
		'markup from the data became elements');
	await sleep(300);
	expect(typeof window.__essaim_pwned === 'undefined', 'a hostile value ran: ' + window.__essaim_pwned);
	report.errors = errors;
	return report;
})()
