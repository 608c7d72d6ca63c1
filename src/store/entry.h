/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. Uses base/, places/ and the rest of store/.
 *
 * Entries (initiatives and local groups) and their fields in the database,
 * and their JSON shape of the contract (export, list --json, show --json).
 */
#ifndef ESSAIM_ENTRY_H
#define ESSAIM_ENTRY_H

#include <json-glib/json-glib.h>

#include "store/store.h"

struct entry {
	gint64 id;
	char *type;		/* initiative | groupe */
	char *status;		/* pending | approved | rejected | withdrawn | erased */
	char *submitter;
	char *lang;
	gboolean has_point;
	double lat, lon;
	char *geo_precision;	/* coordinates | address | commune | locality | postcode |
				 * intercommunality | departement | none (place.h) */
	char *insee;		/* INSEE code of its commune, as resolved; or NULL */
	char *flags;		/* JSON array text */
	GPtrArray *flag_list;	/* the same as charter_flags() made them (struct
				 * entry_flag *), or NULL */
	char *created_at, *updated_at;
	char *decided_at, *decided_by, *reason;
	gint64 round;		/* moderation round: bumped when it returns to pending */
	GPtrArray *keys;	/* field keys, in key order (char *) */
	GHashTable *fields;	/* key → value */
};

/* A charter flag (src/moderation/charter.c), one object of entries.flags. */
struct entry_flag {
	char *flag;		/* territory_conflict | possible_duplicate */
	gint64 other;		/* the entry it concerns */
	char *other_nom, *why;
	gboolean has_km;
	double km;		/* distance_km, when has_km */
};

void entry_flag_free(gpointer flag);

/*
 * FLAGS (struct entry_flag *) as the JSON array entries.flags keeps, the
 * same bytes as json-glib's generator writes of it (members flag, other,
 * other_nom, why and, when known, distance_km), without building its tree.
 * g_free.
 */
char *entry_flags_json(const GPtrArray *flags);

/* Load entry ID; NULL when absent (no error set) or on a database error. */
struct entry *entry_load(struct store *st, gint64 id, GError **error);
void entry_free(struct entry *en);
typedef struct entry entry_t;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(entry_t, entry_free)

/* Field value or NULL. */
const char *entry_field(const struct entry *en, const char *key);

/* Ids of entries, sorted, with STATUS (NULL: every status). GArray of gint64. */
GArray *entry_ids(struct store *st, const char *status, GError **error);

/*
 * Insert a new pending entry with FIELDS (GPtrArray of alternating key,
 * value). Inside the caller's transaction. Returns the id, or 0 on error.
 */
gint64 entry_insert(struct store *st, const char *type, const char *submitter, const char *lang,
    GPtrArray *fields, GError **error);

/* Replace or add FIELDS (alternating key, value; an empty value removes the
 * key); updates updated_at. */
gboolean entry_set_fields(struct store *st, gint64 id, GPtrArray *fields, GError **error);

/*
 * The keys a new form is compared with (table entry_keys): "nom" and
 * "commune" as place_name_key(), "cp" as written, "referent" (the
 * courriel_referent field) in ASCII lowercase; "commune" and "cp" for
 * groups only. entry_insert() and entry_set_fields() keep them;
 * entry_keys_fill() computes them for every entry once after the migration
 * that created the table (state key entry_keys.filled), and again for the
 * entries that became or stopped being a group (entry_keys_stale).
 */
gboolean entry_keys_refresh(struct store *st, gint64 id, GError **error);
gboolean entry_keys_fill(struct store *st, GError **error);

/* Set the location. has_point FALSE clears lat/lon. */
gboolean entry_set_location(struct store *st, gint64 id, gboolean has_point, double lat,
    double lon, const char *precision, GError **error);

/* Set the INSEE code of the entry's commune (NULL: none resolved). */
gboolean entry_set_insee(struct store *st, gint64 id, const char *insee, GError **error);

/* An approved entry whose point is finer than its commune's. */
/* Set the flags (a JSON array text). */
gboolean entry_set_flags(struct store *st, gint64 id, const char *flags_json, GError **error);

/*
 * Move entry ID from status FROM to TO atomically (UPDATE … WHERE status =
 * FROM). *CLAIMED tells whether this call made the change (another process
 * may have decided first). BY and REASON may be NULL.
 */
gboolean entry_claim(struct store *st, gint64 id, const char *from, const char *to,
    const char *by, const char *reason, gboolean *claimed, GError **error);

/*
 * Entry ID becomes an erased tombstone (RGPD): no field, no submitter, no
 * location, flags, reason nor decision; status 'erased'. The rest of what
 * was kept about it is store/erasure.h's.
 */
gboolean entry_erase(struct store *st, gint64 id, GError **error);

/* Ids of the entries submitted by ADDRESS or naming it as referent or
 * public address (any case), in no order. NULL and ERROR. */
GArray *entry_ids_of_address(struct store *st, const char *address, GError **error);

/* Ids of the pending entries not changed since BEFORE (as store_time()
 * writes it), by id. NULL and ERROR. */
GArray *entry_ids_pending_since(struct store *st, const char *before, GError **error);

/*
 * *N: the entries in STATUS; with BEFORE (may be NULL) only those not
 * changed since then. FALSE and ERROR when they could not be counted.
 */
gboolean entry_count(struct store *st, const char *status, const char *before, gint64 *n,
    GError **error);

/* The contract's JSON object for EN. */
JsonNode *entry_to_json(const struct entry *en);

/* The entry's content changed: its next moderation round begins (votes of
 * earlier rounds no longer count, store/votes.h). */
gboolean entry_next_round(struct store *st, gint64 id, GError **error);

/* The kind (initiative | groupe) is a column, not only a field. */
gboolean entry_set_type(struct store *st, gint64 id, const char *type, GError **error);

/* Pretty or compact JSON text of NODE. g_free. */
char *entry_json_text(JsonNode *node, gboolean pretty);

#endif
