/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: form. Uses base/, mail/ and the rest of form/.
 *
 * The form reader: the "label : value" lines a person wrote in a mail body
 * (or in the quotation of a reply, or in a text attachment), read as docs/FORM.md
 * says, tolerantly. Pure: no I/O, no globals, no logging. Also writes the
 * blank and pre-filled forms (form_blank.c).
 */
#ifndef ESSAIM_FORM_H
#define ESSAIM_FORM_H

#include <glib.h>

#include "form/schema.h"

/* One field as read: canonical key and the value as written (trimmed,
 * template hints removed; several lines for multi-line fields). */
struct form_field {
	char *key;
	char *value;
};

enum form_source {
	FORM_SOURCE_NONE,	/* no field anywhere */
	FORM_SOURCE_BODY,	/* the new text of the body */
	FORM_SOURCE_QUOTATION,	/* the quoted history (a reply to the blank form) */
	FORM_SOURCE_ATTACHMENT,	/* a text/plain attachment */
};

enum form_notice_kind {
	FORM_NOTICE_ASSUMED_LABEL,	/* a label one slip away was taken as KEY */
	FORM_NOTICE_DUPLICATE,		/* KEY was given twice; the last value won */
	FORM_NOTICE_UNKNOWN_FIELD,	/* LABEL names no field */
};

struct form_notice {
	enum form_notice_kind kind;
	char *key;		/* the field's key; NULL for an unknown field */
	char *label;		/* the label as written */
};

enum form_error {
	FORM_OK,
	FORM_ERROR_VALUE_TOO_LONG,	/* a value passed FIELD_VALUE_MAX (error_key) */
	FORM_ERROR_TOO_MANY_FIELDS,	/* more than FORM_FIELDS_MAX label lines */
};

struct form {
	GPtrArray *fields;	/* struct form_field *, in order of first appearance;
				 * a field given twice holds its last value */
	GPtrArray *notices;	/* struct form_notice * */
	enum schema_lang lang;	/* SCHEMA_EN when the labels used were mostly English */
	enum form_source source;
	gboolean found;		/* at least one field with a value */
	enum form_error error;	/* over a limit: the form must be refused */
	char *error_key;	/* the field over FIELD_VALUE_MAX, else NULL */
};

/*
 * Read the form in TEXT (UTF-8, LF or CRLF line ends; invalid UTF-8 is
 * repaired) and, when its new text holds no field, in its quotation, then in
 * ATTACHMENTS (struct attachment *, from message.h; may be NULL), first one
 * with a field wins. Never fails: check found and error. form_free.
 */
struct form *form_read(const struct schema *s, const char *text, GPtrArray *attachments);

/* Read TEXT alone, as it is (no quotation split, no attachment): the form
 * inside a text attachment or a correction. form_free. */
struct form *form_read_text(const struct schema *s, const char *text);

/* Make form_read() safe to call from several threads at once with S (its
 * quote rules compiled now, see quote_rules_prepare()). */
void form_prepare(const struct schema *s);

void form_free(struct form *f);
typedef struct form form_t;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(form_t, form_free)

/* Free a struct form_field (a GDestroyNotify for arrays of them). */
void form_field_free(gpointer field);

/* The value read for KEY, or NULL. Owned by the form. */
const char *form_value(const struct form *f, const char *key);

/* Name of a source ("body", "quotation", "attachment", "none"). */
const char *form_source_name(enum form_source source);

/* Name of a notice kind ("assumed_label", "duplicate_field", "unknown_field"):
 * the validation code and error-text name of the same notice. */
const char *form_notice_name(enum form_notice_kind kind);

/*
 * The blank form in LANG: for each field, its "#" help line then
 * "Label : " ("Label: " in English). g_free.
 */
char *form_blank(const struct schema *s, enum schema_lang lang);

/*
 * The same filled in with FIELDS (struct form_field *, any order; unknown keys
 * ignored), ready for the sender to correct and send back. g_free.
 */
char *form_prefilled(const struct schema *s, const GPtrArray *fields, enum schema_lang lang);

#endif
