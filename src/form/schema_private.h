/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: form (internal). For src/form/schema.c and src/form/schema_load.c
 * only: nothing outside src/form/ includes this header. It does not include
 * form/schema.h, so that the two stay one module without a circle.
 *
 * How a schema is built from the texts of form.ini and quotes.ini, every
 * problem collected with its line instead of stopping at the first.
 */
#ifndef ESSAIM_FORM_SCHEMA_PRIVATE_H
#define ESSAIM_FORM_SCHEMA_PRIVATE_H

#include <glib.h>

struct schema;

/* Where problems go while building: the text (for line numbers) and a list. */
struct schema_build {
	const char *name;	/* "form.ini" */
	const char *text;
	GPtrArray *msgs;	/* char * */
};

/*
 * Build a schema from the two texts; every problem is appended to B->msgs.
 * Returns a schema even when problems were found (schema_free).
 */
struct schema *schema_build(struct schema_build *b, const char *form_ini, const char *quotes_ini);

/* Append a problem "NAME:LINE: [GROUP] KEY: text" (GROUP and KEY may be NULL). */
void schema_build_bad(struct schema_build *b, const char *group, const char *key,
    const char *fmt, ...) G_GNUC_PRINTF(4, 5);

#endif
