/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: form. Uses base/ (resources, configuration problems) and the rest
 * of src/form/ (the schema and the validator).
 *
 * The form's schema loaded from config/form.ini and config/quotes.ini
 * (embedded, or from [essaim] data_dir), and its checks for `essaim check`.
 */
#ifndef ESSAIM_FORM_SCHEMA_LOAD_H
#define ESSAIM_FORM_SCHEMA_LOAD_H

#include "form/schema.h"

/*
 * Load config/form.ini and config/quotes.ini (from [essaim] data_dir when set
 * there, else embedded). NULL and ERROR when either cannot be read or the
 * schema is unusable (schema_check() says why in detail). schema_free.
 */
struct schema *schema_load(GError **error);

/* The same from texts (tests, fuzzing). */
struct schema *schema_new_from_data(const char *form_ini, const char *quotes_ini, GError **error);

/*
 * The schema loaded once (thread-safe) and kept for the process's life; NULL
 * when it cannot be loaded (schema_load() then says why). Never free it.
 */
const struct schema *schema_default(void);

/*
 * Check form.ini, quotes.ini and the error texts of every validation code as
 * `essaim check` does, from data_dir or embedded: every problem is appended to
 * PROBLEMS (struct config_problem *).
 */
void schema_check(GPtrArray *problems);

/* The same on texts; FORM_NAME names the file in the messages. */
void schema_check_data(const char *form_name, const char *form_ini, const char *quotes_ini,
    GPtrArray *problems);

#endif
