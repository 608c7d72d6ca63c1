/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Envelope senders of our mail, and the VERP form that names an outbox row. */
#include "mail/verp.h"

#include <string.h>

const char *
verp_envelope_sender(const struct config *cfg)
{
	if (cfg->bounce_address && *cfg->bounce_address)
		return cfg->bounce_address;
	return cfg->envelope_sender && *cfg->envelope_sender ? cfg->envelope_sender :
	    cfg->address;
}

char *
verp_envelope_for(const struct config *cfg, gint64 id)
{
	const char *b = verp_envelope_sender(cfg);
	const char *at = strrchr(b, '@');

	if (!cfg->verp || at == NULL || id <= 0)
		return g_strdup(b);
	return g_strdup_printf("%.*s+%" G_GINT64_FORMAT "%s", (int)(at - b), b, id, at);
}

gint64
verp_id(const struct config *cfg, const char *addr)
{
	const char *b = verp_envelope_sender(cfg);
	const char *bat = strrchr(b, '@');
	const char *at, *plus;
	gint64 id = 0;

	if (addr == NULL || bat == NULL || (at = strrchr(addr, '@')) == NULL)
		return 0;
	if (g_ascii_strcasecmp(at, bat) != 0)
		return 0;
	/* the local part is the bounce address's, then "+", then digits */
	if (at - addr <= bat - b + 1 || g_ascii_strncasecmp(addr, b, (gsize)(bat - b)) != 0)
		return 0;
	plus = addr + (bat - b);
	if (*plus != '+')
		return 0;
	if (at - plus - 1 > 18)
		return 0;
	for (const char *p = plus + 1; p < at; p++) {
		if (!g_ascii_isdigit(*p))
			return 0;
		id = id * 10 + (*p - '0');
	}
	return id;
}
