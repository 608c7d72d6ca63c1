/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The licences of the published dataset. */
#include "base/licence.h"

#include <glib.h>

static const struct licence licences[] = {
	{ "etalab-2.0", "Licence Ouverte / Open Licence version 2.0",
	  "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" },
	{ "ODbL-1.0", "Open Database License (ODbL) version 1.0",
	  "https://opendatacommons.org/licenses/odbl/1-0/" },
	{ "CC-BY-4.0", "Creative Commons Attribution 4.0 International",
	  "https://creativecommons.org/licenses/by/4.0/" },
	{ "CC-BY-SA-4.0", "Creative Commons Attribution-ShareAlike 4.0 International",
	  "https://creativecommons.org/licenses/by-sa/4.0/" },
	{ "CC0-1.0", "Creative Commons Zero v1.0 Universal",
	  "https://creativecommons.org/publicdomain/zero/1.0/" },
};

const struct licence *
licence_find(const char *name)
{
	for (gsize i = 0; name && i < G_N_ELEMENTS(licences); i++)
		if (g_ascii_strcasecmp(name, licences[i].id) == 0)
			return &licences[i];
	return NULL;
}

const char *
licence_known(void)
{
	return "etalab-2.0, ODbL-1.0, CC-BY-4.0, CC-BY-SA-4.0, CC0-1.0";
}
