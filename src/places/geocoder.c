/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One request to the online geocoder, and the reading of its answer. */

/* curl_load.c defines curl_easy_setopt and curl_easy_getinfo as functions */
#define CURL_DISABLE_TYPECHECK
#include "places/geocoder.h"

#include <curl/curl.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "base/curl_load.h"
#include "base/limit.h"
#include "base/text.h"

/* The Géoplateforme's label, city and attribution are short; what is kept
 * of them is bounded all the same. */
#define GEOCODER_LABEL_MAX 200

void
geocoder_result_clear(struct geocoder_result *r)
{
	g_free(r->label);
	g_free(r->citycode);
	g_free(r->attribution);
	g_free(r->why);
	memset(r, 0, sizeof(*r));
}

/* Paris, Lyon and Marseille: their addresses bear their arrondissements'
 * codes, so a request about them is filtered by postcode, not citycode. */
static gboolean
has_arrondissements(const struct gazetteer_commune *c)
{
	return c->kind == GAZETTEER_ARRONDISSEMENT || strcmp(c->insee, "75056") == 0 ||
	    strcmp(c->insee, "69123") == 0 || strcmp(c->insee, "13055") == 0;
}

/* The city's name for an arrondissement ("Paris"), else the commune's. */
static const char *
city_name(const struct gazetteer_commune *c)
{
	return c->kind == GAZETTEER_ARRONDISSEMENT && c->parent ? c->parent->name : c->name;
}

static gboolean
postcode_ok(const char *pc)
{
	if (pc == NULL || strlen(pc) != 5)
		return FALSE;
	for (int i = 0; i < 5; i++)
		if (!g_ascii_isdigit(pc[i]))
			return FALSE;
	return TRUE;
}

/* The address as sent: its lines joined by spaces, trimmed; NULL when
 * empty or too long. */
static char *
clean_address(const char *address)
{
	g_autofree char *a = NULL;

	if (address == NULL)
		return NULL;
	a = g_strdup(address);
	for (char *p = a; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	g_strstrip(a);
	if (*a == '\0' || strlen(a) > GEOCODER_QUERY_MAX)
		return NULL;
	return g_steal_pointer(&a);
}

char *
geocoder_query_key(const struct geocoder_query *q)
{
	g_autofree char *a = NULL, *folded = NULL;

	if (q->commune == NULL)
		return NULL;
	if (q->address == NULL)
		return g_strdup_printf("municipality|%s", q->commune->insee);
	if ((a = clean_address(q->address)) == NULL)
		return NULL;
	folded = text_fold(a);
	if (folded == NULL || *g_strstrip(folded) == '\0')
		return NULL;
	return g_strdup_printf("address|%s|%s|%s", q->commune->insee,
	    postcode_ok(q->postcode) ? q->postcode : "", folded);
}

static void
add_param(GString *url, const char *name, const char *value)
{
	g_autofree char *v = g_uri_escape_string(value, NULL, FALSE);

	g_string_append_printf(url, "%c%s=%s", strchr(url->str, '?') ? '&' : '?', name, v);
}

char *
geocoder_url(const char *base, const struct geocoder_query *q)
{
	g_autofree char *a = NULL, *text = NULL;
	GString *url;

	if (q->commune == NULL || (q->address && (a = clean_address(q->address)) == NULL))
		return NULL;
	url = g_string_new(base);
	if (a) {
		/* the address, its postcode and commune: nothing else of the entry */
		text = g_strdup_printf("%s %s %s", a, postcode_ok(q->postcode) ? q->postcode : "",
		    city_name(q->commune));
		add_param(url, "q", text);
		add_param(url, "index", "address");
		add_param(url, "limit", "5");
	} else {
		add_param(url, "q", city_name(q->commune));
		add_param(url, "index", "address");
		add_param(url, "type", "municipality");
		add_param(url, "limit", "1");
	}
	if (!has_arrondissements(q->commune) || (a == NULL &&
	    q->commune->kind == GAZETTEER_ARRONDISSEMENT))
		add_param(url, "citycode", q->commune->insee);
	else if (postcode_ok(q->postcode))
		add_param(url, "postcode", q->postcode);
	return g_string_free(url, FALSE);
}

/* Whether CITYCODE names the commune C: the same, the city of C, an
 * arrondissement of C (75104 for 75056 and the reverse). */
static gboolean
citycode_fits(const struct gazetteer *g, const struct gazetteer_commune *c, const char *citycode)
{
	const struct gazetteer_commune *other;

	if (citycode == NULL)
		return FALSE;
	if (strcmp(citycode, c->insee) == 0)
		return TRUE;
	if (c->kind == GAZETTEER_ARRONDISSEMENT && c->parent &&
	    strcmp(citycode, c->parent->insee) == 0)
		return TRUE;
	other = gazetteer_by_insee(g, citycode);
	return other && other->kind == GAZETTEER_ARRONDISSEMENT && other->parent == c;
}

static const char *
member_string(JsonObject *o, const char *name)
{
	JsonNode *n = o ? json_object_get_member(o, name) : NULL;

	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(n);
}

static gboolean
member_number(JsonObject *o, const char *name, double *out)
{
	JsonNode *n = o ? json_object_get_member(o, name) : NULL;
	GType t;

	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n))
		return FALSE;
	t = json_node_get_value_type(n);
	if (t != G_TYPE_DOUBLE && t != G_TYPE_INT64)
		return FALSE;
	*out = json_node_get_double(n);
	return isfinite(*out);
}

