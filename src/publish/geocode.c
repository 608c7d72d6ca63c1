/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Geocoding runs over the entries (geocode.h). */
#include "publish/geocode.h"

#include <stdlib.h>
#include <string.h>

#include "base/limit.h"
#include "base/log.h"
#include "places/gazetteer.h"
#include "places/geocoder.h"
#include "places/place.h"
#include "store/entry.h"
#include "store/geocache.h"

#define STATE_NEXT "geocode.next_at"
#define STATE_FAILURES "geocode.failures"

void
geocode_report_clear(struct geocode_report *r)
{
	g_free(r->why);
	memset(r, 0, sizeof(*r));
}

struct run {
	struct essaim *e;
	const struct gazetteer *g;
	struct geocode_report *r;
	gint64 last_request;	/* monotonic µs when the last one ended, 0: none yet */
	gint64 started;		/* monotonic µs */
	gboolean budget_spent;
};

static gint64
state_int(struct store *st, const char *key)
{
	g_autofree char *v = store_state_get(st, key);

	return v ? g_ascii_strtoll(v, NULL, 10) : 0;
}

static gboolean
state_int_set(struct store *st, const char *key, gint64 v, GError **error)
{
	g_autofree char *s = g_strdup_printf("%" G_GINT64_FORMAT, v);

	return store_state_set(st, key, s, error);
}

/* After a failure: when to ask again, and one line in the log. */
static gboolean
back_off(struct run *run, const struct geocoder_result *res, GError **error)
{
	struct store *st = run->e->st;
	gint64 failures = state_int(st, STATE_FAILURES) + 1, wait;

	if (res->outcome == GEOCODER_RATE_LIMITED && res->retry_after > 0)
		wait = res->retry_after;
	else {
		wait = run->e->cfg->geocoding_retry;
		for (gint64 i = 1; i < failures && wait < GEOCODER_BACKOFF_MAX; i++)
			wait *= 2;
	}
	wait = MIN(wait, GEOCODER_BACKOFF_MAX);
	run->r->stopped = TRUE;
	run->r->why = g_strdup(res->why);
	run->r->waiting_until = config_now() + wait;
	log_warnx("geocoding: %s: %s; next try in %" G_GINT64_FORMAT " s",
	    run->e->cfg->online_url, res->why, wait);
	if (!store_begin(st, error))
		return FALSE;
	if (!state_int_set(st, STATE_FAILURES, failures, error) ||
	    !state_int_set(st, STATE_NEXT, run->r->waiting_until, error)) {
		store_rollback(st);
		return FALSE;
	}
	return store_commit(st, error);
}

/*
 * The answer to Q: from the cache, else asked (no transaction open while
 * waiting) and cached. *GOT FALSE when the run cannot ask (budget spent,
 * failure): OUT is then not set.
 */
static gboolean
answer(struct run *run, const struct geocoder_query *q, const char *key,
    struct geocache_row *out, gboolean *got, GError **error)
{
	struct essaim *e = run->e;
	struct geocoder_result res = { 0 };
	gboolean hit, ok;
	gint64 now;

