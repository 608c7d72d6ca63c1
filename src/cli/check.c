/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks of the data files, called by `essaim check`. */
#include "cli/check.h"

#include <stdarg.h>

#include "places/gazetteer.h"
#include "base/template.h"
#include "form/schema.h"

void
check_problem(GPtrArray *problems, const char *fmt, ...)
{
	struct config_problem *pb = g_new0(struct config_problem, 1);
	va_list ap;

	va_start(ap, fmt);
	pb->text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	pb->fatal = TRUE;
	g_ptr_array_add(problems, pb);
}

void
check_data(const struct config *cfg, GPtrArray *problems)
{
	(void)cfg;
	gazetteer_check(problems);
	template_check_all(problems);
	schema_check(problems);
}
