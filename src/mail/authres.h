/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: mail. Uses the rest of mail/ (message headers) and libpsl.
 *
 * The one reader of Authentication-Results (RFC 8601): what the receiving
 * MTA says it verified, read from the topmost header of the trusted
 * authserv-id only, comments stripped, each "method=result" with its
 * properties. A pass counts for the From address only when it is aligned
 * with it (RFC 7489 3.1, relaxed): the signing domain (dkim header.d) or
 * the envelope sender's domain (spf smtp.mailfrom) has the same
 * organizational domain as From's, taken from the Public Suffix List
 * (libpsl); a dmarc=pass counts when its header.from is From's domain.
 *
 * Only the MTA of the configured authserv-id can be trusted, and only if
 * it removes headers of that authserv-id arriving from outside: see
 * docs/ARCHITECTURE.md, "Threat model".
 */
#ifndef ESSAIM_MAIL_AUTHRES_H
#define ESSAIM_MAIL_AUTHRES_H

#include <glib.h>

#include "mail/message.h"

/* One "method=result" of a header, with its "ptype.property=value" pairs. */
struct authres_result {
	char *method;		/* lowercase: "dkim", "spf", "dmarc", … */
	char *result;		/* lowercase: "pass", "fail", "none", … */
	GPtrArray *props;	/* char *: "header.d", "ssa.example", … in pairs */
};

/* One Authentication-Results header value. */
struct authres {
	char *authserv_id;	/* lowercase */
	GPtrArray *results;	/* struct authres_result *; malformed ones left out */
};

/*
 * Parse one header value (without "Authentication-Results:"). NULL when it
 * has no authserv-id. A result with a token that is neither a reason nor a
 * property ("dkim=pass@evil.example" glued to another result) is left out
 * whole. authres_free.
 */
struct authres *authres_parse(const char *value);
void authres_free(struct authres *ar);
typedef struct authres authres;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(authres, authres_free)

/* The value of property NAME ("header.d") of R, or NULL. */
const char *authres_prop(const struct authres_result *r, const char *name);

enum {
	AUTHRES_DKIM = 1 << 0,	/* dkim=pass, header.d aligned with From */
	AUTHRES_SPF = 1 << 1,	/* spf=pass, smtp.mailfrom aligned with From */
	AUTHRES_DMARC = 1 << 2,	/* dmarc=pass, header.from equal to From's domain */
};

struct authres_verdict {
	gboolean found;		/* a header of the trusted authserv-id was there */
	guint aligned;		/* AUTHRES_* passes that speak for the From address */
};

/*
 * What the topmost Authentication-Results of AUTHSERV_ID (any authserv-id
 * when NULL or empty: only safe where nothing depends on it) says of M's
 * From address (m->from_addr; nothing aligns without one).
 */
void authres_verdict(const struct message *m, const char *authserv_id,
    struct authres_verdict *v);

/*
 * Whether domains A and B share their organizational domain (or are
 * equal). Case-insensitive.
 */
gboolean authres_aligned(const char *a, const char *b);

#endif