/* A feature's point: geometry.coordinates [lon, lat], within range. */
static gboolean
feature_point(JsonObject *f, double *lat, double *lon)
{
	JsonNode *gn = json_object_get_member(f, "geometry"), *cn;
	JsonArray *c;

	if (gn == NULL || !JSON_NODE_HOLDS_OBJECT(gn))
		return FALSE;
	cn = json_object_get_member(json_node_get_object(gn), "coordinates");
	if (cn == NULL || !JSON_NODE_HOLDS_ARRAY(cn))
		return FALSE;
	c = json_node_get_array(cn);
	if (json_array_get_length(c) < 2)
		return FALSE;
	for (guint i = 0; i < 2; i++) {
		JsonNode *v = json_array_get_element(c, i);

		if (!JSON_NODE_HOLDS_VALUE(v) || (json_node_get_value_type(v) != G_TYPE_DOUBLE &&
		    json_node_get_value_type(v) != G_TYPE_INT64))
			return FALSE;
	}
	*lon = json_array_get_double_element(c, 0);
	*lat = json_array_get_double_element(c, 1);
	return isfinite(*lat) && isfinite(*lon) && fabs(*lat) <= 90 && fabs(*lon) <= 180;
}

static char *
bounded(const char *s)
{
	g_autofree char *r = NULL;

	if (s == NULL)
		return NULL;
	r = text_repair_utf8(s, -1);
	return text_ellipsize(g_steal_pointer(&r), GEOCODER_LABEL_MAX);
}

