/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Command words of replies, French and English, matched after folding. */
#include "mail/reply.h"

#include <string.h>

#include "base/text.h"

static const struct {
	const char *word;	/* folded */
	enum reply_cmd cmd;
} words[] = {
	{ "valider", REPLY_APPROVE },
	{ "valide", REPLY_APPROVE },
	{ "approuver", REPLY_APPROVE },
	{ "approuve", REPLY_APPROVE },
	{ "approve", REPLY_APPROVE },
	{ "approved", REPLY_APPROVE },
	{ "refuser", REPLY_REJECT },
	{ "refuse", REPLY_REJECT },
	{ "refus", REPLY_REJECT },
	{ "reject", REPLY_REJECT },
	{ "rejected", REPLY_REJECT },
	{ "attendre", REPLY_HOLD },
	{ "en attente", REPLY_HOLD },
	{ "hold", REPLY_HOLD },
	{ "note", REPLY_NOTE },
	{ "retirer", REPLY_WITHDRAW },
	{ "withdraw", REPLY_WITHDRAW },
	{ "supprimer", REPLY_ERASE },
	{ "delete", REPLY_ERASE },
	{ "erase", REPLY_ERASE },
};

const char *
reply_cmd_name(enum reply_cmd c)
{
	switch (c) {
	case REPLY_NONE:
		return "none";
	case REPLY_APPROVE:
		return "approve";
	case REPLY_REJECT:
		return "reject";
	case REPLY_HOLD:
		return "hold";
	case REPLY_NOTE:
		return "note";
	case REPLY_WITHDRAW:
		return "withdraw";
	case REPLY_ERASE:
		return "erase";
	}
	return "none";
}

/* Strip markup people add around a command: "**VALIDER**", "- REFUSER". */
static const char *
skip_markup(const char *l)
{
	while (*l == ' ' || *l == '\t' || *l == '*' || *l == '-' || *l == '_' || *l == '#')
		l++;
	return l;
}

/* End of the run of letters starting at P. */
static const char *
word_end(const char *p)
{
	while (*p && g_unichar_isalpha(g_utf8_get_char(p)))
		p = g_utf8_next_char(p);
	return p;
}

/*
 * If line L starts with a command word (one word, or two for "en attente"),
 * return it and point *ARG at what follows (after an optional colon).
 */
static enum reply_cmd
match_command(const char *l, const char **arg)
{
	const char *e1, *e2, *p;

	l = skip_markup(l);
	e1 = word_end(l);
	if (e1 == l)
		return REPLY_NONE;
	p = e1;
	while (*p == ' ')
		p++;
	e2 = word_end(p);
	for (int two = 1; two >= 0; two--) {
		const char *end = two ? e2 : e1;
		g_autofree char *raw = NULL;
		g_autofree char *folded = NULL;

		if (two && e2 == p)
			continue;
		raw = g_strndup(l, (gsize)(end - l));
		folded = text_fold(raw);
		for (size_t i = 0; i < G_N_ELEMENTS(words); i++) {
			if (strcmp(folded, words[i].word) != 0)
				continue;
			p = end;
			while (*p == ' ' || *p == '\t' || *p == '*' || *p == '_')
				p++;
			if (*p == ':')
				p++;
			else if (g_str_has_prefix(p, "\xc2\xa0:") ||
			    g_str_has_prefix(p, "\xe2\x80\xaf:"))
				p = strchr(p, ':') + 1;
			*arg = p;
			return words[i].cmd;
		}
	}
	return REPLY_NONE;
}

struct reply *
reply_parse(const char *text)
{
	struct reply *r = g_new0(struct reply, 1);
	g_auto(GStrv) lines = g_strsplit(text ? text : "", "\n", -1);
	int i = 0;

	/* the first non-quoted, non-empty line */
	for (; lines[i]; i++) {
		g_autofree char *t = g_strstrip(g_strdup(lines[i]));
		if (*t && *t != '>')
			break;
	}
	if (lines[i] == NULL) {
		r->rest = g_strdup("");
		return r;
	}
	const char *arg = NULL;
	r->cmd = match_command(lines[i], &arg);
	if (r->cmd == REPLY_NONE) {
		/* no command: everything is for the corrections reader */
		r->rest = g_strjoinv("\n", lines + i);
		return r;
	}
	GString *a = g_string_new(arg);
	i++;
	if (r->cmd == REPLY_REJECT || r->cmd == REPLY_NOTE || r->cmd == REPLY_HOLD) {
		/* the reason or note may continue until a blank line */
		for (; lines[i]; i++) {
			g_autofree char *t = g_strstrip(g_strdup(lines[i]));
			if (*t == '\0' || *t == '>' || strcmp(lines[i], "-- ") == 0)
				break;
			if (match_command(lines[i], &arg) != REPLY_NONE)
				break;
			g_string_append_c(a, '\n');
			g_string_append(a, t);
		}
	}
	char *argtext = g_string_free(a, FALSE);
	text_trim(g_strstrip(argtext));
	if (*argtext)
		r->arg = argtext;
	else
		g_free(argtext);
	r->rest = g_strjoinv("\n", lines + i);
	return r;
}

void
reply_free(struct reply *r)
{
	if (r == NULL)
		return;
	g_free(r->arg);
	g_free(r->rest);
	g_free(r);
}
