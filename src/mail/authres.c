/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Authentication-Results (RFC 8601) read once, and aligned with From. */
#include "mail/authres.h"

#include <string.h>

#include <libpsl.h>

/*
 * The value without its comments "( … )" (nested, with quoted pairs), and
 * quoted strings kept as they are: "(dkim=pass)" in a comment says nothing.
 */
static char *
strip_comments(const char *s)
{
	GString *out = g_string_new(NULL);
	int depth = 0;
	gboolean quoted = FALSE;

	for (; *s; s++) {
		if (*s == '\\' && s[1] && (depth || quoted)) {
			if (!depth)
				g_string_append_len(out, s, 2);
			s++;
			continue;
		}
		if (quoted) {
			g_string_append_c(out, *s);
			if (*s == '"')
				quoted = FALSE;
		} else if (*s == '(')
			depth++;
		else if (*s == ')' && depth)
			depth--;
		else if (depth == 0) {
			if (*s == '"')
				quoted = TRUE;
			/* folding and tabs are white space like any */
			g_string_append_c(out, *s == '\t' || *s == '\r' || *s == '\n' ? ' ' : *s);
		}
	}
	return g_string_free(out, FALSE);
}

/* Split S on SEP outside quoted strings. */
static GPtrArray *
split_unquoted(const char *s, char sep)
{
	GPtrArray *parts = g_ptr_array_new_with_free_func(g_free);
	const char *start = s;
	gboolean quoted = FALSE;

	for (const char *p = s;; p++) {
		if (*p == '\\' && quoted && p[1]) {
			p++;
			continue;
		}
		if (*p == '"')
			quoted = !quoted;
		if (*p == '\0' || (!quoted && *p == sep)) {
			g_ptr_array_add(parts, g_strndup(start, (gsize)(p - start)));
			if (*p == '\0')
				break;
			start = p + 1;
		}
	}
	return parts;
}