	*got = FALSE;
	if (!geocache_get(e->st, key, out, &hit, error))
		return FALSE;
	if (hit) {
		*got = TRUE;
		return TRUE;
	}
	if (run->r->stopped || run->budget_spent)
		return TRUE;
	if (run->r->requests >= e->cfg->geocoding_max_requests ||
	    g_get_monotonic_time() - run->started >=
	    (gint64)e->cfg->geocoding_budget * G_USEC_PER_SEC) {
		run->budget_spent = TRUE;
		return TRUE;
	}
	/* at most 10 requests a second: GEOCODER_INTERVAL_USEC from the end of
	 * one to the start of the next, so that the service never sees two
	 * closer, however long loading libcurl or connecting took */
	now = g_get_monotonic_time();
	if (run->last_request && now - run->last_request < GEOCODER_INTERVAL_USEC)
		g_usleep((gulong)(GEOCODER_INTERVAL_USEC - (now - run->last_request)));
	run->r->requests++;
	geocoder_request(run->g, e->cfg->online_url, e->cfg->geocoding_timeout,
	    e->cfg->geocoding_min_score, q, &res);
	run->last_request = g_get_monotonic_time();
	if (res.outcome == GEOCODER_FAILED || res.outcome == GEOCODER_RATE_LIMITED) {
		ok = back_off(run, &res, error);
		geocoder_result_clear(&res);
		return ok;
	}
	if (res.outcome == GEOCODER_FOUND) {
		run->r->found++;
		out->found = TRUE;
		out->lat = res.lat;
		out->lon = res.lon;
		out->precision = g_strdup(res.precision);
		out->label = g_strdup(res.label);
		out->citycode = g_strdup(res.citycode);
		out->score = res.score;
	} else {
		run->r->rejected++;
		log_debug("geocoding: %s: %s; the commune's point stays", key, res.why);
	}
	out->attribution = g_strdup(res.attribution);
	geocoder_result_clear(&res);
	ok = store_begin(e->st, error);
	if (ok && (!geocache_put(e->st, key, out, error) ||
	    (state_int(e->st, STATE_FAILURES) != 0 &&
		!state_int_set(e->st, STATE_FAILURES, 0, error)))) {
		store_rollback(e->st);
		ok = FALSE;
	}
	if (ok && !store_commit(e->st, error))
		ok = FALSE;
	*got = ok;
	return ok;
}

/* Give entry C the point ROW found, unless the entry changed meanwhile. */
static gboolean
apply(struct run *run, const struct geocache_candidate *c, const struct geocache_row *row,
    GError **error)
{
	struct store *st = run->e->st;
	g_autoptr(entry_t) en = NULL;
	g_autofree char *detail = NULL;

	if (!store_begin(st, error))
		return FALSE;
	/* read again inside the transaction: a correction may have come */
	en = entry_load(st, c->id, error);
	if (en == NULL || g_strcmp0(en->geo_precision, c->precision) != 0 ||
	    g_strcmp0(entry_field(en, "adresse"), c->address) != 0 ||
	    g_strcmp0(en->insee, c->insee) != 0) {
		if (en == NULL && error && *error) {
			store_rollback(st);
			return FALSE;
		}
		return store_commit(st, error);
	}
	detail = g_strdup_printf("%s: %s (score %.2f; %s)", row->precision,
	    row->label ? row->label : "", row->score, row->attribution ? row->attribution : "");
	if (!entry_set_location(st, c->id, TRUE, row->lat, row->lon, row->precision, error) ||
	    !store_event(st, c->id, 0, "geocoder", "geocoded", detail, error)) {
		store_rollback(st);
		return FALSE;
	}
	run->r->placed++;
	return store_commit(st, error);
}

/* One entry: its address, else its commune when its point is approximate. */
static gboolean
one(struct run *run, const struct geocache_candidate *c, GError **error)
{
	const struct gazetteer_commune *commune;
	struct geocoder_query q = { 0 };
	struct geocache_row row = { 0 };
	enum place_precision now = PLACE_NONE;
	g_autofree char *akey = NULL, *mkey = NULL;
	gboolean got = FALSE, ok = TRUE;

	if (c->insee)
		commune = gazetteer_by_insee(run->g, c->insee);
	else {
		/* an entry stored before communes were kept by INSEE code */
		struct gazetteer_match m = { 0 };

		gazetteer_resolve(run->g, c->commune, c->postcode, &m);
		commune = m.status == GAZETTEER_FOUND ? m.commune : NULL;
		gazetteer_match_clear(&m);
	}
	if (commune == NULL)
		return TRUE;	/* no commune resolved: nothing to ask within */
	place_precision_parse(c->precision, &now);
	q.commune = commune;
	q.postcode = c->postcode;
	q.address = c->address;
	if (c->address && (akey = geocoder_query_key(&q)) != NULL) {
		if (!answer(run, &q, akey, &row, &got, error))
			return FALSE;
		if (!got)
			run->r->left++;
		if (got && row.found) {
			ok = apply(run, c, &row, error);
			geocache_row_clear(&row);
			return ok;
		}
		geocache_row_clear(&row);
		if (!got)
			return TRUE;
	}
	if (now == PLACE_COMMUNE || now == PLACE_NONE)
		return TRUE;
	q.address = NULL;
	mkey = geocoder_query_key(&q);
	if (mkey == NULL)
		return TRUE;
	if (!answer(run, &q, mkey, &row, &got, error))
		return FALSE;
	if (!got)
		run->r->left++;
	if (got && row.found && strcmp(row.precision, "commune") == 0)
		ok = apply(run, c, &row, error);
	geocache_row_clear(&row);
	return ok;
}

