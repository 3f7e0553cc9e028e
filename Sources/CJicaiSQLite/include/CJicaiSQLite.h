#ifndef CJICAI_SQLITE_H
#define CJICAI_SQLITE_H

#include <stdint.h>

/// Rows for one bulk insert, laid out flat: value `r * columns + c` is row r's column c.
typedef struct jicai_bulk_batch {
    /// `INSERT INTO t (…) VALUES (?,…)` for one row, NUL-terminated.
    const char *sql;
    int32_t columns;
    int32_t rows;
    /// Per value: 0 NULL, 1 integer, 2 text.
    const uint8_t *kinds;
    /// Per value: the integer, or the text's byte offset in `texts`.
    const int64_t *integers;
    /// Per value: the text's length in bytes (unused for other kinds).
    const int32_t *lengths;
    const char *texts;
} jicai_bulk_batch;

/// Registers the SQL function `jicai_bulk_insert(token)` on every SQLite connection opened from now on (the SQLite
/// that sqlite-nio vendors, through its `sqlite_nio_` symbols). Idempotent; returns 0 on success.
int jicai_sqlite_register(void);

/// How durable a commit is on the connections opened from now on: 2 (FULL: the write-ahead log is synced at every
/// commit; the default) or 1 (NORMAL: synced at checkpoints; a power cut may lose the last commits, never corrupts).
void jicai_sqlite_synchronous(int level);

/// Makes `batch` callable through `jicai_bulk_insert` and returns its token (0 when too many are published).
int64_t jicai_bulk_publish(const jicai_bulk_batch *batch);

/// Forgets a published batch.
void jicai_bulk_withdraw(int64_t token);

#endif
