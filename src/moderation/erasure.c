/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The RGPD erasure of an entry or of an address. */
#include "moderation/erasure.h"

#include <string.h>

#include "store/entry.h"
#include "store/erasure.h"

char *
moderation_erased_address(const char *address)
{
	return store_erased_address(address);
}

gboolean
moderation_erase(struct essaim *e, gint64 id, const char *actor, gint64 msg_rowid,
    struct mod_outcome *out, GError **error)
{
	g_autoptr(entry_t) en = entry_load(e->st, id, error);

	memset(out, 0, sizeof(*out));
	if (en == NULL) {
		out->result = MOD_NOT_FOUND;
		return error == NULL || *error == NULL;
	}
	out->status = g_strdup("erased");
	out->result = MOD_ERASED;
	if (strcmp(en->status, "erased") == 0)
		return TRUE;
	if (!entry_erase(e->st, id, error) || !erasure_scrub_entry(e->st, id, error))
		return FALSE;
	if (en->submitter && !erasure_scrub_address(e->st, en->submitter, error))
		return FALSE;
	/* the actor is the submitter's own address when erasing by mail */
	return store_event(e->st, id, msg_rowid,
	    actor && en->submitter && g_ascii_strcasecmp(actor, en->submitter) == 0 ? "submitter" :
	    actor, "erased", NULL, error);
}

gboolean
moderation_erase_address(struct essaim *e, const char *address, const char *actor,
    guint *count, GError **error)
{
	g_autoptr(GArray) ids = entry_ids_of_address(e->st, address, error);

	*count = 0;
	if (ids == NULL)
		return FALSE;
	for (guint i = 0; i < ids->len; i++) {
		struct mod_outcome o;
		gboolean ok = moderation_erase(e, g_array_index(ids, gint64, i), actor, 0, &o, error);

		mod_outcome_clear(&o);
		if (!ok)
			return FALSE;
		(*count)++;
	}
	return erasure_scrub_address(e->st, address, error);
}
