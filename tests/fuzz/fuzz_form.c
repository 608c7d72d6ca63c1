/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: the form reader and validation on arbitrary bytes. The
 * bytes after the first NUL, if any, are a text attachment. Everything that
 * reads the form runs: quotation split, reading, validation, error
 * variables, and the pre-filled form read back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form/form.h"
#include "form/schema_load.h"
#include "mail/message.h"
#include "form/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct schema *s = schema_default();
	char *text = g_strndup((const char *)data, size);
	size_t body_len = strlen(text);
	GPtrArray *atts = g_ptr_array_new();
	struct attachment att = { 0 };
	struct form *f, *back;
	struct validation *v;
	char *pre;

	if (s == NULL)
		abort();
	if (body_len + 1 < size) {
		att.content_type = (char *)"text/plain";
		att.text = g_strndup((const char *)data + body_len + 1, size - body_len - 1);
		att.size = strlen(att.text);
		g_ptr_array_add(atts, &att);
	}
	f = form_read(s, text, atts);
	v = validate_form(s, f, "sender@example.org");
	for (guint i = 0; i < v->errors->len; i++) {
		GHashTable *t = validate_problem_vars(s, v->errors->pdata[i], f->lang);

		g_hash_table_unref(t);
	}
	for (guint i = 0; i < v->notices->len; i++) {
		GHashTable *t = validate_problem_vars(s, v->notices->pdata[i], f->lang);

		g_hash_table_unref(t);
	}
	/* invariants: found means fields; valid means no error */
	if (f->found != (f->fields->len > 0) || v->valid != (v->errors->len == 0))
		abort();
	pre = form_prefilled(s, v->fields, f->lang);
	back = form_read_text(s, pre);
	form_free(back);
	g_free(pre);
	validation_free(v);
	form_free(f);
	g_free(att.text);
	g_ptr_array_free(atts, TRUE);
	g_free(text);
	return 0;
}
