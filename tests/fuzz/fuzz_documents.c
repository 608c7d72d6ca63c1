/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: attached documents (src/mail/document.c) on arbitrary
 * bytes, read both as an OpenDocument text and as an Office Open XML
 * document: libzip and libxml2 within essaim's limits must refuse or read
 * anything without a crash or a leak. Seeds: tests/data/documents.
 */
#include <stdint.h>
#include <stdlib.h>

#include "mail/document.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum document_kind kinds[] = { DOCUMENT_ODT, DOCUMENT_DOCX };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char *why = NULL;
		char *text = document_text(kinds[i], data, size, &why);

		/* exactly one of the two */
		if ((text == NULL) == (why == NULL))
			abort();
		if (text && !g_utf8_validate(text, -1, NULL))
			abort();
		g_free(text);
		g_free(why);
	}
	return 0;
}
