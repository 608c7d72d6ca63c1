/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "never answer" rules of RFC 3834 and of backscatter prevention. */
#include "mail/classify.h"

#include <string.h>

const char *
classify_outcome(enum msg_class c)
{
	switch (c) {
	case CLASS_PERSON:
		return "person";
	case CLASS_AUTO_REPLY:
		return "auto_reply";
	case CLASS_BOUNCE:
		return "bounce";
	case CLASS_LIST:
		return "list";
	case CLASS_LOOP:
		return "loop";
	case CLASS_SPAM:
		return "spam";
	}
	return "person";
}

gboolean
classify_own_message_id(const char *mid, const struct config *cfg)
{
	g_autofree char *suffix = g_strconcat("@", config_domain(cfg), NULL);

	return mid && g_str_has_prefix(mid, CLASSIFY_MID_PREFIX) && g_str_has_suffix(mid, suffix);
}

/* The identifier of a List-Id value: inside its last <...>, else the whole. */
static char *
list_id_of(const char *v)
{
	const char *lt = strrchr(v, '<');
	const char *gt = lt ? strchr(lt, '>') : NULL;
	char *id = lt && gt ? g_strndup(lt + 1, (gsize)(gt - lt - 1)) : g_strdup(v);

	return g_strstrip(id);
}

/*
 * Whether LIST_ID names one of our own lists. The identifiers are compared
 * whole (case-insensitively): "dynamiques.ssa.example" must not also
 * admit "dynamiques.ssa.example.spam.net" or any list containing "ssa".
 */
static gboolean
own_list(const char *list_id, const struct config *cfg)
{
	g_autofree char *id = list_id_of(list_id);

	for (char **l = cfg->own_list_ids; l && *l; l++) {
		g_autofree char *own = list_id_of(*l);
		if (*own && g_ascii_strcasecmp(id, own) == 0)
			return TRUE;
	}
	return FALSE;
}

static enum msg_class
decide(enum msg_class c, const char *why, char **reason)
{
	if (reason)
		*reason = g_strdup(why);
	return c;
}

enum msg_class
classify_message(const struct message *m, const struct config *cfg, char **reason)
{
	g_autofree char *v = NULL;
	g_autofree char *rp = NULL;
	GMimeContentType *ct;

	if (reason)
		*reason = NULL;
#define HDR(name) (g_free(v), v = message_header(m, name))

	if (HDR(CLASSIFY_LOOP_HEADER) || classify_own_message_id(m->message_id, cfg))
		return decide(CLASS_LOOP, "our own message came back", reason);
	if (m->from_addr && g_ascii_strcasecmp(m->from_addr, cfg->address) == 0)
		return decide(CLASS_LOOP, "From is our own address", reason);

	/* Bounces: null envelope sender, daemon senders, delivery reports. */
	rp = message_header(m, "Return-Path");
	/* Postfix's pipe(8) writes the null sender as <MAILER-DAEMON> */
	if (rp && (strcmp(rp, "<>") == 0 || *rp == '\0' ||
	    g_ascii_strcasecmp(rp, "<MAILER-DAEMON>") == 0))
		return decide(CLASS_BOUNCE, "null envelope sender (Return-Path: <>)", reason);
	ct = g_mime_object_get_content_type(g_mime_message_get_mime_part(m->mime) ?
		g_mime_message_get_mime_part(m->mime) : GMIME_OBJECT(m->mime));
	if (ct && g_mime_content_type_is_type(ct, "multipart", "report"))
		return decide(CLASS_BOUNCE, "multipart/report (delivery or read report)", reason);
	if (m->from_addr == NULL)
		return decide(CLASS_BOUNCE, "no sender address", reason);
	{
		g_autofree char *local = g_strndup(m->from_addr, strcspn(m->from_addr, "@"));
		if (!g_ascii_strcasecmp(local, "mailer-daemon") ||
		    !g_ascii_strcasecmp(local, "postmaster"))
			return decide(CLASS_BOUNCE, "sender is MAILER-DAEMON or postmaster",
			    reason);
	}

	if (HDR("X-Spam-Flag") && g_ascii_strncasecmp(v, "yes", 3) == 0)
		return decide(CLASS_SPAM, "X-Spam-Flag: YES", reason);

	if (HDR("Auto-Submitted") && g_ascii_strncasecmp(v, "no", 2) != 0)
		return decide(CLASS_AUTO_REPLY, "Auto-Submitted is not 'no'", reason);
	if (HDR("X-Autoreply") || HDR("X-Autorespond"))
		return decide(CLASS_AUTO_REPLY, "auto-responder header", reason);

	if (HDR("Precedence") && (!g_ascii_strncasecmp(v, "bulk", 4) ||
	    !g_ascii_strncasecmp(v, "list", 4) || !g_ascii_strncasecmp(v, "junk", 4)))
		return decide(CLASS_LIST, "Precedence: bulk, list or junk", reason);
	{
		GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(m->mime));
		int n = g_mime_header_list_get_count(hl);
		g_autofree char *list_id = message_header(m, "List-Id");

		for (int i = 0; i < n; i++) {
			const char *name = g_mime_header_get_name(g_mime_header_list_get_header_at(hl, i));

			if (g_ascii_strncasecmp(name, "List-", 5) == 0 &&
			    !(list_id && own_list(list_id, cfg)))
				return decide(CLASS_LIST, "List-* header", reason);
		}
	}
#undef HDR
	return CLASS_PERSON;
}
