/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: mail. Uses base/ and the rest of mail/.
 *
 * Quoted history in a reply: where it starts, in the shapes real mail clients
 * produce, from a table of patterns kept as data (config/quotes.ini). Pure:
 * no I/O once the rules are built.
 */
#ifndef ESSAIM_QUOTE_H
#define ESSAIM_QUOTE_H

#include <glib.h>

struct quote_rules;

/* The embedded (or data_dir) rule file. */
#define QUOTE_RULES_FILE "config/quotes.ini"

/*
 * Build the rules from the text of a quotes.ini. Every problem (bad regular
 * expression, unknown group) is appended to PROBLEMS as a string (g_free) when
 * PROBLEMS is not NULL; returns NULL with ERROR set when the file cannot be
 * parsed or holds a bad pattern. CHECKED: the text is the embedded file,
 * whose patterns the tests compile one by one: each section's patterns are
 * then only compiled together, when first used (a command that reads no
 * mail never compiles them; one that does saves a third of the work).
 * quote_rules_free.
 */
struct quote_rules *quote_rules_new(const char *ini_text, gboolean checked, GPtrArray *problems,
    GError **error);
void quote_rules_free(struct quote_rules *r);
typedef struct quote_rules quote_rules_t;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(quote_rules_t, quote_rules_free)

/* A body split into the new text and the quoted history. */
struct quote_split {
	char *fresh;		/* what the sender wrote (never NULL) */
	char *quoted;		/* the quotation: markers, attributions and header
				 * blocks removed; NULL when there is none */
	const char *rule;	/* name of the rule that started the quotation
				 * ("attribution/gmail_fr", "quote_marker"...), or NULL;
				 * owned by the rules */
};

/*
 * Split TEXT (UTF-8, LF line ends). Lines starting with '>' are quoted; an
 * attribution line starts a quotation made of the '>' lines below it, or of
 * everything below when none follows; a separator or an Outlook-style header
 * block quotes everything below. quote_split_free.
 */
struct quote_split *quote_split(const struct quote_rules *r, const char *text);
void quote_split_free(struct quote_split *s);
typedef struct quote_split quote_split_t;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(quote_split_t, quote_split_free)

/*
 * Compile now every pattern R compiles on first use, and their JIT code
 * (which GLib writes into the GRegex at its first match): after this, R's
 * functions only read R, and may run in several threads at once.
 */
void quote_rules_prepare(const struct quote_rules *r);

/* Whether LINE is a closing ("Cordialement,", "Sent from my phone"). */
gboolean quote_is_signoff(const struct quote_rules *r, const char *line);

/* Whether LINE is a signature separator ("-- " or "--"). */
gboolean quote_is_signature(const char *line);

/* Remove leading '>' quote markers (and one space after each) from LINE;
 * returns a pointer inside LINE and the depth in *depth when not NULL. */
const char *quote_strip_markers(const char *line, guint *depth);

#endif
