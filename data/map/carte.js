/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * La carte des initiatives et groupes locaux : lit carte.json (réglages) et
 * dynamiques.geojson (données) à côté de la page, avec des adresses relatives
 * pour fonctionner sur n'importe quel hébergement statique.
 *
 * Règle : toute valeur venue des données est insérée comme texte
 * (textContent, createTextNode), jamais comme HTML. Un lien n'est fait que
 * pour une adresse http ou https, ou un courriel.
 */
(function () {
	'use strict';

	var TYPES = {
		initiative: { un: 'Initiative locale', plusieurs: 'Initiatives locales' },
		groupe: { un: 'Groupe local', plusieurs: 'Groupes locaux' }
	};
	/* Libellés par défaut, si carte.json n'en donne pas. */
	var LIBELLES = {
		type: 'Type', nom: 'Nom', structure: 'Structure porteuse',
		statut_structure: 'Statut de la structure', territoire: 'Territoire',
		echelle: 'Échelle', commune: 'Commune', code_postal: 'Code postal',
		etat: "État d'avancement", description: 'Description', historique: 'Historique',
		partenaires: 'Partenaires', site_web: 'Site web',
		courriel_public: 'Courriel de contact public'
	};
	var ORDRE = ['structure', 'statut_structure', 'territoire', 'echelle', 'commune',
		'etat', 'description', 'historique', 'partenaires', 'site_web', 'courriel_public'];
	/* Champs de plusieurs lignes : les retours à la ligne sont gardés. */
	var TEXTES = { description: true, historique: true, partenaires: true };
	/* Ces champs ne sont pas répétés dans la fiche (titre, type, commune). */
	var DEJA = { type: true, nom: true, coordonnees: true, code_postal: true };
	var FRANCE = { centre: [46.6, 2.4], zoom: 5 };
	var METROPOLE = L.latLngBounds([41, -5.5], [51.5, 10]);

	var etat = document.getElementById('etat');

	function el(tag, classe, texte) {
		var e = document.createElement(tag);
		if (classe)
			e.className = classe;
		if (texte !== undefined && texte !== null)
			e.textContent = String(texte);
		return e;
	}

	function chaine(v) {
		return typeof v === 'string' ? v : (v === undefined || v === null ? '' : String(v));
	}

	/* Une adresse web sûre (http ou https), ou null. */
	function lienWeb(v) {
		try {
			var u = new URL(chaine(v).trim());
			if (u.protocol === 'http:' || u.protocol === 'https:')
				return u.href;
		} catch (e) { /* pas une adresse */ }
		return null;
	}

	function lienCourriel(v) {
		var s = chaine(v).trim();
		return /^[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[^\s@<>()"',;:]+$/.test(s) ?
			'mailto:' + s : null;
	}

	function majuscule(s) {
		return s ? s.charAt(0).toUpperCase() + s.slice(1) : s;
	}

	function sansAccents(s) {
		return chaine(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
	}

	function lieu(p) {
		var c = chaine(p.commune), cp = chaine(p.code_postal);
		return c && cp ? c + ' (' + cp + ')' : c || cp;
	}

	/* La fiche d'une entrée : un élément DOM, jamais du HTML. */
	function fiche(f, libelles) {
		var p = f.properties || {};
		var div = el('div', 'fiche');
		var type = TYPES[p.type] ? p.type : 'initiative';
		div.appendChild(el('p', 'fiche-type fiche-' + type, TYPES[type].un));
		div.appendChild(el('h2', 'fiche-nom', p.nom || 'Sans nom'));
		var dl = el('dl');
		ORDRE.forEach(function (cle) {
			var v = cle === 'commune' ? lieu(p) : chaine(p[cle]);
			if (!v)
				return;
			dl.appendChild(el('dt', null, libelles[cle] || LIBELLES[cle] || cle));
			var dd = el('dd', TEXTES[cle] ? 'texte' : null);
			var href = cle === 'site_web' ? lienWeb(v) :
				cle === 'courriel_public' ? lienCourriel(v) : null;
			if (href) {
				var a = el('a', null, v);
				a.href = href;
				if (cle === 'site_web') {
					a.target = '_blank';
					a.rel = 'noopener noreferrer';
				}
				dd.appendChild(a);
			} else {
				dd.appendChild(document.createTextNode(cle === 'etat' ? majuscule(v) : v));
			}
			dl.appendChild(dd);
		});
		div.appendChild(dl);
		return div;
	}

	function icone(type) {
		return L.divIcon({
			className: 'marqueur marqueur-' + type,
			html: '',
			iconSize: [22, 22],
			iconAnchor: [11, 11],
			popupAnchor: [0, -10]
		});
	}

	function grappes(type) {
		return L.markerClusterGroup({
			showCoverageOnHover: false,
			spiderfyOnMaxZoom: true,
			maxClusterRadius: 50,
			iconCreateFunction: function (g) {
				var span = el('span', null, g.getChildCount());
				return L.divIcon({
					className: 'grappe grappe-' + type,
					html: span,
					iconSize: [36, 36]
				});
			}
		});
	}

	function attribution(url) {
		if (/(^|\.)openstreetmap\.(org|fr)\//.test(url.replace(/^[a-z]+:\/\//i, '')))
			return '&copy; les contributeurs d\u2019<a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>';
		/* un autre serveur : son nom, échappé par le DOM */
		var d = el('div', null, 'Fond de carte : ' + url.replace(/^[a-z]+:\/\/([^/]+).*$/i, '$1'));
		return d.innerHTML;
	}

	/* Légende : une case à cocher par couche. */
	function legende(carte, couches, nombres) {
		var Ctrl = L.Control.extend({
			options: { position: 'topright' },
			onAdd: function () {
				var box = el('div', 'legende leaflet-bar');
				L.DomEvent.disableClickPropagation(box);
				box.appendChild(el('p', 'legende-titre', 'Afficher'));
				Object.keys(TYPES).forEach(function (type) {
					var lab = el('label', 'legende-ligne');
					var cb = el('input');
					cb.type = 'checkbox';
					cb.checked = true;
					cb.id = 'couche-' + type;
					cb.addEventListener('change', function () {
						if (cb.checked)
							carte.addLayer(couches[type]);
						else
							carte.removeLayer(couches[type]);
					});
					lab.appendChild(cb);
					lab.appendChild(el('span', 'symbole symbole-' + type));
					lab.appendChild(el('span', null, TYPES[type].plusieurs +
						' (' + nombres[type] + ')'));
					box.appendChild(lab);
				});
				return box;
			}
		});
		return new Ctrl();
	}

	function vue(liste) {
		document.getElementById('liste').hidden = !liste;
		document.getElementById('carte').classList.toggle('cachee', liste);
		document.getElementById('voir-liste').setAttribute('aria-pressed', String(liste));
		document.getElementById('voir-carte').setAttribute('aria-pressed', String(!liste));
		if (liste)
			document.getElementById('recherche').focus();
		else if (window.carte && window.carte.map)
			window.carte.map.invalidateSize();
	}

	function montrer(m, couche) {
		vue(false);
		window.carte.map.addLayer(couche);
		var cb = document.getElementById('couche-' + m.feature.properties.type);
		if (cb)
			cb.checked = true;
		/* first near the point without animation: zoomToShowLayer alone does
		 * not call back when it pans far from the current view */
		var carte = window.carte.map;
		carte.setView(m.getLatLng(), Math.max(carte.getZoom(), 12), { animate: false });
		/* and once the clusters of that zoom are drawn */
		setTimeout(function () {
			couche.zoomToShowLayer(m, function () { m.openPopup(); });
		}, 350);
	}

	function liste(entrees, libelles) {
		var ul = document.getElementById('resultats');
		var compte = document.getElementById('compte');
		var items = entrees.slice().sort(function (a, b) {
			return chaine(a.f.properties.nom).localeCompare(chaine(b.f.properties.nom), 'fr');
		}).map(function (x) {
			var p = x.f.properties;
			var li = el('li', 'resultat resultat-' + (TYPES[p.type] ? p.type : 'initiative'));
			var det = el('details');
			var sum = el('summary');
			sum.appendChild(el('span', 'resultat-nom', p.nom || 'Sans nom'));
			sum.appendChild(el('span', 'resultat-lieu',
				(TYPES[p.type] || TYPES.initiative).un + ' · ' + lieu(p)));
			det.appendChild(sum);
			det.appendChild(fiche(x.f, libelles));
			if (x.marqueur) {
				var b = el('button', 'voir', 'Voir sur la carte');
				b.type = 'button';
				b.addEventListener('click', function () { montrer(x.marqueur, x.couche); });
				det.appendChild(b);
			} else {
				det.appendChild(el('p', 'non-localisee', 'Pas encore placée sur la carte.'));
			}
			li.appendChild(det);
			ul.appendChild(li);
			return { li: li, cle: sansAccents([p.nom, p.commune, p.code_postal].join(' ')) };
		});
		function filtrer() {
			var q = sansAccents(document.getElementById('recherche').value).trim();
			var n = 0;
			items.forEach(function (it) {
				var ok = !q || it.cle.indexOf(q) !== -1;
				it.li.hidden = !ok;
				if (ok)
					n++;
			});
			compte.textContent = n === 0 ? 'Aucun résultat.' :
				n === 1 ? '1 résultat' : n + ' résultats';
		}
		document.getElementById('recherche').addEventListener('input', filtrer);
		filtrer();
	}

	function charger(url) {
		return fetch(url, { cache: 'no-cache' }).then(function (r) {
			if (!r.ok)
				throw new Error(url + ' : ' + r.status);
			return r.json();
		});
	}

	function demarrer(reglages, donnees) {
		var libelles = {};
		(reglages.champs || []).forEach(function (c) {
			libelles[c.cle] = chaine(c.libelle);
		});
		if (reglages.titre)
			document.getElementById('titre').textContent = chaine(reglages.titre);
		if (donnees.generated_at) {
			var d = new Date(donnees.generated_at);
			if (!isNaN(d))
				document.getElementById('mise-a-jour').textContent =
					' · mis à jour le ' + d.toLocaleDateString('fr-FR');
		}
		var carte = L.map('carte', { zoomControl: true, minZoom: 2, maxZoom: 19 }).setView(FRANCE.centre, FRANCE.zoom);
		carte.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
		if (typeof reglages.tuiles === 'string' && reglages.tuiles)
			L.tileLayer(reglages.tuiles, {
				maxZoom: 19, attribution: attribution(reglages.tuiles)
			}).addTo(carte);
		else
			document.getElementById('carte').classList.add('sans-fond');

		var couches = { initiative: grappes('initiative'), groupe: grappes('groupe') };
		var nombres = { initiative: 0, groupe: 0 };
		var entrees = [], metro = [], tous = [];
		(donnees.features || []).forEach(function (f) {
			if (!f || !f.properties)
				return;
			var type = TYPES[f.properties.type] ? f.properties.type : 'initiative';
			var x = { f: f, marqueur: null, couche: couches[type] };
			nombres[type]++;
			var g = f.geometry;
			if (g && g.type === 'Point' && g.coordinates && g.coordinates.length >= 2) {
				var ll = L.latLng(g.coordinates[1], g.coordinates[0]);
				var m = L.marker(ll, {
					icon: icone(type), title: chaine(f.properties.nom), keyboard: true
				});
				m.feature = f;
				m.bindPopup(function () { return fiche(f, libelles); }, {
					maxWidth: Math.min(340, window.innerWidth - 40),
					maxHeight: Math.min(380, window.innerHeight - 120),
					autoPanPadding: [12, 12]
				});
				couches[type].addLayer(m);
				x.marqueur = m;
				tous.push(ll);
				if (METROPOLE.contains(ll))
					metro.push(ll);
			}
			entrees.push(x);
		});
		carte.addLayer(couches.initiative);
		carte.addLayer(couches.groupe);
		legende(carte, couches, nombres).addTo(carte);
		var vus = metro.length ? metro : tous;
		if (vus.length)
			carte.fitBounds(L.latLngBounds(vus), { padding: [30, 30], maxZoom: 11, animate: false });
		liste(entrees, libelles);
		window.carte = { map: carte, couches: couches, entrees: entrees, pret: true };
		etat.hidden = true;
		document.documentElement.setAttribute('data-etat', 'pret');
	}

	document.getElementById('voir-liste').addEventListener('click', function () { vue(true); });
	document.getElementById('voir-carte').addEventListener('click', function () { vue(false); });

	Promise.all([
		charger('carte.json').catch(function () { return {}; }),
		charger('dynamiques.geojson')
	]).then(function (r) {
		demarrer(r[0] || {}, r[1] || {});
	}).catch(function (e) {
		etat.textContent = 'Impossible de charger les données de la carte. ' +
			'Elles restent disponibles en CSV et en GeoJSON (liens en bas de page).';
		document.documentElement.setAttribute('data-etat', 'erreur');
		if (window.console)
			console.error(e);
	});
}());
