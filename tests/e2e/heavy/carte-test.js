// SPDX-License-Identifier: GPL-3.0-or-later
// Evaluated in the published map page by tools/chromium-cdp.py, after
// tests/e2e/publish_fixture.py's known dataset was published. MODE is set by
// the test before this text ("desktop" or "mobile"), and TITRE, the
// expected page title. Returns
// {errors: [...], ...}: the page passes when errors is empty.
(async () => {
	const errors = [];
	const expect = (cond, msg) => { if (!cond) errors.push(msg); };
	const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
	const all = (sel) => Array.from(document.querySelectorAll(sel));
	const visible = (sel) => all(sel).filter((e) => e.offsetParent !== null);
	const C = window.carte;
	const gj = await (await fetch('dynamiques.geojson')).json();
	const HIDDEN = 'NE-PAS-PUBLIER', PRIVATE = 'PRIVE-';
	const report = { mode: MODE };

	await sleep(400);	// cluster animations
	// markers and clusters at the first view: Lyon's 4 initiatives and
	// Nantes's 3 groupes each make one cluster; 5 entries stand alone
	report.markers = visible('.marqueur').length;
	report.clusters = visible('.grappe').length;
	expect(report.markers === 5, 'single markers at first view: ' + report.markers);
	expect(report.clusters === 2, 'clusters at first view: ' + report.clusters);
	expect(visible('.marqueur-initiative').length === 3, 'initiative markers');
	expect(visible('.marqueur-groupe').length === 2, 'groupe markers');
	// one cluster layer for both types, each cluster counting each type
	const tot = visible('.grappe').map((g) => g.querySelector('.grappe-total').textContent).sort();
	expect(tot.join() === '3,4', 'cluster totals: ' + tot);
	const ci = visible('.grappe .grappe-initiative'), cg = visible('.grappe .grappe-groupe');
	expect(ci.length === 1 && ci[0].textContent === '4', 'initiative count in a cluster');
	expect(cg.length === 1 && cg[0].textContent === '3', 'groupe count in a cluster');
	const layers = C.grappes.getLayers().length;
	expect(layers === 12, 'located entries on the map: ' + layers);

	// legend toggles (type filters)
	const toggle = async (id) => { document.getElementById(id).click(); await sleep(200); };
	expect(all('.legende-ligne').length === 2, 'legend has two layers');
	await toggle('couche-initiative');
	expect(visible('.marqueur-initiative, .grappe .grappe-initiative').length === 0, 'initiatives hidden');
	expect(visible('.marqueur-groupe').length === 2, 'groupes still shown');
	await toggle('couche-initiative');
	await toggle('couche-groupe');
	expect(visible('.marqueur-groupe, .grappe .grappe-groupe').length === 0, 'groupes hidden');
	expect(visible('.marqueur-initiative').length === 3, 'initiatives back');
	await toggle('couche-groupe');
	expect(visible('.marqueur').length === 5, 'both layers back');

	// every popup, opened by clicking its marker
	const textOf = (e) => e.textContent;
	let popups = 0;
	{
		const group = C.grappes;
		for (const m of group.getLayers()) {
			// as a visitor would: go near the point, then open its cluster
			C.map.setView(m.getLatLng(), Math.max(C.map.getZoom(), 12), { animate: false });
			await sleep(350);	// clusters of the new zoom drawn
			await Promise.race([new Promise((res) => group.zoomToShowLayer(m, res)), sleep(3000)]);
			if (!m.getElement()) {
				errors.push('marker ' + m.feature.id + ' cannot be shown');
				continue;
			}
			await sleep(50);
			m.closePopup();
			m.getElement().dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
			await sleep(50);
			// this marker's popup (a closed one fades out for a while)
			const pop = m.getPopup() && m.getPopup().isOpen() && m.getPopup().getElement();
			const box = pop && pop.querySelector('.leaflet-popup-content');
			const p = m.feature.properties;
			if (!box) {
				errors.push('no popup for ' + m.feature.id);
				continue;
			}
			popups++;
			const txt = textOf(box);
			const h2 = box.querySelector('h2');
			expect(h2 && h2.textContent === p.nom, 'popup title of ' + m.feature.id);
			for (const k of ['structure', 'territoire', 'description', 'courriel_public'])
				if (p[k])
					expect(txt.includes(p[k]), 'popup of ' + m.feature.id + ' lacks ' + k);
			if (p.etat)
				expect(txt.includes(p.etat.slice(1)), 'popup of ' + m.feature.id + ' lacks etat');
			for (const a of box.querySelectorAll('a'))
				expect(/^(https?:|mailto:|#entree-\d+$)/.test(a.getAttribute('href')),
					'unsafe link in popup of ' + m.feature.id + ': ' + a.getAttribute('href'));
			const perma = box.querySelector('a.fiche-lien');
			expect(perma && perma.getAttribute('href') === '#entree-' + m.feature.id, 'permalink of ' + m.feature.id);
			const web = box.querySelector('a[href^="http"]');
			if (/^https?:\/\//.test(p.site_web || ''))
				expect(web && web.textContent === p.site_web, 'website link of ' + m.feature.id);
			else
				expect(!web, 'a non-http website became a link: ' + m.feature.id);
			m.closePopup();
		}
	}
	report.popups = popups;
	expect(popups === 12, 'popups opened: ' + popups);

	// list view, search by name or commune (accents and case ignored)
	document.getElementById('voir-liste').click();
	await sleep(50);
	expect(!document.getElementById('liste').hidden, 'list view shown');
	expect(document.getElementById('carte').offsetParent === null, 'map hidden in list view');
	const items = all('#resultats > li');
	report.items = items.length;
	expect(items.length === 13, 'list items: ' + items.length);
	const search = async (q) => {
		const input = document.getElementById('recherche');
		input.value = q;
		input.dispatchEvent(new Event('input', { bubbles: true }));
		await sleep(20);
		return items.filter((li) => !li.hidden).length;
	};
	expect(await search('lyon') === 4, 'search "lyon"');
	expect(await search('EPICERIE') === 1, 'search "EPICERIE" (accents ignored)');
	expect(await search('nantes') === 3, 'search "nantes"');
	expect(await search('saint-denis') === 1, 'search an entry with no point');
	expect(await search('zzz') === 0 && document.getElementById('compte').textContent === 'Aucun résultat.',
		'search with no result');
	expect(await search('') === 13, 'empty search lists all');
	for (const d of all('#resultats details')) {
		d.open = true;
		const f = d.querySelector('.fiche h2');
		expect(f && gj.features.some((x) => x.properties.nom === f.textContent), 'list item details');
	}
	// "Voir sur la carte" goes back to the map with the popup open, from
	// wherever the map was (far away, or inside a cluster)
	for (const name of ['Dynamique de Strasbourg', 'Cantine des Pentes', 'Dynamique de Toulouse',
		'Groupe SSA Nantes Sud']) {
		document.getElementById('voir-liste').click();
		const li = items.find((x) => x.querySelector('.resultat-nom').textContent === name);
		li.querySelector('button.voir').click();
		await sleep(1200);
		expect(document.getElementById('liste').hidden, 'back to the map');
		const open = document.querySelector('.leaflet-popup:last-of-type .leaflet-popup-content h2');
		expect(open && open.textContent === name, 'the list opens the popup of ' + name);
	}

	// nothing private, nothing unpublished, no markup from the data
	const body = document.body.textContent;
	expect(!body.includes(HIDDEN), 'an unpublished entry is shown');
	expect(!body.includes(PRIVATE), 'a private field is shown');
	expect(body.includes('<img src=x onerror='), 'hostile values are shown as text');
	expect(all('img[src="x"], iframe, svg[onload], [onerror], [onload]').length === 0,
		'markup from the data became elements');
	expect(all('script').length === 5, 'scripts in the page: ' + all('script').length);
	expect(all('a[href^="javascript"], a[href^="data:"]').length === 0, 'dangerous link');
	expect(document.getElementById('titre').textContent === TITRE, 'title from carte.json as text');
	if (MODE === 'mobile') {
		expect(document.documentElement.scrollWidth <= window.innerWidth,
			'horizontal overflow on a phone: ' + document.documentElement.scrollWidth);
		const btn = document.getElementById('voir-liste').getBoundingClientRect();
		expect(btn.height >= 36, 'buttons too small for a finger');
	}
	await sleep(300);	// give any injected handler its chance
	report.sentinel = typeof window.__essaim_pwned === 'undefined' ? null : String(window.__essaim_pwned);
	expect(report.sentinel === null, 'a hostile value ran: ' + report.sentinel);
	// the outline is drawn with or without tiles, under them
	report.outline = all('.leaflet-fond-pane path').length;
	const tilePane = document.querySelector('.leaflet-tile-pane');
	report.outline_under_tiles = Number(getComputedStyle(document.querySelector('.leaflet-fond-pane')).zIndex) <
		Number(getComputedStyle(tilePane).zIndex);
	expect(report.outline >= 100 && report.outline_under_tiles, 'outline: ' + report.outline);
	report.attribution = textOf(document.querySelector('.leaflet-control-attribution'));
	report.errors = errors;
	return report;
})()
