/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading a delivery report of our own mail (pure: no I/O). */
#include "mail/bounce_parse.h"
#include "mail/verp.h"

#include <string.h>

#include "mail/compose.h"
#include "base/limit.h"
#include "base/text.h"

void
bounce_clear(struct bounce *b)
{
	g_free(b->verp_address);
	g_free(b->returned_mid);
	g_free(b->recipient);
	g_free(b->action);
	g_free(b->status);
	g_free(b->diagnostic);
	memset(b, 0, sizeof(*b));
}

/* The bare lowercase address of "rfc822; <a@b>", "<a@b>" or "a@b"; NULL
 * when there is none. g_free. */
static char *
bare_address(const char *v)
{
	const char *semi = strchr(v, ';');
	g_autofree char *s = g_strdup(semi ? semi + 1 : v);
	char *a = g_strstrip(s);
	size_t n;

	if (*a == '<')
		a++;
	n = strcspn(a, "> \t");
	a[n] = '\0';
	if (!compose_address_ok(a))
		return NULL;
	return g_ascii_strdown(a, -1);
}

/* A value from a foreign MTA, fit for the database and a mail body: one
 * line, no control character, at most BOUNCE_DIAGNOSTIC_MAX characters. */
static char *
clean_value(const char *v)
{
	return text_ellipsize(compose_header_text(v), BOUNCE_DIAGNOSTIC_MAX);
}

/* "5.1.1" at the start of V (RFC 3463: class "." 1-3 digits "." 1-3
 * digits), not followed by another digit or dot-digit. g_free. */
static char *
status_code(const char *v)
{
	const char *p = v;
	size_t n;

	while (*p == ' ' || *p == '\t')
		p++;
	v = p;
	if ((*p != '2' && *p != '4' && *p != '5') || p[1] != '.')
		return NULL;
	p += 2;
	for (int part = 0; part < 2; part++) {
		n = 0;
		while (g_ascii_isdigit(p[n]))
			n++;
		if (n < 1 || n > 3)
			return NULL;
		p += n;
		if (part == 0 && *p++ != '.')
			return NULL;
	}
	if (*p == '.' && g_ascii_isdigit(p[1]))
		return NULL;
	return g_strndup(v, (gsize)(p - v));
}

/* One block of "Name: value" fields of a delivery-status part. */
struct dsn_block {
	char *final_rcpt, *original_rcpt, *action, *status, *diagnostic;
};

static void
dsn_block_clear(struct dsn_block *d)
{
	g_free(d->final_rcpt);
	g_free(d->original_rcpt);
	g_free(d->action);
	g_free(d->status);
	g_free(d->diagnostic);
	memset(d, 0, sizeof(*d));
}

static void
dsn_field(struct dsn_block *d, const char *line)
{
	const char *colon = strchr(line, ':');
	g_autofree char *name = NULL;
	const char *v;
	char **slot = NULL;

	if (colon == NULL)
		return;
	name = g_ascii_strdown(line, colon - line);
	g_strstrip(name);
	v = colon + 1;
	if (strcmp(name, "final-recipient") == 0)
		slot = &d->final_rcpt;
	else if (strcmp(name, "original-recipient") == 0)
		slot = &d->original_rcpt;
	else if (strcmp(name, "action") == 0)
		slot = &d->action;
	else if (strcmp(name, "status") == 0)
		slot = &d->status;
	else if (strcmp(name, "diagnostic-code") == 0)
		slot = &d->diagnostic;
	if (slot && *slot == NULL)
		*slot = g_strstrip(g_strdup(v));
}

/* Take block D's per-recipient fields into B when it is the first, or the
 * first that says failed. */
static void
dsn_take(struct bounce *b, struct dsn_block *d)
{
	g_autofree char *action = NULL;
	gboolean failed;

	if (d->action == NULL && d->status == NULL && d->final_rcpt == NULL)
		return;	/* the per-message block */
	action = d->action ? g_ascii_strdown(g_strstrip(d->action), -1) : NULL;
	if (action)
		action[strcspn(action, " \t(")] = '\0';
	failed = action && strcmp(action, "failed") == 0;
	if (b->action && (strcmp(b->action, "failed") == 0 || !failed))
		return;
	g_free(b->action);
	b->action = g_strdup(action ? action : "");
	g_free(b->status);
	b->status = d->status ? status_code(d->status) : NULL;
	g_free(b->recipient);
	b->recipient = d->final_rcpt ? bare_address(d->final_rcpt) :
	    d->original_rcpt ? bare_address(d->original_rcpt) : NULL;
	g_free(b->diagnostic);
	b->diagnostic = NULL;
	if (d->diagnostic) {
		const char *semi = strchr(d->diagnostic, ';');
		b->diagnostic = clean_value(semi ? semi + 1 : d->diagnostic);
	}
}