static void
set_why(struct geocoder_result *out, enum geocoder_outcome o, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static void
set_why(struct geocoder_result *out, enum geocoder_outcome o, const char *fmt, ...)
{
	va_list ap;

	out->outcome = o;
	g_free(out->why);
	va_start(ap, fmt);
	out->why = g_strdup_vprintf(fmt, ap);
	va_end(ap);
}

void
geocoder_parse(const struct gazetteer *g, const struct geocoder_query *q, double min_score,
    long status, const char *content_type, const char *body, gsize len,
    struct geocoder_result *out)
{
	g_autoptr(JsonParser) p = NULL;
	g_autoptr(GError) err = NULL;
	JsonNode *root, *fn;
	JsonObject *o, *best = NULL, *bestprops = NULL;
	JsonArray *features;
	double best_score = -1, lat = 0, lon = 0;
	const char *attr, *lic;

	if (status == 429) {
		set_why(out, GEOCODER_RATE_LIMITED, "HTTP 429: too many requests");
		return;
	}
	if (status != 200) {
		set_why(out, GEOCODER_FAILED, "HTTP status %ld", status);
		return;
	}
	if (content_type == NULL || strstr(content_type, "json") == NULL) {
		set_why(out, GEOCODER_FAILED, "the answer is not JSON (%s)",
		    content_type ? content_type : "no Content-Type");
		return;
	}
	if (len > GEOCODER_BODY_MAX) {
		set_why(out, GEOCODER_FAILED, "the answer is over %u bytes", GEOCODER_BODY_MAX);
		return;
	}
	p = json_parser_new_immutable();
	if (!json_parser_load_from_data(p, body, (gssize)len, &err) ||
	    (root = json_parser_get_root(p)) == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		set_why(out, GEOCODER_FAILED, "malformed answer: %s",
		    err ? err->message : "not a JSON object");
		return;
	}
	o = json_node_get_object(root);
	fn = json_object_get_member(o, "features");
	if (fn == NULL || !JSON_NODE_HOLDS_ARRAY(fn)) {
		set_why(out, GEOCODER_FAILED, "malformed answer: no \"features\" array");
		return;
	}
	attr = member_string(o, "attribution");
	lic = member_string(o, "licence");
	if (attr || lic) {
		g_autofree char *both = g_strdup_printf("%s%s%s", attr ? attr : "",
		    attr && lic ? ", " : "", lic ? lic : "");

		out->attribution = bounded(both);
	}
	features = json_node_get_array(fn);
	for (guint i = 0; i < json_array_get_length(features); i++) {
		JsonNode *f = json_array_get_element(features, i), *pn;
		JsonObject *props;
		double score;

		if (!JSON_NODE_HOLDS_OBJECT(f))
			continue;
		pn = json_object_get_member(json_node_get_object(f), "properties");
		if (pn == NULL || !JSON_NODE_HOLDS_OBJECT(pn))
			continue;
		props = json_node_get_object(pn);
		if (member_number(props, "score", &score) && score > best_score) {
			best_score = score;
			best = json_node_get_object(f);
			bestprops = props;
		}
	}
	if (best == NULL) {
		set_why(out, GEOCODER_REJECTED, "no feature");
		return;
	}
	if (!citycode_fits(g, q->commune, member_string(bestprops, "citycode"))) {
		set_why(out, GEOCODER_REJECTED, "the best feature is in another commune (%s)",
		    member_string(bestprops, "citycode") ? member_string(bestprops, "citycode") :
		    "no citycode");
		return;
	}
	if (best_score < min_score) {
		set_why(out, GEOCODER_REJECTED, "score %.2f under %.2f", best_score, min_score);
		return;
	}
	if (!feature_point(best, &lat, &lon)) {
		set_why(out, GEOCODER_FAILED, "malformed answer: the feature has no point");
		return;
	}
	out->outcome = GEOCODER_FOUND;
	out->lat = lat;
	out->lon = lon;
	out->score = best_score;
	/* an address search may fall back to the commune: say so */
	out->precision = q->address && g_strcmp0(member_string(bestprops, "type"),
	    "municipality") != 0 ? "address" : "commune";
	out->label = bounded(member_string(bestprops, "label"));
	out->citycode = g_strdup(member_string(bestprops, "citycode"));
}

struct fetch {
	GString *body;
	gboolean too_big;
	guint retry_after;
};

static size_t
write_cb(char *data, size_t size, size_t n, void *user)
{
	struct fetch *f = user;

	if (f->body->len + size * n > GEOCODER_BODY_MAX) {
		f->too_big = TRUE;
		return 0;	/* libcurl stops: CURLE_WRITE_ERROR */
	}
	g_string_append_len(f->body, data, (gssize)(size * n));
	return size * n;
}

static size_t
header_cb(char *data, size_t size, size_t n, void *user)
{
	struct fetch *f = user;
	size_t len = size * n;

	if (len > 12 && g_ascii_strncasecmp(data, "Retry-After:", 12) == 0) {
		g_autofree char *v = g_strndup(data + 12, len - 12);
		guint64 secs;

		g_strstrip(v);
		/* delay-seconds; an HTTP-date is read as "not said" */
		if (g_ascii_string_to_unsigned(v, 10, 0, G_MAXUINT64, &secs, NULL))
			f->retry_after = (guint)MIN(secs, (guint64)GEOCODER_BACKOFF_MAX);
	}
	return len;
}

/* The host of URL, for an attribution the service did not give. */
static char *
url_host(const char *url)
{
	const char *p = strstr(url, "://"), *end;

	if (p == NULL)
		return g_strdup(url);
	p += 3;
	end = p + strcspn(p, "/:?#");
	return g_strndup(p, (gsize)(end - p));
}

void
geocoder_request(const struct gazetteer *g, const char *base, guint timeout, double min_score,
    const struct geocoder_query *q, struct geocoder_result *out)
{
	g_autofree char *url = geocoder_url(base, q);
	char errbuf[CURL_ERROR_SIZE] = "";
	struct fetch f = { g_string_new(NULL), FALSE, 0 };
	const char *ctype = NULL;
	long status = 0;
	CURLcode rc;
	CURL *c;

	memset(out, 0, sizeof(*out));
	if (url == NULL) {
		set_why(out, GEOCODER_REJECTED, "nothing to ask");
		g_string_free(f.body, TRUE);
		return;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || (c = curl_easy_init()) == NULL) {
		const char *why = curl_load_error();

		set_why(out, GEOCODER_FAILED, "cannot initialise libcurl%s%s", why ? ": " : "",
		    why ? why : "");
		g_string_free(f.body, TRUE);
		return;
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	/* the whole request, connection and a slow drip included */
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)timeout);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)timeout);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "essaim (geocoding of public map entries)");
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &f);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &f);
	rc = curl_easy_perform(c);
	if (rc != CURLE_OK) {
		if (f.too_big)
			set_why(out, GEOCODER_FAILED, "the answer is over %u bytes",
			    GEOCODER_BODY_MAX);
		else
			set_why(out, GEOCODER_FAILED, "%s",
			    *errbuf ? errbuf : curl_easy_strerror(rc));
	} else {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ctype);
		geocoder_parse(g, q, min_score, status, ctype, f.body->str, f.body->len, out);
		if (out->outcome == GEOCODER_RATE_LIMITED)
			out->retry_after = f.retry_after;
	}
	if (out->attribution == NULL)
		out->attribution = url_host(base);
	curl_easy_cleanup(c);
	g_string_free(f.body, TRUE);
}
