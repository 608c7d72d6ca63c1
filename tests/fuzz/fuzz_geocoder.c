/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: the online geocoder's answer (untrusted bytes from the
 * network) read by geocoder_parse() for an address in Lauris (84065), then
 * in Paris 4e (75104). Invariants: a point found lies within range, in the
 * commune asked (or its city), with a score at least the threshold.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "places/gazetteer.h"
#include "places/geocoder.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const codes[] = { "84065", "75104" };
	const struct gazetteer *g = gazetteer_default(NULL);

	if (g == NULL)
		abort();
	for (size_t i = 0; i < G_N_ELEMENTS(codes); i++) {
		struct geocoder_query q = { "12 rue des Écoles", gazetteer_by_insee(g, codes[i]),
					    "84360" };
		struct geocoder_result r = { 0 };

		geocoder_parse(g, &q, 0.5, 200, "application/json", (const char *)data, size, &r);
		if (r.outcome == GEOCODER_FOUND &&
		    (!isfinite(r.lat) || !isfinite(r.lon) || fabs(r.lat) > 90 ||
			fabs(r.lon) > 180 || r.score < 0.5 || r.citycode == NULL ||
			(strcmp(r.citycode, codes[i]) != 0 && strcmp(r.citycode, "75056") != 0)))
			abort();
		if (r.outcome != GEOCODER_FOUND && r.why == NULL)
			abort();
		geocoder_result_clear(&r);
	}
	return 0;
}