gboolean
geocode_run(struct essaim *e, struct geocode_report *r, GError **error)
{
	struct run run = { e, NULL, r, 0, g_get_monotonic_time(), FALSE };
	g_autoptr(GPtrArray) cands = NULL;
	gint64 next;

	memset(r, 0, sizeof(*r));
	if (e->cfg->online_url == NULL)
		return TRUE;
	/* the network is never waited on with the write lock held */
	if (store_in_transaction(e->st)) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_FAILED,
		    "geocoding refused inside a transaction");
		return FALSE;
	}
	if ((run.g = gazetteer_default(error)) == NULL)
		return FALSE;
	next = state_int(e->st, STATE_NEXT);
	if (next > config_now())
		r->waiting_until = next;	/* cached answers are still applied */
	if ((cands = geocache_candidates(e->st, error)) == NULL)
		return FALSE;
	if (r->waiting_until)
		r->stopped = TRUE;
	for (guint i = 0; i < cands->len; i++)
		if (!one(&run, cands->pdata[i], error))
			return FALSE;
	if (r->waiting_until && r->why == NULL && r->left) {
		g_autofree char *when = store_time(r->waiting_until);

		log_debug("geocoding: waiting until %s before asking %s again", when,
		    e->cfg->online_url);
	}
	return TRUE;
}

gboolean
geocode_fill_places(struct essaim *e, guint *fixed, GError **error)
{
	g_autoptr(GPtrArray) list = geocache_unresolved(e->st, error);
	const struct gazetteer *g;
	guint n = 0;

	if (fixed)
		*fixed = 0;
	if (list == NULL)
		return FALSE;
	if (list->len == 0)
		return TRUE;
	if ((g = gazetteer_default(error)) == NULL || !store_begin(e->st, error))
		return FALSE;
	for (guint i = 0; i < list->len; i++) {
		const struct geocache_candidate *c = list->pdata[i];
		struct gazetteer_match m = { 0 };
		struct place_point pt;
		gboolean ok = TRUE;

		gazetteer_resolve(g, c->commune, c->postcode, &m);
		if (m.status == GAZETTEER_FOUND) {
			place_locate(g, NULL, &m, c->postcode, &pt);
			ok = entry_set_insee(e->st, c->id, m.commune->insee, error) &&
			    entry_set_location(e->st, c->id, pt.precision != PLACE_NONE, pt.lat,
				pt.lon, place_precision_name(pt.precision), error);
			n++;
		}
		gazetteer_match_clear(&m);
		if (!ok) {
			store_rollback(e->st);
			return FALSE;
		}
	}
	if (fixed)
		*fixed = n;
	return store_commit(e->st, error);
}

gboolean
geocode_probe(const struct config *cfg, char **what)
{
	struct geocoder_query q = { 0 };
	struct geocoder_result res = { 0 };
	g_autoptr(GError) err = NULL;
	const struct gazetteer *g = gazetteer_default(&err);
	gboolean ok;

	if (g == NULL) {
		*what = g_strdup(err->message);
		return FALSE;
	}
	q.commune = gazetteer_by_insee(g, "75056");
	geocoder_request(g, cfg->online_url, cfg->geocoding_timeout, cfg->geocoding_min_score, &q,
	    &res);
	ok = res.outcome == GEOCODER_FOUND || res.outcome == GEOCODER_REJECTED;
	if (res.outcome == GEOCODER_FOUND)
		*what = g_strdup_printf("Paris at %.4f, %.4f, score %.2f (%s)", res.lat, res.lon,
		    res.score, res.attribution ? res.attribution : "");
	else
		*what = g_strdup(res.why ? res.why : "no answer");
	geocoder_result_clear(&res);
	return ok;
}
