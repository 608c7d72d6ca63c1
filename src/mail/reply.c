/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Reading a reply: command words, French and English, matched after folding,
 * bare or inside a short sentence. A verb is taken as a command only when
 * nothing around it says otherwise: no negation, no question, no hedge, no
 * second command, and only words that make a first-person sentence before
 * it. Anything that looks like a command but fails these checks is
 * REPLY_UNSURE: the caller asks back, it never guesses.
 */
#include "mail/reply.h"

#include <string.h>

#include "base/text.h"

static const struct {
	const char *word;	/* folded */
	enum reply_cmd cmd;
} words[] = {
	{ "valider", REPLY_APPROVE },
	{ "valide", REPLY_APPROVE },
	{ "validee", REPLY_APPROVE },
	{ "valides", REPLY_APPROVE },
	{ "validees", REPLY_APPROVE },
	{ "validons", REPLY_APPROVE },
	{ "validez", REPLY_APPROVE },
	{ "approuver", REPLY_APPROVE },
	{ "approuve", REPLY_APPROVE },
	{ "approuvee", REPLY_APPROVE },
	{ "approuvons", REPLY_APPROVE },
	{ "accepter", REPLY_APPROVE },
	{ "accepte", REPLY_APPROVE },
	{ "acceptee", REPLY_APPROVE },
	{ "approve", REPLY_APPROVE },
	{ "approved", REPLY_APPROVE },
	{ "approving", REPLY_APPROVE },
	{ "accept", REPLY_APPROVE },
	{ "accepted", REPLY_APPROVE },
	{ "refuser", REPLY_REJECT },
	{ "refuse", REPLY_REJECT },
	{ "refusee", REPLY_REJECT },
	{ "refusons", REPLY_REJECT },
	{ "refus", REPLY_REJECT },
	{ "rejeter", REPLY_REJECT },
	{ "rejette", REPLY_REJECT },
	{ "rejete", REPLY_REJECT },
	{ "rejetee", REPLY_REJECT },
	{ "reject", REPLY_REJECT },
	{ "rejected", REPLY_REJECT },
	{ "decline", REPLY_REJECT },
	{ "declined", REPLY_REJECT },
	{ "attendre", REPLY_HOLD },
	{ "attente", REPLY_HOLD },
	{ "attendons", REPLY_HOLD },
	{ "hold", REPLY_HOLD },
	{ "note", REPLY_NOTE },
	{ "retirer", REPLY_WITHDRAW },
	{ "retirez", REPLY_WITHDRAW },
	{ "retire", REPLY_WITHDRAW },
	{ "retirons", REPLY_WITHDRAW },
	{ "retrait", REPLY_WITHDRAW },
	{ "withdraw", REPLY_WITHDRAW },
	{ "supprimer", REPLY_ERASE },
	{ "supprimez", REPLY_ERASE },
	{ "supprime", REPLY_ERASE },
	{ "suppression", REPLY_ERASE },
	{ "effacer", REPLY_ERASE },
	{ "effacez", REPLY_ERASE },
	{ "delete", REPLY_ERASE },
	{ "erase", REPLY_ERASE },
};

/* Words that open a greeting: "Bonjour Paul,", "Hi all,". */
static const char *const greetings[] = {
	"bonjour", "bonsoir", "salut", "coucou", "hello", "hi", "hey", "cher", "chere",
	"chers", "cheres", "dear", "madame", "monsieur", "mesdames", "messieurs",
	"bjr", "slt", "good", "re", NULL,
};

/* A clause of thanks or a closing holds one of these… */
static const char *const thanks_core[] = {
	"merci", "thanks", "thank", "thx", "cordialement", "amicalement", "regards",
	"cheers", "salutations", "bisous", "parfait", "perfect", "super", "great",
	"genial", "nickel", "dans", "best", "respectueusement", "note", "noted", NULL,
};

