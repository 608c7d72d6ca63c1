/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: form. Uses base/ and the rest of form/.
 *
 * Validation of a form read by form.c against the schema: every problem at
 * once, as codes with the field they concern (never sentences: the texts are
 * templates/<lang>/errors/<code>.txt), and the values normalised for storage.
 * Pure: no I/O, no globals, no logging. Postcode/commune agreement is the
 * gazetteer's.
 */
#ifndef ESSAIM_VALIDATE_H
#define ESSAIM_VALIDATE_H

#include <glib.h>

#include "form/form.h"
#include "form/schema.h"

/* Keep in step with validate_code_name() and the error texts. */
enum validate_code {
	VALIDATE_REQUIRED,		/* a required field is missing */
	VALIDATE_TOO_LONG,		/* over the field's max (or FIELD_VALUE_MAX) */
	VALIDATE_TOO_SHORT,		/* under the field's min */
	VALIDATE_BAD_ENUM,		/* not one of the accepted values */
	VALIDATE_BAD_YESNO,		/* neither yes nor no */
	VALIDATE_BAD_EMAIL,
	VALIDATE_BAD_URL,		/* not http(s) with a host */
	VALIDATE_BAD_POSTCODE,		/* not a French postcode */
	VALIDATE_BAD_COORDINATES,	/* not "lat, lon" in decimal degrees */
	VALIDATE_OUTSIDE_FRANCE,	/* coordinates outside every French box */
	VALIDATE_BAD_PHONE,
	VALIDATE_NOT_AFFIRMATIVE,	/* the charter answer does not say yes */
	VALIDATE_NOT_NONPROFIT,		/* a yes/no field the kind requires to be yes is no */
	VALIDATE_CONTROL_CHARS,		/* control or bidirectional-override characters */
	VALIDATE_BAD_ENCODING,		/* characters that could not be decoded (U+FFFD) */
	VALIDATE_TOO_MANY_FIELDS,	/* more than FORM_FIELDS_MAX label lines */
	/* notices: reported back, not blocking */
	VALIDATE_UNKNOWN_FIELD,		/* a label that names no field */
	VALIDATE_ASSUMED_LABEL,		/* a label one slip away from a known one */
	VALIDATE_DUPLICATE_FIELD,	/* a field given twice: the last value won */
	VALIDATE_CODE_COUNT
};

/* One problem. */
struct validate_problem {
	enum validate_code code;
	char *key;		/* the field's canonical key; NULL for unknown_field
				 * and too_many_fields */
	char *label;		/* the label as the sender wrote it (notices), or NULL */
	char *value;		/* what was sent, or NULL */
};

struct validation {
	gboolean valid;		/* no error (notices do not count) */
	GPtrArray *errors;	/* struct validate_problem *, in the form's field order */
	GPtrArray *notices;	/* struct validate_problem * */
	GPtrArray *fields;	/* struct form_field *: normalised values of the
				 * fields given, in the schema's order (even when
				 * invalid: what was understood, for the pre-filled
				 * form); the sender's address filled in */
	const char *kind;	/* canonical kind ("initiative"), or NULL; owned by
				 * the schema */
	enum schema_lang lang;	/* the form's language */
};

/*
 * Validate FORM against S. SENDER (the From address, may be NULL) fills the
 * schema's sender field when the form has none. validation_free.
 */
struct validation *validate_form(const struct schema *s, const struct form *form,
    const char *sender);
void validation_free(struct validation *v);
typedef struct validation validation_t;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(validation_t, validation_free)

/*
 * Check and normalise one VALUE of field F (without required-by-kind rules).
 * Returns -1 when valid, with the normalised value in *normalised (g_free)
 * when not NULL; else the first problem's code.
 */
int validate_value(const struct schema *s, const struct schema_field *f, const char *value,
    char **normalised);

/* The stable name of CODE ("required", "bad_url"...); "unknown" out of range. */
const char *validate_code_name(int code);

/* Whether CODE is a notice (reported, not blocking). */
gboolean validate_code_is_notice(int code);

/*
 * The variables an error text may use, for problem P in LANG: label (the
 * field's form label, or the label as written), value, example, min, max,
 * values (accepted values, comma-separated). Absent ones are not set. A new
 * table of strings (g_hash_table_unref).
 */
GHashTable *validate_problem_vars(const struct schema *s, const struct validate_problem *p,
    enum schema_lang lang);

/* Helpers shared with the tests. */
/* Percent-encode what a URL may not hold; NULL when VALUE is no http(s) URL
 * with a host. g_free. */
char *validate_url(const char *value);
/* Whether V is a French postcode (5 digits, metropole, Corsica, outre-mer);
 * spaces are removed first. g_free'd normalised value or NULL. */
char *validate_postcode(const char *value);

#endif