/* RFC 3464 message/delivery-status: a per-message block, then one block
 * per recipient, separated by blank lines; fields may be folded. */
static void
parse_delivery_status(struct bounce *b, const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	struct dsn_block d = { 0 };
	GString *field = g_string_new(NULL);

	for (int i = 0; lines[i]; i++) {
		char *l = lines[i];
		size_t n = strlen(l);

		if (n && l[n - 1] == '\r')
			l[--n] = '\0';
		if (n && (l[0] == ' ' || l[0] == '\t') && field->len) {
			g_string_append_c(field, ' ');
			g_string_append(field, g_strstrip(l));
			continue;
		}
		if (field->len)
			dsn_field(&d, field->str);
		g_string_truncate(field, 0);
		if (n == 0 || g_strstrip(l)[0] == '\0') {
			dsn_take(b, &d);
			dsn_block_clear(&d);
			continue;
		}
		g_string_append(field, l);
	}
	if (field->len)
		dsn_field(&d, field->str);
	dsn_take(b, &d);
	dsn_block_clear(&d);
	g_string_free(field, TRUE);
}

/* The Message-ID of a header block (or of headers quoted in a text):
 * the first "Message-ID:" line, without <>. g_free. */
static char *
find_message_id(const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (int i = 0; lines[i]; i++) {
		const char *l = lines[i];
		const char *v, *lt, *gt;

		while (*l == ' ' || *l == '\t' || *l == '>')
			l++;
		if (g_ascii_strncasecmp(l, "Message-ID:", 11) != 0)
			continue;
		v = l + 11;
		lt = strchr(v, '<');
		if (lt == NULL && lines[i + 1])
			lt = strchr(lines[i + 1], '<');
		gt = lt ? strchr(lt, '>') : NULL;
		if (gt && gt > lt + 1 && gt - lt - 1 <= MESSAGE_ID_MAX) {
			char *mid = g_strndup(lt + 1, (gsize)(gt - lt - 1));

			if (compose_message_id_ok(mid))
				return mid;
			g_free(mid);
		}
		return NULL;
	}
	return NULL;
}

/* The decoded content of a part, as UTF-8, at most BOUNCE_STATUS_MAX bytes. */
static char *
part_content(GMimePart *part)
{
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	g_autoptr(GMimeStream) mem = NULL;
	GByteArray *ba;

	if (w == NULL)
		return g_strdup("");
	mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(w, mem);
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	if (ba->len == 0)	/* no bytes, and no buffer either */
		return g_strdup("");
	return text_repair_utf8((const char *)ba->data, (gssize)MIN(ba->len, BOUNCE_STATUS_MAX));
}

static void
walk(struct bounce *b, GMimeObject *obj, int depth, int *parts, gboolean *had_status)
{
	GMimeContentType *ct;

	if (obj == NULL || depth > MIME_DEPTH_MAX || ++*parts > MIME_PARTS_MAX)
		return;
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);

		for (int i = 0; i < g_mime_multipart_get_count(mp); i++)
			walk(b, g_mime_multipart_get_part(mp, i), depth + 1, parts, had_status);
		return;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		/* the returned message: its Message-ID only, never its content */
		GMimeMessage *msg = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		const char *mid = msg ? g_mime_message_get_message_id(msg) : NULL;

		if (b->returned_mid == NULL && mid && compose_message_id_ok(mid))
			b->returned_mid = g_strdup(mid);
		return;
	}
	if (!GMIME_IS_PART(obj))
		return;
	ct = g_mime_object_get_content_type(obj);
	if (g_mime_content_type_is_type(ct, "message", "delivery-status") ||
	    g_mime_content_type_is_type(ct, "message", "global-delivery-status")) {
		g_autofree char *text = part_content(GMIME_PART(obj));

		parse_delivery_status(b, text);
		*had_status = TRUE;
	} else if ((g_mime_content_type_is_type(ct, "text", "rfc822-headers") ||
	    g_mime_content_type_is_type(ct, "message", "global-headers")) &&
	    b->returned_mid == NULL) {
		g_autofree char *text = part_content(GMIME_PART(obj));

		b->returned_mid = find_message_id(text);
	}
}

/* Whether S[I] starts a word (not preceded by a letter, digit or dot). */
static gboolean
word_start(const char *s, size_t i)
{
	return i == 0 || !(g_ascii_isalnum(s[i - 1]) || s[i - 1] == '.');
}

/*
 * A plain text bounce (Exim, qmail, old Sendmail): the first enhanced
 * status code (5.1.1) or SMTP reply code (550) found, and the line that
 * holds it as the diagnostic.
 */
