/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. Uses nothing.
 *
 * The SQL of each migration of the schema: store_migrations[i] takes the
 * database from version i to i + 1 (store_migrate() in src/store/store.c).
 */
#ifndef ESSAIM_MIGRATIONS_H
#define ESSAIM_MIGRATIONS_H

/* Current schema version (PRAGMA user_version): the number of migrations. */
#define STORE_SCHEMA_VERSION 13

extern const char *const store_migrations[];
extern const int store_migrations_count;

#endif