/* …and only these besides. */
static const char *const thanks_words[] = {
	"beaucoup", "mille", "fois", "bien", "bonne", "journee", "soiree", "fin", "de",
	"semaine", "week", "end", "a", "vous", "toi", "bientot", "sinceres",
	"belle", "tres", "bel", "apres", "midi", "you", "very", "much", "many",
	"kind", "warm", "all", "the", "best", "for", "your", "help", "pour", "votre",
	"ton", "aide", "reponse", "retour", "rapide", "rapidite", "le", "la", "les",
	"l", "ce", "cette", "tout", "again", "encore", "d", "et", "and", "ok", "okay",
	"c", "est", "note", "noted", "recu", "bien", "fiche", "message", "mail",
	"info", "infos", "information", "informations", "confirmation",
	"inscription", "attente", "travail", "work", "so", "quick", "reply",
	"have", "nice", "day", "good", "un", "une", "en", "avance", "advance", "tous",
	"toutes", "vos", "your", "efforts", "lot", "lots", "heads", "up", "rappel",
	"reminder", NULL,
};

/* What a first-person decision may start with: "Ok pour moi, VALIDER". */
static const char *const prefix_words[] = {
	"je", "j", "moi", "on", "nous", "i", "we", "ok", "okay", "oui", "yes", "d",
	"accord", "daccord", "pour", "for", "me", "my", "part", "de", "mon", "cote",
	"c", "est", "ca", "cela", "ceci", "tout", "bon", "bien", "tres", "parfait",
	"alors", "donc", "so", "then", "it", "s", "is", "that", "this", "fine",
	"great", "all", "souhaite", "souhaitons", "souhaiterais", "souhaiterions",
	"voudrais", "voudrions", "veux", "voulons", "aimerais", "aimerions",
	"would", "like", "want", "wish", "to", "merci", "vouloir", "please", "svp",
	"stp", "kindly", "avons", "ai", "have", "has", "ve", "vous", "confirme",
	"confirmons", "confirm", "que", "et", "and", "hereby", "mets", "mettons",
	"mettre", "put", "en", "l", "le", "la", "les", "the", "finalement",
	"finally", "ainsi", "also", "aussi", "egalement", "perso",
	"personnellement", "personally", "bonjour", "hello", "hi", "suis", "sommes",
	"am", "m", NULL,
};

/* Words that may follow an approval or a hold in the same clause. */
static const char *const after_words[] = {
	"merci", "svp", "please", "stp", "pour", "moi", "me", "de", "mon", "ma",
	"cote", "aussi", "also", "too", "egalement", "donc", "bien", "sur", "ok",
	"avec", "plaisir", "pleasure", "for", "my", "part", "en", "etat",
	"totalement", "completement", "entierement", "fully", "evidemment", "of",
	"course", "with", "thanks", NULL,
};

static const char *const determiners[] = {
	"le", "la", "les", "l", "notre", "nos", "votre", "vos", "mon", "ma", "mes",
	"cette", "ce", "cet", "leur", "leurs", "son", "sa", "ses", "the", "our",
	"my", "this", "that", "your", "their", "its", "de", "du", "des", "d",
	"toute", "toutes", "tout", "tous", "all", "of", "svp", "please", "stp",
	"merci", NULL,
};

/* What one withdraws or erases: "retirer notre inscription". */
static const char *const objects[] = {
	"inscription", "inscriptions", "fiche", "entree", "entry", "initiative",
	"groupe", "group", "demande", "candidature", "donnees", "data",
	"informations", "infos", "information", "compte", "account",
	"referencement", "listing", "projet", "dossier", "submission",
	"registration", "form", "formulaire", "presence", "ca", "cela",
	"everything", "it", "nous", "us", "adresse", "address", "personnelles",
	"personal", "details", "proposition", "contribution", "enregistrement",
	NULL,
};

static const char *const negations[] = {
	"ne", "n", "pas", "non", "not", "no", "never", "jamais", "aucun", "aucune",
	"t", "dont", "nope", "sans", "ni", "without", NULL,
};

