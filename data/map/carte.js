/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * La carte des initiatives et groupes locaux. Les données viennent de
 * donnees.js (window.essaimDonnees : réglages et GeoJSON), chargé comme un
 * script pour que la page marche aussi ouverte depuis le disque (file://) ;
 * à défaut, de carte.json et dynamiques.geojson par fetch. Le fond de carte
 * (départements et régions) vient de fond-carte.js (window.essaimFond).
 *
 * Règle : toute valeur venue des données est insérée comme texte
 * (textContent, createTextNode), jamais comme HTML. Un lien n'est fait que
 * pour une adresse http ou https, ou un courriel.
 *
 * L'adresse garde la vue : #type=groupe&region=53&departement=29&etat=…
 * pour des filtres, #entree-12 pour une fiche, #rejoindre pour s'inscrire.
 */
(function () {
	'use strict';

	var TYPES = {
		initiative: { un: 'Initiative locale', plusieurs: 'Initiatives locales', court: 'initiative', courts: 'initiatives' },
		groupe: { un: 'Groupe local', plusieurs: 'Groupes locaux', court: 'groupe', courts: 'groupes' }
	};
	/* Libellés par défaut, si les réglages n'en donnent pas. */
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
	var ETATS = ['en réflexion', 'en construction', 'en expérimentation', 'en fonctionnement'];
	/* Champs de plusieurs lignes : les retours à la ligne sont gardés. */
	var TEXTES = { description: true, historique: true, partenaires: true };
	/* Une position plus grossière que la commune est dite approximative. */
	var PRECIS = { coordinates: true, address: true, commune: true };
	var APPROX = {
		postcode: 'le point marque le code postal, pas le lieu exact',
		intercommunality: "le point marque l'intercommunalité, pas le lieu exact",
		locality: 'le point marque un lieu voisin, pas le lieu exact',
		departement: 'le point marque le département, pas le lieu exact'
	};
	var OUTREMER = ['971', '972', '973', '974', '976'];
	var FRANCE = { centre: [46.6, 2.4], zoom: 5 };
	var METROPOLE = L.latLngBounds([41.3, -5.2], [51.1, 9.6]);
	var TELEPHONE = window.matchMedia('(max-width: 700px)');

	var $ = function (id) { return document.getElementById(id); };
	var etat = $('etat');
	var integre = /(^|[?&])embed(=|&|$)/.test(window.location.search.slice(1));
	if (integre)
		document.documentElement.classList.add('integre');

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

	function courrielOk(s) {
		return /^[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[^\s@<>()"',;:]+$/.test(chaine(s).trim());
	}

	function lienCourriel(v) {
		return courrielOk(v) ? 'mailto:' + chaine(v).trim() : null;
	}

	function majuscule(s) {
		return s ? s.charAt(0).toUpperCase() + s.slice(1) : s;
	}

	function sansAccents(s) {
		return chaine(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
	}

	/* Mots pliés : sans accents ni casse, la ponctuation en espaces,
	 * « st », « ste » lus « saint », « sainte » (pour un texte cherché : pas
	 * quand le mot est seul, où il peut commencer « Strasbourg »). */
	var SAINTS = { st: 'saint', ste: 'sainte', sts: 'saints', stes: 'saintes' };
	function mots(s, requete) {
		var m = sansAccents(s).replace(/[\u0153]/g, 'oe').replace(/[\u00e6]/g, 'ae')
			.replace(/[^a-z0-9]+/g, ' ').trim().split(' ').filter(Boolean);
		return m.map(function (w, i) {
			return SAINTS[w] && (!requete || m.length > 1) ? SAINTS[w] : w;
		});
	}

	function lieu(p) {
		var c = chaine(p.commune), cp = chaine(p.code_postal);
		return c && cp ? c + ' (' + cp + ')' : c || cp;
	}

	/* ---- départements et régions ---- */

	var DEPS = {};		/* code → { nom, region, region_nom, bornes } */
	(window.essaimFond && window.essaimFond.features || []).forEach(function (f) {
		var p = f.properties || {};
		if (p.code)
			DEPS[p.code] = { nom: p.nom, region: p.region, region_nom: p.region_nom, f: f };
	});

	/* Le département d'une entrée : sa propriété, sinon le code INSEE, sinon
	 * le code postal (Corse : 200xx-201xx en Corse-du-Sud). */
	function departementDe(p) {
		var d = chaine(p.departement).toUpperCase();
		if (d)
			return d;
		var insee = chaine(p.code_insee).toUpperCase();
		if (/^(97\d|98\d)/.test(insee))
			return insee.slice(0, 3);
		if (/^(\d\d|2A|2B)/.test(insee))
			return insee.slice(0, 2);
		var cp = chaine(p.code_postal).replace(/\s/g, '');
		if (!/^\d{5}$/.test(cp))
			return '';
		if (/^9[78]/.test(cp))
			return cp.slice(0, 3);
		if (cp.slice(0, 2) === '20')
			return Number(cp) < 20200 ? '2A' : '2B';
		return cp.slice(0, 2);
	}

	function infoLieu(p) {
		var d = departementDe(p);
		var ref = DEPS[d] || {};
		return {
			departement: d,
			departement_nom: chaine(p.departement_nom) || chaine(ref.nom),
			region: chaine(p.region) || chaine(ref.region),
			region_nom: chaine(p.region_nom) || chaine(ref.region_nom)
		};
	}

	/* ---- fiches ---- */

	function approximative(p) {
		var g = chaine(p.geo_precision);
		return g !== '' && !PRECIS[g];
	}

	/* La fiche d'une entrée : un élément DOM, jamais du HTML. */
	function fiche(x, libelles) {
		var f = x.f, p = f.properties || {};
		var div = el('div', 'fiche');
		div.appendChild(el('p', 'fiche-type fiche-' + x.type, TYPES[x.type].un));
		var h = el('h2', 'fiche-nom', p.nom || 'Sans nom');
		h.tabIndex = -1;
		div.appendChild(h);
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
		if (x.lieu.departement_nom) {
			dl.appendChild(el('dt', null, 'Département'));
			dl.appendChild(el('dd', null, x.lieu.departement_nom + ' (' + x.lieu.departement + ')' +
				(x.lieu.region_nom ? ', ' + x.lieu.region_nom : '')));
		}
		div.appendChild(dl);
		if (x.marqueur && approximative(p))
			div.appendChild(el('p', 'fiche-approx', 'Position approximative : ' +
				(APPROX[chaine(p.geo_precision)] || 'le point ne marque pas le lieu exact') + '.'));
		var maj = new Date(chaine(p.date_maj) || chaine(p.date_creation));
		if (!isNaN(maj))
			div.appendChild(el('p', 'fiche-date', 'Fiche mise à jour le ' +
				maj.toLocaleDateString('fr-FR') + '.'));
		var lien = el('a', 'fiche-lien', 'Lien vers cette fiche');
		lien.href = '#entree-' + x.id;
		div.appendChild(lien);
		return div;
	}

	/* ---- marqueurs et grappes ---- */

	/* Une icône HTML qui se présente aux lecteurs d'écran. */
	var Icone = L.DivIcon.extend({
		createIcon: function (old) {
			var div = L.DivIcon.prototype.createIcon.call(this, old);
			div.setAttribute('role', 'button');
			div.setAttribute('aria-label', this.options.nom);
			div.removeAttribute('title');
			return div;
		}
	});

	function icone(x) {
		var nom = TYPES[x.type].un + ' : ' + (chaine(x.f.properties.nom) || 'sans nom') +
			(x.f.properties.commune ? ', ' + chaine(x.f.properties.commune) : '') +
			(approximative(x.f.properties) ? ' (position approximative)' : '');
		return new Icone({
			className: 'marqueur marqueur-' + x.type + (approximative(x.f.properties) ? ' approx' : ''),
			html: '',
			nom: nom,
			iconSize: [22, 22],
			iconAnchor: [11, 11],
			popupAnchor: [0, -10]
		});
	}

	/* Une grappe mêle les deux types et compte chacun. */
	function iconeGrappe(g) {
		var n = { initiative: 0, groupe: 0 }, communes = {}, meilleure = '', max = 0;
		g.getAllChildMarkers().forEach(function (m) {
			n[m.entree.type]++;
			var c = chaine(m.entree.f.properties.commune);
			if (c) {
				communes[c] = (communes[c] || 0) + 1;
				if (communes[c] > max) {
					max = communes[c];
					meilleure = c;
				}
			}
		});
		var total = n.initiative + n.groupe;
		var html = el('span', 'grappe-corps');
		html.appendChild(el('span', 'grappe-total', total));
		var parts = el('span', 'grappe-parts');
		['initiative', 'groupe'].forEach(function (t) {
			if (n[t])
				parts.appendChild(el('span', 'grappe-' + t, n[t]));
		});
		html.appendChild(parts);
		var detail = ['initiative', 'groupe'].filter(function (t) { return n[t]; }).map(function (t) {
			return n[t] + ' ' + (n[t] > 1 ? TYPES[t].courts : TYPES[t].court);
		}).join(', ');
		return new Icone({
			className: 'grappe',
			html: html,
			nom: total + ' entrées' + (meilleure ? ' autour de ' + meilleure : '') +
				' (' + detail + ')',
			iconSize: [44, 44]
		});
	}

	function attribution(url) {
		if (/(^|\.)openstreetmap\.(org|fr)\//.test(url.replace(/^[a-z]+:\/\//i, '')))
			return '&copy; les contributeurs d\u2019<a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>';
		/* un autre serveur : son nom, échappé par le DOM */
		var d = el('div', null, 'Fond de carte : ' + url.replace(/^[a-z]+:\/\/([^/]+).*$/i, '$1'));
		return d.innerHTML;
	}

	/* ---- l'état de la vue : filtres dans l'adresse ---- */

	var filtre = { types: { initiative: true, groupe: true }, etat: '', region: '', departement: '' };

	function lireAdresse() {
		var h = window.location.hash.replace(/^#/, '');
		if (/^entree-\d+$/.test(h) || h === 'rejoindre')
			return h;
		var q = new URLSearchParams(h);
		var types = q.get('type');
		filtre.types = { initiative: !types, groupe: !types };
		if (types)
			types.split(',').forEach(function (t) {
				if (TYPES[t])
					filtre.types[t] = true;
			});
		/* no known type named: all of them, not an empty map */
		if (!filtre.types.initiative && !filtre.types.groupe)
			filtre.types = { initiative: true, groupe: true };
		filtre.etat = q.get('etat') || '';
		filtre.region = q.get('region') || '';
		filtre.departement = (q.get('departement') || '').toUpperCase();
		return null;
	}

	function ecrireAdresse() {
		var q = new URLSearchParams();
		var types = Object.keys(TYPES).filter(function (t) { return filtre.types[t]; });
		if (types.length !== 2)
			q.set('type', types.join(','));
		if (filtre.region)
			q.set('region', filtre.region);
		if (filtre.departement)
			q.set('departement', filtre.departement);
		if (filtre.etat)
			q.set('etat', filtre.etat);
		var s = q.toString();
		var url = window.location.pathname + window.location.search + (s ? '#' + s : '');
		try {
			window.history.replaceState(null, '', url);
		} catch (e) { /* file:// dans certains navigateurs */ }
	}

	function passe(x, sauf) {
		if (sauf !== 'type' && !filtre.types[x.type])
			return false;
		if (filtre.etat && chaine(x.f.properties.etat) !== filtre.etat)
			return false;
		if (filtre.region && x.lieu.region !== filtre.region)
			return false;
		if (filtre.departement && x.lieu.departement !== filtre.departement)
			return false;
		return true;
	}

	/* ---- la page ---- */

	var C = { entrees: [], pret: false };
	window.carte = C;
	var ouvreur = null;	/* ce qui a ouvert la bulle, pour y rendre le focus */

	function vue(liste) {
		$('liste').hidden = !liste;
		$('carte').classList.toggle('cachee', liste);
		$('voir-liste').setAttribute('aria-pressed', String(liste));
		$('voir-carte').setAttribute('aria-pressed', String(!liste));
		if (liste)
			$('recherche').focus();
		else if (C.map)
			C.map.invalidateSize();
	}

	function panneau(ouvert) {
		$('filtres').classList.toggle('ouvert', ouvert);
		$('ouvrir-filtres').setAttribute('aria-expanded', String(ouvert));
		if (C.map)
			setTimeout(function () { C.map.invalidateSize(); }, 0);
	}

	function options(select, valeurs, courant) {
		while (select.options.length > 1)
			select.remove(1);
		valeurs.forEach(function (v) {
			var o = el('option', null, v[1]);
			o.value = v[0];
			select.appendChild(o);
		});
		select.value = courant;
		if (select.value !== courant)
			select.value = '';
	}

	/* Les menus : les valeurs présentes, avec leur nombre. */
	function menus() {
		var E = C.entrees;
		var etats = {}, regions = {}, deps = {};
		E.forEach(function (x) {
			var e = chaine(x.f.properties.etat);
			if (e)
				etats[e] = (etats[e] || 0) + 1;
			if (x.lieu.region)
				regions[x.lieu.region] = regions[x.lieu.region] || { nom: x.lieu.region_nom || x.lieu.region, n: 0 };
			if (x.lieu.region)
				regions[x.lieu.region].n++;
			if (x.lieu.departement && (!filtre.region || x.lieu.region === filtre.region)) {
				deps[x.lieu.departement] = deps[x.lieu.departement] ||
					{ nom: x.lieu.departement_nom || x.lieu.departement, n: 0 };
				deps[x.lieu.departement].n++;
			}
		});
		var liste = Object.keys(etats).sort(function (a, b) {
			return (ETATS.indexOf(a) + 1 || 99) - (ETATS.indexOf(b) + 1 || 99) || a.localeCompare(b, 'fr');
		}).map(function (k) { return [k, majuscule(k) + ' (' + etats[k] + ')']; });
		options($('filtre-etat'), liste, filtre.etat);
		options($('filtre-region'), Object.keys(regions).sort(function (a, b) {
			return regions[a].nom.localeCompare(regions[b].nom, 'fr');
		}).map(function (k) { return [k, regions[k].nom + ' (' + regions[k].n + ')']; }), filtre.region);
		options($('filtre-departement'), Object.keys(deps).sort().map(function (k) {
			return [k, k + ' ' + deps[k].nom + ' (' + deps[k].n + ')'];
		}), filtre.departement);
		filtre.etat = $('filtre-etat').value;
		filtre.region = $('filtre-region').value;
		filtre.departement = $('filtre-departement').value;
	}

	/* Appliquer les filtres à la carte, à la liste et aux nombres. */
	function appliquer(garderAdresse) {
		menus();
		var E = C.entrees, n = 0, parType = { initiative: 0, groupe: 0 }, sur = [];
		E.forEach(function (x) {
			x.visible = passe(x);
			if (x.visible)
				n++;
			if (passe(x, 'type'))
				parType[x.type]++;
			if (x.visible && x.marqueur)
				sur.push(x.marqueur);
		});
		Object.keys(TYPES).forEach(function (t) {
			$('couche-' + t).checked = filtre.types[t];
			$('nombre-' + t).textContent = TYPES[t].plusieurs + ' (' + parType[t] + ')';
		});
		C.grappes.clearLayers();
		C.grappes.addLayers(sur);
		$('compte-filtres').textContent = n === E.length ?
			(n > 1 ? 'Les ' + n + ' entrées sont affichées.' : n + ' entrée affichée.') :
			n + ' entrée' + (n > 1 ? 's' : '') + ' sur ' + E.length + ' ' +
			(n > 1 ? 'affichées' : 'affichée') + '.';
		C.chercher();
		if (!garderAdresse)
			ecrireAdresse();
	}

	/* Cadrer un ensemble de points (ou la France). */
	function cadrer(points, zoomMax) {
		if (points.length)
			C.map.fitBounds(L.latLngBounds(points), { padding: [30, 30], maxZoom: zoomMax || 11, animate: false });
		else
			C.map.setView(FRANCE.centre, FRANCE.zoom, { animate: false });
	}

	function boutonsOutremer() {
		var zone = $('aller-outremer');
		OUTREMER.forEach(function (code) {
			var ici = C.entrees.filter(function (x) { return x.marqueur && x.lieu.departement === code; });
			if (!ici.length || !DEPS[code])
				return;
			var b = el('button', 'petit', DEPS[code].nom + ' (' + ici.length + ')');
			b.type = 'button';
			b.id = 'aller-' + code;
			b.addEventListener('click', function () {
				vue(false);
				C.map.fitBounds(L.geoJSON(DEPS[code].f).getBounds(), { padding: [20, 20], animate: false });
			});
			zone.appendChild(b);
		});
	}

	function montrer(x, depuis) {
		vue(false);
		if (TELEPHONE.matches)
			panneau(false);
		if (!x.visible) {
			/* une fiche cachée par les filtres : les filtres s'effacent */
			filtre = { types: { initiative: true, groupe: true }, etat: '', region: '', departement: '' };
			appliquer();
		}
		var m = x.marqueur, carte = C.map;
		ouvreur = depuis || null;
		/* près du point d'abord, sans animation : zoomToShowLayer seul ne
		 * rappelle pas quand il se déplace loin de la vue */
		carte.setView(m.getLatLng(), Math.max(carte.getZoom(), 12), { animate: false });
		setTimeout(function () {
			C.grappes.zoomToShowLayer(m, function () { m.openPopup(); });
		}, 350);
	}

	function ouvrirEntree(id) {
		var x = C.entrees.filter(function (e) { return String(e.id) === id; })[0];
		if (!x) {
			etat.hidden = false;
			etat.textContent = 'La fiche ' + id + " n'existe pas ou n'est plus publiée.";
			return;
		}
		etat.hidden = true;
		if (x.li) {
			x.li.hidden = false;
			x.li.querySelector('details').open = true;
		}
		if (x.marqueur)
			montrer(x, null);
		else {
			vue(true);
			x.li.querySelector('summary').focus();
		}
	}

	function suivreAdresse() {
		var h = lireAdresse();
		if (h === 'rejoindre') {
			vue(false);
			panneau(true);
			$('rejoindre').scrollIntoView();
			$('rejoindre-titre').focus();
		} else if (h) {
			ouvrirEntree(h.slice('entree-'.length));
		} else {
			appliquer(true);
		}
	}

	function liste(libelles) {
		var ul = $('resultats');
		var items = C.entrees.slice().sort(function (a, b) {
			return chaine(a.f.properties.nom).localeCompare(chaine(b.f.properties.nom), 'fr');
		});
		items.forEach(function (x) {
			var p = x.f.properties;
			var li = el('li', 'resultat resultat-' + x.type);
			li.id = 'fiche-' + x.id;
			var det = el('details');
			var sum = el('summary');
			sum.appendChild(el('span', 'resultat-nom', p.nom || 'Sans nom'));
			sum.appendChild(el('span', 'resultat-lieu', TYPES[x.type].un + ' · ' + lieu(p) +
				(x.lieu.departement_nom ? ' · ' + x.lieu.departement_nom : '')));
			det.appendChild(sum);
			det.appendChild(fiche(x, libelles));
			if (x.marqueur) {
				var b = el('button', 'voir', 'Voir sur la carte');
				b.type = 'button';
				b.addEventListener('click', function () { montrer(x, b); });
				det.appendChild(b);
			} else {
				det.appendChild(el('p', 'non-localisee', 'Pas encore placée sur la carte.'));
			}
			li.appendChild(det);
			ul.appendChild(li);
			x.li = li;
			x.cle = ' ' + mots([p.nom, p.commune, p.code_postal, p.structure, p.territoire,
				p.etat, TYPES[x.type].un, x.lieu.departement_nom, x.lieu.region_nom].join(' ')).join(' ') + ' ';
		});
		/* Une requête : chaque mot doit se trouver ; un nombre de 1 à 3
		 * chiffres (ou 2A, 2B) est un numéro de département, « région 53 »
		 * un numéro de région. */
		function trouve(x, q) {
			for (var i = 0; i < q.length; i++) {
				var w = q[i];
				if ((w === 'region' || w === 'r') && /^\d{1,3}$/.test(q[i + 1] || '')) {
					if (x.lieu.region !== ('0' + q[i + 1]).slice(-Math.max(2, q[i + 1].length)))
						return false;
					i++;
				} else if (/^(\d{1,3}|2a|2b)$/.test(w)) {
					var d = w.length === 1 ? '0' + w : w.toUpperCase();
					if (x.lieu.departement !== d)
						return false;
				} else if (x.cle.indexOf(w) === -1) {
					return false;
				}
			}
			return true;
		}
		C.chercher = function () {
			var q = mots($('recherche').value, true);
			var n = 0;
			items.forEach(function (x) {
				var ok = x.visible && (!q.length || trouve(x, q));
				x.li.hidden = !ok;
				if (ok)
					n++;
			});
			$('compte').textContent = n === 0 ? 'Aucun résultat.' :
				n === 1 ? '1 résultat' : n + ' résultats';
		};
		$('recherche').addEventListener('input', C.chercher);
	}

	function rejoindre(reglages) {
		var adresse = chaine(reglages.courriel_inscription).trim();
		if (!courrielOk(adresse)) {
			$('rejoindre').hidden = true;
			$('pied-rejoindre').hidden = true;
			return;
		}
		var a = $('rejoindre-adresse');
		a.textContent = adresse;
		a.href = 'mailto:' + adresse;
		$('rejoindre-courriel').href = 'mailto:' + adresse +
			'?subject=' + encodeURIComponent(chaine(reglages.sujet_inscription) || 'Inscription sur la carte') +
			'&body=' + encodeURIComponent(chaine(reglages.formulaire));
	}

	function fond(carte) {
		carte.createPane('fond');
		var pane = carte.getPane('fond');
		pane.style.zIndex = 150;	/* sous les tuiles (200) */
		pane.setAttribute('aria-hidden', 'true');
		if (!window.essaimFond)
			return null;
		return L.geoJSON(window.essaimFond, {
			pane: 'fond',
			interactive: false,
			renderer: L.svg({ pane: 'fond' }),
			style: function (f) {
				return f.properties.limite ?
					{ color: '#5b6b7a', weight: 1.6, opacity: 0.9, fill: false } :
					{ color: '#98a4ae', weight: 0.7, opacity: 0.9, fillColor: '#fbfaf5', fillOpacity: 1 };
			}
		}).addTo(carte);
	}

	function demarrer(reglages, donnees) {
		var libelles = {};
		(reglages.champs || []).forEach(function (c) {
			libelles[c.cle] = chaine(c.libelle);
		});
		if (reglages.titre) {
			$('titre').textContent = chaine(reglages.titre);
			document.title = chaine(reglages.titre);
		}
		if (donnees.generated_at) {
			var d = new Date(donnees.generated_at);
			if (!isNaN(d))
				$('mise-a-jour').textContent = ' · mis à jour le ' + d.toLocaleDateString('fr-FR');
		}
		rejoindre(reglages);
		var carte = L.map('carte', { zoomControl: true, minZoom: 2, maxZoom: 19 })
			.setView(FRANCE.centre, FRANCE.zoom);
		carte.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
		/* les commandes (zoom) avant les marqueurs dans l'ordre du clavier */
		var boite = carte.getContainer();
		boite.insertBefore(carte._controlContainer, boite.firstChild);
		C.fond = fond(carte);
		$('carte').classList.add('sans-fond');
		if (typeof reglages.tuiles === 'string' && reglages.tuiles) {
			C.tuiles = L.tileLayer(reglages.tuiles, {
				maxZoom: 19, attribution: attribution(reglages.tuiles)
			}).addTo(carte);
		}
		carte.on('popupopen', function (e) {
			var pop = e.popup.getElement();
			var fermer = pop.querySelector('.leaflet-popup-close-button');
			if (fermer) {
				fermer.setAttribute('aria-label', 'Fermer la fiche');
				fermer.setAttribute('role', 'button');
			}
			var h = pop.querySelector('.fiche-nom');
			if (h)
				h.focus({ preventScroll: true });
		});
		carte.on('popupclose', function (e) {
			var src = e.popup._source;
			/* rendre le focus à ce qui a ouvert la bulle, s'il est encore là */
			var cible = ouvreur && ouvreur.offsetParent !== null ? ouvreur :
				src && src.getElement && src.getElement();
			ouvreur = null;
			if (cible && document.activeElement && e.popup.getElement() &&
			    (e.popup.getElement().contains(document.activeElement) ||
			     document.activeElement === document.body))
				cible.focus({ preventScroll: true });
		});
		C.map = carte;
		C.grappes = L.markerClusterGroup({
			showCoverageOnHover: false,
			spiderfyOnMaxZoom: true,
			maxClusterRadius: 50,
			iconCreateFunction: iconeGrappe
		});
		var tous = [], metro = [];
		(donnees.features || []).forEach(function (f) {
			if (!f || !f.properties)
				return;
			var type = TYPES[f.properties.type] ? f.properties.type : 'initiative';
			var x = { id: f.id, f: f, type: type, lieu: infoLieu(f.properties), marqueur: null, visible: true };
			var g = f.geometry;
			if (g && g.type === 'Point' && g.coordinates && g.coordinates.length >= 2) {
				var ll = L.latLng(g.coordinates[1], g.coordinates[0]);
				var m = L.marker(ll, { icon: icone(x), keyboard: true });
				m.entree = x;
				m.feature = f;
				/* before the popup's own handler, which moves the focus */
				m.on('click', function () {
					var e = m.getElement();
					if (e && document.activeElement === e)
						ouvreur = e;
				});
				m.bindPopup(function () { return fiche(x, libelles); }, {
					maxWidth: Math.min(340, window.innerWidth - 90),
					maxHeight: Math.min(380, window.innerHeight - 140),
					autoPanPaddingTopLeft: [56, 16],
					autoPanPaddingBottomRight: [16, 32]
				});
				x.marqueur = m;
				tous.push(ll);
				if (METROPOLE.contains(ll))
					metro.push(ll);
			}
			C.entrees.push(x);
		});
		carte.addLayer(C.grappes);
		C.tous = tous;
		C.metro = metro;
		liste(libelles);
		boutonsOutremer();
		var h = lireAdresse();
		appliquer(true);
		cadrer(metro.length ? metro : tous);
		C.pret = true;
		etat.hidden = true;
		document.documentElement.setAttribute('data-etat', 'pret');
		if (h)
			suivreAdresse();
	}

	/* ---- commandes ---- */

	$('voir-liste').addEventListener('click', function () { vue(true); });
	$('voir-carte').addEventListener('click', function () { vue(false); });
	$('ouvrir-filtres').addEventListener('click', function () {
		panneau(!$('filtres').classList.contains('ouvert'));
	});
	Object.keys(TYPES).forEach(function (t) {
		$('couche-' + t).addEventListener('change', function (e) {
			filtre.types[t] = e.target.checked;
			appliquer();
		});
	});
	$('filtre-etat').addEventListener('change', function (e) { filtre.etat = e.target.value; appliquer(); });
	$('filtre-region').addEventListener('change', function (e) {
		filtre.region = e.target.value;
		filtre.departement = '';
		appliquer();
	});
	$('filtre-departement').addEventListener('change', function (e) {
		filtre.departement = e.target.value;
		appliquer();
	});
	$('effacer').addEventListener('click', function () {
		filtre = { types: { initiative: true, groupe: true }, etat: '', region: '', departement: '' };
		appliquer();
	});
	$('aller-tout').addEventListener('click', function () { vue(false); cadrer(C.tous, 11); });
	$('aller-metropole').addEventListener('click', function () {
		vue(false);
		C.map.fitBounds(METROPOLE, { animate: false });
	});
	window.addEventListener('hashchange', function () {
		if (C.pret)
			suivreAdresse();
	});

	function charger(url) {
		return fetch(url, { cache: 'no-cache' }).then(function (r) {
			if (!r.ok)
				throw new Error(url + ' : ' + r.status);
			return r.json();
		});
	}

	function echec(e) {
		etat.textContent = window.location.protocol === 'file:' ?
			'Impossible de lire les données de la carte depuis ce dossier : le fichier ' +
			'donnees.js manque à côté de la page. Publiez de nouveau avec « essaim publish », ' +
			'ou ouvrez la page par un serveur web.' :
			'Impossible de charger les données de la carte. ' +
			'Elles restent disponibles en CSV et en GeoJSON (liens en bas de page).';
		document.documentElement.setAttribute('data-etat', 'erreur');
		if (window.console)
			console.error(e);
	}

	var D = window.essaimDonnees;
	if (D && D.geojson) {
		try {
			demarrer(D.carte || {}, D.geojson);
		} catch (e) {
			echec(e);
		}
	} else if (window.location.protocol === 'file:') {
		echec(new Error('donnees.js missing'));
	} else {
		Promise.all([
			charger('carte.json').catch(function () { return {}; }),
			charger('dynamiques.geojson')
		]).then(function (r) {
			demarrer(r[0] || {}, r[1] || {});
		}).catch(echec);
	}
}());
