/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks of the data files, called by `essaim check`. */
#include "cli/check.h"

#include <stdarg.h>

#include "places/gazetteer.h"
#include "base/template.h"
#include "form/schema.h"
#include "publish/publish_files.h"
#include "publish/publish_leaflet.h"

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

/* Whether the map will get the system's Leaflet: a warning when not. */
static void
check_leaflet(const struct config *cfg, GPtrArray *problems)
{
	g_autoptr(GPtrArray) files = publish_files_new();
	g_autofree char *why = NULL;
	struct config_problem *pb;

	if (cfg == NULL || cfg->javascript_dir == NULL ||
	    publish_leaflet_system(files, cfg->javascript_dir, &why))
		return;
	pb = g_new0(struct config_problem, 1);
	pb->text = g_strdup_printf("[publish] javascript_dir: %s; the map will use the Leaflet "
	    "built into essaim (install libjs-leaflet and libjs-leaflet.markercluster, or set "
	    "javascript_dir empty)", why);
	g_ptr_array_add(problems, pb);
}

void
check_data(const struct config *cfg, GPtrArray *problems)
{
	gazetteer_check(problems);
	template_check_all(problems);
	schema_check(problems);
	check_leaflet(cfg, problems);
}