/* Questions, conditions, doubt, someone else or later: never a decision. */
static const char *const hedges[] = {
	"si", "if", "peut", "peutetre", "maybe", "perhaps", "possible",
	"probablement", "probably", "avant", "before", "demain", "tomorrow",
	"later", "tard", "should", "devrait", "devrais", "devrions", "faudrait",
	"faut", "could", "pourrait", "pourriez", "pourrais", "pouvez", "peux",
	"pouvons", "can", "may", "might", "be", "been", "being", "question",
	"doute", "hesite", "hesitate", "unsure", "pense", "think", "crois",
	"believe", "suppose", "sais", "know", "reflechir", "ou", "or", "qui",
	"who", "quand", "when", "par", "by", "whether", NULL,
};

/* A short answer with no verb: "Ok pour moi", "pas encore", "non". */
static const char *const yes_words[] = {
	"ok", "okay", "oui", "yes", "yep", "yeah", "accord", "daccord", "go", "lgtm",
	"bon", "good", "fine", NULL,
};
static const char *const no_words[] = {
	"non", "no", "nope", "pas", "not", NULL,
};
static const char *const yesno_words[] = {
	"pour", "moi", "for", "me", "c", "est", "d", "tout", "all", "encore", "yet",
	"toujours", "still", "it", "s", "is", "de", "mon", "cote", "ca", "me",
	"semble", "looks", "sounds", "to", "validation", NULL,
};

/* Closing lines written by mail programs. */
static const char *const boilerplate[] = {
	"envoye de mon", "envoye depuis", "sent from my", "get outlook",
	"telecharger outlook", "obtenir outlook", NULL,
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
	case REPLY_THANKS:
		return "thanks";
	case REPLY_OTHER:
		return "other";
	case REPLY_UNSURE:
		return "unsure";
	}
	return "none";
}

gboolean
reply_is_command(enum reply_cmd c)
{
	return c >= REPLY_APPROVE && c <= REPLY_ERASE;
}

static gboolean
in_set(const char *w, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(w, *set) == 0)
			return TRUE;
	return FALSE;
}

static enum reply_cmd
verb_of(const char *w)
{
	for (size_t i = 0; i < G_N_ELEMENTS(words); i++)
		if (strcmp(w, words[i].word) == 0)
			return words[i].cmd;
	return REPLY_NONE;
}

/* One word of a line: where it is, and its folded form. */
struct tok {
	const char *start, *end;
	char *fold;
};

static void
tok_free(gpointer p)
{
	struct tok *t = p;

	g_free(t->fold);
	g_free(t);
}

/* The words of S (runs of letters and digits). */
static GPtrArray *
tokenize(const char *s)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(tok_free);
	const char *p = s;

	while (*p) {
		if (!g_unichar_isalnum(g_utf8_get_char(p))) {
			p = g_utf8_next_char(p);
			continue;
		}
		struct tok *t = g_new0(struct tok, 1);
		g_autofree char *raw = NULL;

		t->start = p;
		while (*p && g_unichar_isalnum(g_utf8_get_char(p)))
			p = g_utf8_next_char(p);
		t->end = p;
		raw = g_strndup(t->start, (gsize)(t->end - t->start));
		t->fold = text_fold(raw);
		g_ptr_array_add(a, t);
	}
	return a;
}

#define TOK(a, i) ((struct tok *)(a)->pdata[i])

/* Whether the words [FROM, TO) of A are a greeting clause. */
static gboolean
greeting_clause(GPtrArray *a, guint from, guint to)
{
	if (to <= from || to - from > 7 || !in_set(TOK(a, from)->fold, greetings))
		return FALSE;
	for (guint i = from; i < to; i++)
		if (verb_of(TOK(a, i)->fold) != REPLY_NONE)
			return FALSE;
	return TRUE;
}

/* Whether the words [FROM, TO) of A are thanks or a closing. */
static gboolean
thanks_clause(GPtrArray *a, guint from, guint to)
{
	gboolean core = FALSE;

	for (guint i = from; i < to; i++) {
		const char *w = TOK(a, i)->fold;

		if (in_set(w, thanks_core))
			core = TRUE;
		else if (!in_set(w, thanks_words))
			return FALSE;
	}
	return core;
}