/* "a = b . c" → "a=b.c": white space around = . / is allowed (CFWS). */
static char *
tighten(const char *s)
{
	GString *out = g_string_new(NULL);
	gboolean quoted = FALSE;

	for (const char *p = s; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		if (!quoted && *p == ' ') {
			const char *q = p;

			while (*q == ' ')
				q++;
			if (*q == '=' || *q == '.' || *q == '/' ||
			    (out->len && strchr("=./", out->str[out->len - 1]))) {
				p = q - 1;
				continue;
			}
		}
		g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

/* A value: a token, or a quoted string without its quotes. g_free. */
static char *
unquote(const char *v)
{
	gsize n = strlen(v);
	GString *out;

	if (n < 2 || v[0] != '"' || v[n - 1] != '"')
		return g_strdup(v);
	out = g_string_new(NULL);
	for (gsize i = 1; i + 1 < n; i++) {
		if (v[i] == '\\' && i + 2 < n)
			i++;
		g_string_append_c(out, v[i]);
	}
	return g_string_free(out, FALSE);
}

static gboolean
is_keyword(const char *s, gsize n)
{
	if (n == 0)
		return FALSE;
	for (gsize i = 0; i < n; i++)
		if (!g_ascii_isalnum(s[i]) && s[i] != '-' && s[i] != '_')
			return FALSE;
	return TRUE;
}

static void
result_free(gpointer p)
{
	struct authres_result *r = p;

	g_free(r->method);
	g_free(r->result);
	g_ptr_array_unref(r->props);
	g_free(r);
}

/* One resinfo "method[/version]=result [reason=…] [ptype.prop=value]…";
 * NULL when any part of it is malformed. */
static struct authres_result *
parse_result(const char *text)
{
	g_autofree char *tight = tighten(text);
	g_autoptr(GPtrArray) words = split_unquoted(g_strstrip(tight), ' ');
	struct authres_result *r;
	const char *w, *eq, *slash;
	guint i = 0;

	while (i < words->len && *(char *)words->pdata[i] == '\0')
		i++;
	if (i == words->len)
		return NULL;
	w = words->pdata[i++];
	if ((eq = strchr(w, '=')) == NULL)
		return NULL;
	slash = memchr(w, '/', (gsize)(eq - w));
	if (!is_keyword(w, (gsize)((slash ? slash : eq) - w)) || !is_keyword(eq + 1, strlen(eq + 1)))
		return NULL;
	r = g_new0(struct authres_result, 1);
	r->method = g_ascii_strdown(w, (slash ? slash : eq) - w);
	r->result = g_ascii_strdown(eq + 1, -1);
	r->props = g_ptr_array_new_with_free_func(g_free);
	for (; i < words->len; i++) {
		const char *dot;

		w = words->pdata[i];
		if (*w == '\0')
			continue;
		eq = strchr(w, '=');
		dot = eq ? memchr(w, '.', (gsize)(eq - w)) : NULL;
		if (eq && g_ascii_strncasecmp(w, "reason=", 7) == 0)
			continue;
		if (eq == NULL || dot == NULL || !is_keyword(w, (gsize)(dot - w)) ||
		    !is_keyword(dot + 1, (gsize)(eq - dot - 1)) || eq[1] == '\0') {
			result_free(r);
			return NULL;
		}
		g_ptr_array_add(r->props, g_ascii_strdown(w, eq - w));
		g_ptr_array_add(r->props, unquote(eq + 1));
	}
	return r;
}

struct authres *
authres_parse(const char *value)
{
	g_autofree char *clean = strip_comments(value ? value : "");
	g_autoptr(GPtrArray) parts = split_unquoted(clean, ';');
	g_autofree char *head = g_strstrip(g_strdup(parts->pdata[0]));
	struct authres *ar;
	gsize n = strcspn(head, " ");

	if (n == 0)
		return NULL;
	ar = g_new0(struct authres, 1);
	{
		g_autofree char *id = g_strndup(head, n);
		g_autofree char *bare = unquote(id);

		ar->authserv_id = g_ascii_strdown(bare, -1);
	}
	ar->results = g_ptr_array_new_with_free_func(result_free);
	for (guint i = 1; i < parts->len; i++) {
		struct authres_result *r = parse_result(parts->pdata[i]);

		if (r)
			g_ptr_array_add(ar->results, r);
	}
	return ar;
}

void
authres_free(struct authres *ar)
{
	if (ar == NULL)
		return;
	g_free(ar->authserv_id);
	g_ptr_array_unref(ar->results);
	g_free(ar);
}

const char *
authres_prop(const struct authres_result *r, const char *name)
{
	for (guint i = 0; i + 1 < r->props->len; i += 2)
		if (strcmp(r->props->pdata[i], name) == 0)
			return r->props->pdata[i + 1];
	return NULL;
}

/* The Public Suffix List, loaded once per process (and only when needed). */
static const psl_ctx_t *
psl(void)
{
	static const psl_ctx_t *ctx;
	static gsize once;

	if (g_once_init_enter(&once)) {
		ctx = psl_latest(NULL);
		if (ctx == NULL)
			ctx = psl_builtin();
		g_once_init_leave(&once, 1);
	}
	return ctx;
}

/* The organizational domain of D (lowercase), or D itself when the list
 * does not know it (a public suffix, a bare name). g_free. */
static char *
org_domain(const char *d)
{
	g_autofree char *low = g_ascii_strdown(d, -1);
	const psl_ctx_t *ctx = psl();
	const char *reg = ctx ? psl_registrable_domain(ctx, low) : NULL;

	return g_strdup(reg ? reg : low);
}

gboolean
authres_aligned(const char *a, const char *b)
{
	g_autofree char *oa = NULL;
	g_autofree char *ob = NULL;

	if (a == NULL || b == NULL || *a == '\0' || *b == '\0')
		return FALSE;
	if (g_ascii_strcasecmp(a, b) == 0)
		return TRUE;
	oa = org_domain(a);
	ob = org_domain(b);
	return strcmp(oa, ob) == 0;
}

/* The domain of an address or of a bare domain ("user@d" or "d"). */
static const char *
domain_of(const char *v)
{
	const char *at = v ? strrchr(v, '@') : NULL;

	return at ? at + 1 : v;
}

void
authres_verdict(const struct message *m, const char *authserv_id, struct authres_verdict *v)
{
	g_auto(GStrv) ars = message_headers(m, "Authentication-Results");
	g_autoptr(authres) ar = NULL;
	const char *from = domain_of(m->from_addr);

	memset(v, 0, sizeof(*v));
	for (int i = 0; ars && ars[i] && ar == NULL; i++) {
		struct authres *one = authres_parse(ars[i]);

		if (one && authserv_id && *authserv_id &&
		    g_ascii_strcasecmp(one->authserv_id, authserv_id) != 0) {
			authres_free(one);
			continue;
		}
		ar = one;
	}
	if (ar == NULL)
		return;
	v->found = TRUE;
	if (from == NULL || *from == '\0')
		return;
	for (guint i = 0; i < ar->results->len; i++) {
		const struct authres_result *r = ar->results->pdata[i];

		if (strcmp(r->result, "pass") != 0)
			continue;
		if (strcmp(r->method, "dkim") == 0 &&
		    authres_aligned(authres_prop(r, "header.d"), from))
			v->aligned |= AUTHRES_DKIM;
		else if (strcmp(r->method, "spf") == 0 &&
		    authres_aligned(domain_of(authres_prop(r, "smtp.mailfrom")), from))
			v->aligned |= AUTHRES_SPF;
		else if (strcmp(r->method, "dmarc") == 0 && authres_prop(r, "header.from") &&
		    g_ascii_strcasecmp(authres_prop(r, "header.from"), from) == 0)
			v->aligned |= AUTHRES_DMARC;
	}
}
