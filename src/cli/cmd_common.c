/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared set-up of the commands: configuration, data folder, database. */
#include <stdio.h>

#include "cli/cmd.h"
#include "moderation/forgery.h"
#include "base/log.h"
#include "answers/outbox.h"
#include "base/resource.h"

int
cmd_config(struct essaim *e, const struct cmd_opts *o)
{
	g_autofree char *path = config_locate(o->config);
	g_autoptr(GPtrArray) problems = config_problems_new();
	int fatal_problem;

	e->cfg = config_load(path, problems);
	fatal_problem = e->cfg == NULL || config_problems_fatal(problems);
	for (guint i = 0; i < problems->len; i++) {
		struct config_problem *pb = problems->pdata[i];
		log_warnx("%s%s", pb->fatal ? "" : "warning: ", pb->text);
	}
	if (fatal_problem)
		return EXIT_CONFIG;
	resource_set_dir(e->cfg->data_dir);
	return 0;
}

int
cmd_open(struct essaim *e, const struct cmd_opts *o)
{
	g_autoptr(GError) err = NULL;
	int rc = cmd_config(e, o);

	if (rc)
		return rc;
	e->st = store_open(e->cfg->database, e->cfg->busy_timeout, &err);
	if (e->st == NULL) {
		log_warnx("%s", err->message);
		return err->code == STORE_ERROR_OWNER || err->code == STORE_ERROR_CORRUPT ?
		    EXIT_CONFIG : EXIT_TEMPFAIL;
	}
	return 0;
}

void
cmd_close(struct essaim *e)
{
	g_clear_pointer(&e->st, store_close);
	g_clear_pointer(&e->cfg, config_free);
}

void
cmd_flush_summaries(struct essaim *e)
{
	g_autoptr(GError) err = NULL;
	gboolean sent = FALSE;

	if (!store_begin(e->st, &err) || !forgery_summary_flush(e, 0, &sent, &err) ||
	    !store_commit(e->st, &err)) {
		store_rollback(e->st);
		log_warnx("summary of refused decisions not queued: %s", err->message);
		return;
	}
	if (sent)
		log_info("summary of refused decisions queued for the moderators");
}

void
cmd_deliver_local(struct essaim *e)
{
	struct outbox_report rep;
	g_autoptr(GError) err = NULL;

	if (!outbox_transport_is_local(e->cfg))
		return;
	if (!outbox_send_due(e, &rep, &err))
		log_debug("outbox not delivered now: %s", err->message);
	outbox_report_clear(&rep);
}
