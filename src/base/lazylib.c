/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Libraries loaded at run time on first use (see lazylib.h). */
#include "base/lazylib.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"

static gpointer
load(gpointer data)
{
	struct lazylib *l = data;
	const char *env = l->env ? secure_getenv(l->env) : NULL;
	const char *file = env && *env ? env : l->soname;
	const char *missing = NULL;
	void *h;

	dlerror();
	h = dlopen(file, RTLD_NOW | RTLD_LOCAL);
	for (guint i = 0; h && l->symbols[i] && missing == NULL; i++)
		if ((l->slots[i] = dlsym(h, l->symbols[i])) == NULL)
			missing = l->symbols[i];
	if (h && missing == NULL) {
		l->loaded = TRUE;
		return NULL;
	}
	{
		const char *why = dlerror();
		size_t n = strlen(file);

		if (why == NULL)
			why = "unknown dynamic loader error";
		else if (strncmp(why, file, n) == 0 && strncmp(why + n, ": ", 2) == 0)
			why += n + 2;	/* the name once is enough */
		l->error = g_strdup_printf("cannot load %s: %s", file, why);
	}
	if (h != NULL)
		dlclose(h);
	log_warnx("%s (needed by %s)", l->error, l->needed_for);
	return NULL;
}

gboolean
lazylib_load(struct lazylib *l)
{
	g_once(&l->once, load, l);
	return l->loaded;
}

gboolean
lazylib_loaded(struct lazylib *l)
{
	/* l->once's status is set, with a barrier, after load() returned */
	return l->once.status == G_ONCE_STATUS_READY && l->loaded;
}

void (*lazylib_fn(const struct lazylib *l, guint i))(void)
{
	void (*f)(void);

	/* object to function pointer, as POSIX allows */
	G_STATIC_ASSERT(sizeof(f) == sizeof(l->slots[i]));
	memcpy(&f, &l->slots[i], sizeof(f));
	return f;
}
