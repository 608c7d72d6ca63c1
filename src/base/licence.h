/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: base. Uses the rest of base/.
 *
 * The licences a network may choose for its published dataset ([publish]
 * licence): open licences data.gouv.fr accepts, by SPDX identifier.
 */
#ifndef ESSAIM_LICENCE_H
#define ESSAIM_LICENCE_H

struct licence {
	const char *id;		/* SPDX identifier: "etalab-2.0" */
	const char *title;	/* "Licence Ouverte / Open Licence version 2.0" */
	const char *url;	/* its text */
};

/* The licence whose identifier is NAME (case does not matter), or NULL. */
const struct licence *licence_find(const char *name);

/* The identifiers known, joined with ", ", for an error text. */
const char *licence_known(void);

#endif
