/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: form. Uses base/ (text) and mail/ (quote rules) only.
 *
 * The form's schema, built from config/form.ini: the fields, their labels in
 * French and English, types, limits, when they are required and whether
 * they are published. The quote patterns of config/quotes.ini travel with
 * it. Read-only once built; no I/O (loading and checking it:
 * form/schema_load.h).
 */
#ifndef ESSAIM_SCHEMA_H
#define ESSAIM_SCHEMA_H

#include <glib.h>

#include "mail/quote.h"

#define SCHEMA_FILE "config/form.ini"

enum schema_type {
	SCHEMA_TEXT,		/* one line */
	SCHEMA_MULTILINE,	/* may continue on the following lines */
	SCHEMA_ENUM,		/* one of [values KEY] */
	SCHEMA_YESNO,
	SCHEMA_EMAIL,
	SCHEMA_URL,
	SCHEMA_POSTCODE,
	SCHEMA_COORDINATES,
	SCHEMA_PHONE,
	SCHEMA_AFFIRMATIVE,	/* must say yes ("oui", "j'adhère", "[x]") */
};

/* Languages of the labels and texts. */
enum schema_lang { SCHEMA_FR, SCHEMA_EN, SCHEMA_LANGS };

/* One value of an enum field. */
struct schema_value {
	char *canonical;	/* stored value ("en expérimentation") */
	char *english;		/* shown in English texts ("pilot") */
	char **folded;		/* compact-folded forms accepted, canonical first */
};

struct schema_field {
	char *key;				/* canonical key ("code_postal") */
	char *label[SCHEMA_LANGS];		/* form labels */
	char **aliases[SCHEMA_LANGS];		/* other accepted labels */
	enum schema_type type;
	guint min, max;				/* characters; 0 = no limit */
	gboolean required_always;
	char *required_kind;			/* required for this kind only, or NULL */
	char *must_be_yes_kind;			/* yesno: must be yes for this kind */
	gboolean public;
	GPtrArray *values;			/* struct schema_value *, enum only */
	char *help[SCHEMA_LANGS];
	char *example[SCHEMA_LANGS];
};

/* A bounding box of French territory, in degrees. */
struct schema_box {
	char *name;
	double south, west, north, east;
};

struct schema;

void schema_free(struct schema *s);
typedef struct schema schema_t;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(schema_t, schema_free)

/* "en" (any case) gives SCHEMA_EN; anything else, NULL included, SCHEMA_FR. */
enum schema_lang schema_lang_parse(const char *lang);
/* "fr" or "en". */
const char *schema_lang_name(enum schema_lang lang);

/* Fields in the form's order. */
guint schema_field_count(const struct schema *s);
const struct schema_field *schema_field_at(const struct schema *s, guint i);
/* By canonical key; NULL when unknown. */
const struct schema_field *schema_field_by_key(const struct schema *s, const char *key);
/* The form label of F in LANG. */
const char *schema_field_label(const struct schema_field *f, enum schema_lang lang);
/* Keys of the public fields, in order (NULL-terminated; g_free the array
 * only, the strings belong to the schema). */
const char **schema_public_keys(const struct schema *s);

/* The field whose value is the kind (initiative | groupe), and the e-mail
 * field that defaults to the sender's address (may be NULL). */
const struct schema_field *schema_kind_field(const struct schema *s);
const struct schema_field *schema_sender_field(const struct schema *s);

/*
 * The field a label written in a form names. The label is compared folded
 * (case, accents, punctuation, spaces). *LANG tells which language's label it
 * is: SCHEMA_FR, SCHEMA_EN, or SCHEMA_LANGS when both languages use it. With
 * ONE_SLIP, a label of six letters or more one edit away from exactly one
 * known label matches too, and *SLIPPED is set. NULL when unknown.
 */
const struct schema_field *schema_match_label(const struct schema *s, const char *label,
    gboolean one_slip, enum schema_lang *lang, gboolean *slipped);

/* The enum value VALUE names (tolerantly), or NULL. */
const struct schema_value *schema_match_value(const struct schema_field *f, const char *value);

/* Whether VALUE reads as yes (1), no (0), or neither (-1). */
int schema_yesno(const struct schema *s, const char *value);
/* Whether VALUE is an affirmative answer ("oui", "j'adhère", "[x]"). */
gboolean schema_affirmative(const struct schema *s, const char *value);

/* France's bounding boxes (struct schema_box *). */
const GPtrArray *schema_boxes(const struct schema *s);

/* The quote patterns. */
const struct quote_rules *schema_quotes(const struct schema *s);

#endif