static gboolean
clause_end(gunichar c)
{
	return c == ',' || c == '.' || c == '!' || c == ';' || c == 0x2026;
}

/*
 * Skip the greeting and thanks clauses at the start of LINE ("Bonjour Paul,
 * merci pour la fiche, je valide."); *THANKS tells whether one was thanks.
 * Returns a pointer inside LINE.
 */
static const char *
skip_courtesy(const char *line, gboolean *thanks)
{
	g_autoptr(GPtrArray) a = tokenize(line);
	const char *p = line;
	guint i = 0;

	*thanks = FALSE;
	if (a->len == 0)
		return line;	/* "👍": no words, something all the same */
	while (i < a->len) {
		const char *e = p;
		guint j = i;

		while (*e && !clause_end(g_utf8_get_char(e)))
			e = g_utf8_next_char(e);
		while (j < a->len && TOK(a, j)->start < e)
			j++;
		/* a clause with a verb is never skipped: "Bonjour je valide" */
		if (thanks_clause(a, i, j))
			*thanks = TRUE;
		else if (!greeting_clause(a, i, j))
			break;
		i = j;
		p = *e ? g_utf8_next_char(e) : e;
		while (*p && (g_unichar_isspace(g_utf8_get_char(p)) ||
		    clause_end(g_utf8_get_char(p))))
			p = g_utf8_next_char(p);
	}
	if (i >= a->len)
		return line + strlen(line);
	return p;
}

/* Strip markup people add around a command: "**VALIDER**", "- REFUSER". */
static const char *
skip_markup(const char *l)
{
	while (*l == ' ' || *l == '\t' || *l == '*' || *l == '-' || *l == '_' || *l == '#')
		l++;
	return l;
}

/* After a command word at P: past markup and an optional colon. Sets
 * *COLON when there was one. */
static const char *
after_verb(const char *p, gboolean *colon)
{
	*colon = FALSE;
	while (*p == ' ' || *p == '\t' || *p == '*' || *p == '_')
		p++;
	if (*p == ':') {
		*colon = TRUE;
		return p + 1;
	}
	if (g_str_has_prefix(p, "\xc2\xa0:") || g_str_has_prefix(p, "\xe2\x80\xaf:")) {
		*colon = TRUE;
		return strchr(p, ':') + 1;
	}
	return p;
}

/* End of the clause that starts at P. */
static const char *
clause_after(const char *p)
{
	while (*p && !clause_end(g_utf8_get_char(p)) && *p != ':' && *p != '?')
		p = g_utf8_next_char(p);
	return p;
}

/* Whether "retirer …" / "supprimer …" names the entry or the data, or
 * nothing: the words of A from I up to position END. */
static gboolean
object_ok(GPtrArray *a, guint i, const char *end)
{
	for (; i < a->len && TOK(a, i)->start < end; i++) {
		if (in_set(TOK(a, i)->fold, determiners))
			continue;
		return in_set(TOK(a, i)->fold, objects);
	}
	return TRUE;
}

/* A verbless short answer: "Ok pour moi", "pas encore". */
static gboolean
yes_or_no(GPtrArray *a, enum reply_cmd *guess)
{
	gboolean yes = FALSE, no = FALSE;

	for (guint i = 0; i < a->len; i++) {
		const char *w = TOK(a, i)->fold;

		if (in_set(w, yes_words))
			yes = TRUE;
		else if (in_set(w, no_words))
			no = TRUE;
		else if (!in_set(w, yesno_words))
			return FALSE;
	}
	*guess = yes && !no ? REPLY_APPROVE : REPLY_NONE;
	return yes || no;
}

/*
 * Read one line of content (greetings removed). Returns the command, or
 * REPLY_UNSURE with *GUESS, or REPLY_OTHER; *ARG points inside LINE at the
 * argument of a command, *EXPLICIT tells whether a colon followed the verb.
 */