static void
parse_text(struct bounce *b, const char *text)
{
	g_autofree char *lower = g_ascii_strdown(text, -1);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	gboolean delayed = strstr(lower, "delayed") || strstr(lower, "not yet been delivered") ||
	    strstr(lower, "will continue trying") || strstr(lower, "still trying");
	gboolean permanent = strstr(lower, "permanent error") ||
	    strstr(lower, "permanent failure") || strstr(lower, "permanently");
	gboolean after_failed = FALSE;

	for (int i = 0; lines[i] && (b->status == NULL || b->recipient == NULL); i++) {
		const char *l = lines[i];
		size_t n = strlen(l);
		g_autofree char *ll = g_ascii_strdown(l, -1);

		/* the copy of our message follows: its text proves nothing */
		if (strstr(ll, "copy of the message") || strstr(ll, "message follows") ||
		    strstr(ll, "- original message") ||
		    g_str_has_prefix(ll, "return-path:") || g_str_has_prefix(ll, "received:"))
			break;

		/* Exim: "The following address(es) failed:" then the address */
		if (b->recipient == NULL && after_failed && strchr(l, '@')) {
			g_auto(GStrv) words = g_strsplit_set(g_strstrip(lines[i]), " \t", -1);

			for (int w = 0; words[w] && b->recipient == NULL; w++)
				if (strchr(words[w], '@'))
					b->recipient = bare_address(words[w]);
			after_failed = FALSE;
			continue;
		}
		if (g_strstr_len(l, -1, "failed:") || g_strstr_len(l, -1, "FAILED:"))
			after_failed = TRUE;
		/* an enhanced status code (4.2.2) says more than the reply code
		 * (452) before it on the same line */
		for (size_t j = 0; b->status == NULL && j + 5 <= n; j++) {
			g_autofree char *code = NULL;

			if (word_start(l, j) && (l[j] == '4' || l[j] == '5') &&
			    (code = status_code(l + j)) && !g_ascii_isdigit(l[j + strlen(code)]))
				b->status = g_steal_pointer(&code);
		}
		for (size_t j = 0; b->status == NULL && j + 3 < n; j++)
			if (word_start(l, j) && (l[j] == '4' || l[j] == '5') &&
			    g_ascii_isdigit(l[j + 1]) && g_ascii_isdigit(l[j + 2]) &&
			    (l[j + 3] == ' ' || l[j + 3] == '-'))
				b->status = g_strdup_printf("%c.0.0", l[j]);
		if (b->status && b->diagnostic == NULL)
			b->diagnostic = clean_value(l);
	}
	if (b->status == NULL && permanent)
		b->status = g_strdup("5.0.0");
	if (delayed && !permanent) {
		b->action = g_strdup("delayed");
		return;
	}
	if (b->status)
		b->action = g_strdup("failed");
}

/* The VERP address among M's recipients, and the row it names. */
static void
find_verp(struct bounce *b, const struct message *m, const struct config *cfg)
{
	static const char *const headers[] = {
		"Delivered-To", "X-Original-To", "Envelope-To", "To",
	};

	if (m->envelope_to && (b->verp_id = verp_id(cfg, m->envelope_to)) > 0) {
		b->verp_address = g_ascii_strdown(m->envelope_to, -1);
		return;
	}
	for (size_t h = 0; h < G_N_ELEMENTS(headers); h++) {
		g_auto(GStrv) values = message_headers(m, headers[h]);

		for (int i = 0; values && values[i]; i++) {
			InternetAddressList *l = internet_address_list_parse(NULL, values[i]);
			int n = l ? internet_address_list_length(l) : 0;

			for (int k = 0; k < n; k++) {
				InternetAddress *a = internet_address_list_get_address(l, k);
				const char *addr;

				if (!INTERNET_ADDRESS_IS_MAILBOX(a))
					continue;
				addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
				if ((b->verp_id = verp_id(cfg, addr)) > 0) {
					b->verp_address = g_ascii_strdown(addr, -1);
					g_object_unref(l);
					return;
				}
			}
			if (l)
				g_object_unref(l);
		}
	}
}

void
bounce_parse(const struct message *m, const struct config *cfg, struct bounce *b)
{
	gboolean had_status = FALSE;
	int parts = 0;

	memset(b, 0, sizeof(*b));
	find_verp(b, m, cfg);
	walk(b, g_mime_message_get_mime_part(m->mime), 0, &parts, &had_status);
	if (!had_status)
		parse_text(b, m->text);
	if (b->returned_mid == NULL)
		b->returned_mid = find_message_id(m->text);
	if (b->action && *b->action == '\0' && b->status)
		/* a report without Action: its status says */
		g_free(b->action), b->action = g_strdup(b->status[0] == '2' ? "delivered" :
		    "failed");
	b->failed = b->action && strcmp(b->action, "failed") == 0;
	b->permanent = b->failed && b->status && b->status[0] == '5';
}
