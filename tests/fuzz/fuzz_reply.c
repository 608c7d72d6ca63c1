/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: the reply reader (mail/reply.h) on arbitrary bytes,
 * made valid UTF-8 first as the message reader does. Checks what the
 * callers rely on: REST is never NULL, LINE is set exactly for
 * REPLY_UNSURE, an argument only comes with a command.
 */
#include <stdint.h>
#include <stdlib.h>

#include "base/text.h"
#include "mail/reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = text_repair_utf8((const char *)data, (gssize)size);
	struct reply *r;

	text_strip_controls(text);
	r = reply_parse(text);
	if (r->rest == NULL || !g_utf8_validate(r->rest, -1, NULL))
		abort();
	if ((r->line != NULL) != (r->cmd == REPLY_UNSURE))
		abort();
	if (r->arg && (!reply_is_command(r->cmd) || !g_utf8_validate(r->arg, -1, NULL)))
		abort();
	reply_free(r);
	g_free(text);
	return 0;
}