static enum reply_cmd
read_line(const char *line, const char **arg, gboolean *explicit, enum reply_cmd *guess)
{
	g_autoptr(GPtrArray) a = tokenize(skip_markup(line));
	const char *p, *colon_at, *span;
	enum reply_cmd cmd = REPLY_NONE;
	gboolean colon;
	guint v;

	*arg = NULL;
	*explicit = FALSE;
	*guess = REPLY_NONE;
	if (a->len == 0)
		return REPLY_UNSURE;	/* "👍", "+1" */
	for (v = 0; v < a->len; v++)
		if ((cmd = verb_of(TOK(a, v)->fold)) != REPLY_NONE)
			break;
	if (cmd == REPLY_NOTE) {
		/* "Noté, merci" is not a note: NOTE needs its colon, first */
		after_verb(TOK(a, v)->end, &colon);
		if (v != 0 || !colon)
			return REPLY_OTHER;
	}
	if (cmd == REPLY_NONE)
		return yes_or_no(a, guess) ? REPLY_UNSURE : REPLY_OTHER;
	*guess = cmd;
	p = after_verb(TOK(a, v)->end, &colon);
	colon_at = colon ? p : NULL;
	if (v > 0) {
		/* "Description : nous refusons la malbouffe" is a field line */
		const char *c = strchr(line, ':');
		if (c && c < TOK(a, v)->start)
			return REPLY_OTHER;
	}
	/* a second, different command: "valider ou refuser ?" */
	for (guint i = 0; i < a->len; i++) {
		enum reply_cmd o = verb_of(TOK(a, i)->fold);
		if (colon_at && TOK(a, i)->start >= colon_at)
			break;
		if (o != REPLY_NONE && o != REPLY_NOTE && o != cmd)
			return REPLY_UNSURE;
	}
	if (v == 0 && colon) {
		*explicit = TRUE;
		*arg = p;
		return cmd;
	}
	/* a question, unless in the reason after a colon */
	for (const char *q = line; *q && (colon_at == NULL || q < colon_at); q++)
		if (*q == '?')
			return REPLY_UNSURE;
	span = clause_after(TOK(a, v)->end);
	for (guint i = 0; i < a->len && TOK(a, i)->start < span; i++) {
		const char *w = TOK(a, i)->fold;

		if (in_set(w, negations) || in_set(w, hedges))
			return REPLY_UNSURE;
		if (i < v && !in_set(w, prefix_words) && !in_set(w, greetings))
			return REPLY_UNSURE;
	}
	if (v > 0 && strcmp(TOK(a, v - 1)->fold, "a") == 0)
		return REPLY_UNSURE;	/* "à valider", "Paul a validé" */
	if ((cmd == REPLY_WITHDRAW || cmd == REPLY_ERASE) && !object_ok(a, v + 1, span))
		return REPLY_UNSURE;
	if (v > 0 && (cmd == REPLY_APPROVE || cmd == REPLY_HOLD))
		for (guint i = v + 1; i < a->len && TOK(a, i)->start < span; i++)
			if (!in_set(TOK(a, i)->fold, after_words) &&
			    !in_set(TOK(a, i)->fold, determiners) &&
			    !in_set(TOK(a, i)->fold, objects))
				return REPLY_UNSURE;
	if (cmd == REPLY_REJECT && v > 0 && !colon && *span == ':') {
		/* "I reject this: a shop" */
		guint i = v + 1;
		while (i < a->len && TOK(a, i)->start < span &&
		    (in_set(TOK(a, i)->fold, determiners) || in_set(TOK(a, i)->fold, objects)))
			i++;
		if (i >= a->len || TOK(a, i)->start > span) {
			p = span + 1;
			colon = TRUE;
		}
	}
	if (cmd == REPLY_REJECT && v > 0) {
		static const char *const because[] = { "car ", "parce que ", "parce qu'",
			"because ", "pour cause de ", "motif ", NULL };
		while (*p == ' ' || *p == ',' || *p == '-')
			p++;
		for (int i = 0; because[i]; i++)
			if (g_ascii_strncasecmp(p, because[i], strlen(because[i])) == 0)
				p += strlen(because[i]);
	}
	*explicit = colon;
	*arg = p;
	return cmd;
}

