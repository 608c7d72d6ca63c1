/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: form. Uses base/ and the rest of form/.
 *
 * The sentence that tells a person about one validation problem, rendered
 * from templates/<lang>/errors/<code>.txt with the problem's variables:
 * the same words for the form's answer, a correction by mail and
 * `essaim set`.
 */
#ifndef ESSAIM_PROBLEM_TEXT_H
#define ESSAIM_PROBLEM_TEXT_H

#include "form/validate.h"

/* The text of problem P in LANG ("fr", "en"); never NULL (a template that
 * cannot be rendered gives the code and the key). g_free. */
char *validate_problem_text(const struct validate_problem *p, const char *lang);

#endif
