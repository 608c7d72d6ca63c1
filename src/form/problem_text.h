/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: form. Uses base/, places/ and the rest of form/.
 *
 * The sentence that tells a person about one validation problem, rendered
 * from templates/<lang>/errors/<code>.txt with the problem's variables:
 * the same words for the form's answer, a correction by mail and
 * `essaim set`; the place checks of the gazetteer that follow validation;
 * stored fields validated again as a form.
 */
#ifndef ESSAIM_PROBLEM_TEXT_H
#define ESSAIM_PROBLEM_TEXT_H

#include "form/validate.h"

/* The text of problem P in LANG ("fr", "en"); never NULL (a template that
 * cannot be rendered gives the code and the key). g_free. */
char *validate_problem_text(const struct validate_problem *p, const char *lang);

/* A problem the gazetteer finds in fields that are each valid. */
struct place_problem {
	const char *code, *key;	/* the error's template and field; static */
	char *text;		/* rendered in the language asked; g_free */
};

/*
 * The place problem of V's fields, when commune and postcode are each
 * valid: the commune does not fit a postcode the gazetteer knows
 * (commune_mismatch); else the coordinates lie outside the commune's
 * département (coordinates_departement). FALSE when there is none (PB
 * zeroed); its text in LANG otherwise.
 */
gboolean validate_place(const struct validation *v, const char *lang, struct place_problem *pb);

/*
 * Validate FIELDS (alternating canonical key, value, as stored) as a form
 * sent by SENDER: the same rules as a form read from a mail. validation_free.
 */
struct validation *validate_fields(const struct schema *s, const GPtrArray *fields,
    const char *sender);

#endif
