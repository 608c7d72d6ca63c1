# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=sh
# Sourced by t_publish_stream.sh (and used once to make the reference files
# under tests/data/publish/stream-*): the known dataset of publish_fixture.py,
# plus what the stream must get right besides it: points finer than the
# commune (address, coordinates, with and without an INSEE code), one of them
# with no point, a commune the gazetteer does not know, an approved entry
# with no field at all, empty values, a private field and a not published
# one beside the public ones, ids with gaps.
# Needs: db (lib.sh), $PY, $TOP, $W.
stream_fixture() {
	$PY "$TOP/tests/e2e/publish_fixture.py" "$W/data/essaim.db" known
	db "UPDATE entries SET geo_precision = 'address' WHERE id = 1;
	    UPDATE entries SET geo_precision = 'coordinates', insee = '29019' WHERE id = 8;
	    UPDATE entries SET geo_precision = 'address' WHERE id = 13;
	    UPDATE entries SET geo_precision = 'coordinates' WHERE id = 10;
	    UPDATE entry_fields SET value = 'Zzyzx-sur-Mer' WHERE entry_id = 10 AND key = 'commune';
	    UPDATE entry_fields SET value = '' WHERE entry_id = 2 AND key = 'structure';
	    UPDATE entry_fields SET value = '' WHERE entry_id = 5 AND key = 'code_postal';
	    INSERT INTO entries(id, type, status, submitter, lat, lon, geo_precision, created_at,
	        updated_at) VALUES (40, 'groupe', 'approved', 'prive40@exemple.fr', 44.8378, -0.5792,
	        'address', '2026-03-02T09:00:00Z', '2026-03-02T09:30:00Z');
	    INSERT INTO entries(id, type, status, submitter, lat, lon, geo_precision, created_at,
	        updated_at) VALUES (41, 'initiative', 'approved', 'prive41@exemple.fr', 95.0, 3.0,
	        'coordinates', '2026-03-02T09:00:00Z', '2026-03-02T09:30:00Z');
	    INSERT INTO entry_fields VALUES (41, 'nom', 'Point hors limites, à Montpellier');
	    INSERT INTO entry_fields VALUES (41, 'commune', 'Montpellier');
	    INSERT INTO entry_fields VALUES (41, 'code_postal', '34000');
	    INSERT INTO entry_fields VALUES (41, 'telephone', 'PRIVE-telephone-41');
	    INSERT INTO entry_fields VALUES (41, 'cle_inconnue', 'PRIVE-inconnue-41');"
}
