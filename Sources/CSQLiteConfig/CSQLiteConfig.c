#include "CSQLiteConfig.h"

/* The SQLite that SQLiteNIO bundles exports its API with this prefix (VaporCSQLite, sqlite_nio_sqlite3.h). */
extern int sqlite_nio_sqlite3_db_config(void *db, int op, ...);

/* SQLITE_DBCONFIG_ENABLE_TRIGGER, from sqlite3.h; SQLITE_OK is 0. */
#define CARTA_SQLITE_DBCONFIG_ENABLE_TRIGGER 1003

int carta_sqlite_enable_triggers(void *db, int enabled) {
    int now = -1;
    if (sqlite_nio_sqlite3_db_config(db, CARTA_SQLITE_DBCONFIG_ENABLE_TRIGGER, enabled, &now) != 0) return -1;
    return now;
}
