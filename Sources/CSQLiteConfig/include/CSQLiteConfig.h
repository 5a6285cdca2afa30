#ifndef CSQLITECONFIG_H
#define CSQLITECONFIG_H

/// Turns the firing of triggers on one SQLite connection on (1) or off (0); returns the setting now in force,
/// or -1 when SQLite refused. `db` is the connection's `sqlite3 *`.
///
/// Why C: `sqlite3_db_config` is variadic, and Swift cannot call variadic C functions.
/// Source: SQLite C interface, "Database Connection Configuration Options", SQLITE_DBCONFIG_ENABLE_TRIGGER.
int carta_sqlite_enable_triggers(void *db, int enabled);

#endif