/* Whether the line ends the fresh text: a signature or an attribution. */
static gboolean
stop_line(const char *t)
{
	return strcmp(t, "--") == 0 || g_str_has_prefix(t, "-----") ||
	    g_str_has_prefix(t, "________") ||
	    (g_str_has_suffix(t, ":") && (strstr(t, " wrote") || strstr(t, "a écrit")));
}

/* Whether the folded line F is a mail program's closing. */
static gboolean
boilerplate_line(const char *line)
{
	g_autofree char *f = text_fold(line);

	for (int i = 0; boilerplate[i]; i++)
		if (g_str_has_prefix(f, boilerplate[i]))
			return TRUE;
	return FALSE;
}

/* Whether LINE, trimmed, is greetings, thanks or a closing only. */
static gboolean
courtesy_line(const char *line)
{
	gboolean thanks;

	return *skip_courtesy(line, &thanks) == '\0' || boilerplate_line(line);
}

struct reply *
reply_parse(const char *text)
{
	struct reply *r = g_new0(struct reply, 1);
	g_auto(GStrv) lines = g_strsplit(text ? text : "", "\n", -1);
	gboolean closing = FALSE, explicit = FALSE;
	const char *arg = NULL;
	int i = 0, first = -1;

	for (; lines[i]; i++) {
		g_autofree char *t = g_strstrip(g_strdup(lines[i]));
		const char *content;
		gboolean thanks;

		if (*t == '\0' || *t == '>')
			continue;
		if (first < 0)
			first = i;
		if (stop_line(t) || strcmp(lines[i], "-- ") == 0)
			break;
		content = skip_courtesy(t, &thanks);
		closing = closing || thanks;
		if (*content == '\0' || boilerplate_line(content))
			continue;
		r->cmd = read_line(content, &arg, &explicit, &r->guess);
		if (reply_is_command(r->cmd) || r->cmd == REPLY_UNSURE) {
			size_t lead = 0;

			/* ARG, in LINES[I], outlives the trimmed copy T */
			while (g_ascii_isspace(lines[i][lead]))
				lead++;
			arg = arg ? lines[i] + lead + (arg - t) : NULL;
			if (r->cmd == REPLY_UNSURE)
				r->line = g_steal_pointer(&t);
			break;
		}
		/* a name under "Merci,": the signature */
		{
			g_autoptr(GPtrArray) a = tokenize(content);
			if (closing && a->len <= 4 && strchr(content, ':') == NULL)
				continue;
		}
		r->cmd = REPLY_OTHER;
		r->rest = g_strjoinv("\n", lines + first);
		return r;
	}
	if (!reply_is_command(r->cmd) && r->cmd != REPLY_UNSURE) {
		r->cmd = closing ? REPLY_THANKS : REPLY_NONE;
		r->rest = g_strjoinv("\n", lines + (first < 0 ? i : first));
		return r;
	}
	GString *a = g_string_new(arg);
	i++;
	if (r->cmd == REPLY_REJECT || r->cmd == REPLY_NOTE || r->cmd == REPLY_HOLD) {
		/* the reason or note may continue until a blank line */
		for (; lines[i]; i++) {
			g_autofree char *t = g_strstrip(g_strdup(lines[i]));
			const char *x;
			gboolean e;
			enum reply_cmd g;

			if (*t == '\0' || *t == '>' || strcmp(lines[i], "-- ") == 0 ||
			    stop_line(t) || courtesy_line(t))
				break;
			if (reply_is_command(read_line(t, &x, &e, &g)) && e)
				break;
			g_string_append_c(a, '\n');
			g_string_append(a, t);
		}
	}
	char *argtext = g_string_free(a, FALSE);
	/* "Validé, beau projet" and "Je valide." leave ", beau projet" and "." */
	while (*argtext && strchr(",.;!-", *argtext))
		memmove(argtext, argtext + 1, strlen(argtext));
	text_trim(g_strstrip(argtext));
	if (*argtext && r->cmd != REPLY_UNSURE)
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
	g_free(r->line);
	g_free(r);
}
