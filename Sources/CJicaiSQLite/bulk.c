// The prepared-statement loop that sqlite-nio does not offer: `SELECT jicai_bulk_insert(token)`, run through
// sqlite-nio on a transaction's connection, prepares one single-row INSERT and binds, steps and resets it for every
// row of a published batch, on that same connection and inside that same transaction. sqlite-nio prepares every
// statement anew, so the alternative (multi-row INSERT … VALUES) makes SQLite parse and compile the whole statement
// for every few thousand rows; this loop is what `sqlite3 .import` and Python's executemany do.
//
// Only the few SQLite functions used here are declared, under the names sqlite-nio's vendored SQLite gives them;
// they are resolved when the executable is linked with sqlite-nio.

#include "CJicaiSQLite.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;
typedef struct sqlite3_context sqlite3_context;
typedef struct sqlite3_value sqlite3_value;
typedef struct sqlite3_api_routines sqlite3_api_routines;

extern int sqlite_nio_sqlite3_auto_extension(void (*entry)(void));
extern int sqlite_nio_sqlite3_create_function_v2(sqlite3 *, const char *, int, int, void *,
                                                 void (*)(sqlite3_context *, int, sqlite3_value **),
                                                 void (*)(sqlite3_context *, int, sqlite3_value **),
                                                 void (*)(sqlite3_context *), void (*)(void *));
extern sqlite3 *sqlite_nio_sqlite3_context_db_handle(sqlite3_context *);
extern long long sqlite_nio_sqlite3_value_int64(sqlite3_value *);
extern void sqlite_nio_sqlite3_result_error(sqlite3_context *, const char *, int);
extern void sqlite_nio_sqlite3_result_int64(sqlite3_context *, long long);
extern int sqlite_nio_sqlite3_prepare_v2(sqlite3 *, const char *, int, sqlite3_stmt **, const char **);
extern int sqlite_nio_sqlite3_bind_int64(sqlite3_stmt *, int, long long);
extern int sqlite_nio_sqlite3_bind_null(sqlite3_stmt *, int);
extern int sqlite_nio_sqlite3_bind_text(sqlite3_stmt *, int, const char *, int, void (*)(void *));
extern int sqlite_nio_sqlite3_step(sqlite3_stmt *);
extern int sqlite_nio_sqlite3_reset(sqlite3_stmt *);
extern int sqlite_nio_sqlite3_finalize(sqlite3_stmt *);
extern const char *sqlite_nio_sqlite3_errmsg(sqlite3 *);

enum { SQLITE_OK_ = 0, SQLITE_DONE_ = 101, SQLITE_UTF8_ = 1, SQLITE_DIRECTONLY_ = 0x80000 };

// Published batches: a token is only honoured while its batch is published, so a stray call cannot reach memory.
enum { SLOTS = 64 };
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static const jicai_bulk_batch *published[SLOTS];
static int64_t tokens[SLOTS];
static int64_t nextToken = 1;

int64_t jicai_bulk_publish(const jicai_bulk_batch *batch) {
    int64_t token = 0;
    pthread_mutex_lock(&lock);
    for (int i = 0; i < SLOTS; i++) {
        if (published[i] == NULL) {
            published[i] = batch;
            token = tokens[i] = nextToken++;
            break;
        }
    }
    pthread_mutex_unlock(&lock);
    return token;
}

void jicai_bulk_withdraw(int64_t token) {
    pthread_mutex_lock(&lock);
    for (int i = 0; i < SLOTS; i++) {
        if (published[i] != NULL && tokens[i] == token) {
            published[i] = NULL;
            tokens[i] = 0;
        }
    }
    pthread_mutex_unlock(&lock);
}

static const jicai_bulk_batch *lookup(int64_t token) {
    const jicai_bulk_batch *found = NULL;
    pthread_mutex_lock(&lock);
    for (int i = 0; i < SLOTS && token != 0; i++) {
        if (published[i] != NULL && tokens[i] == token) found = published[i];
    }
    pthread_mutex_unlock(&lock);
    return found;
}

static void fail(sqlite3_context *ctx, sqlite3 *db, sqlite3_stmt *stmt, int32_t row, const char *what) {
    char message[512];
    snprintf(message, sizeof message, "jicai_bulk_insert: %s at row %d: %s", what, (int)row, sqlite_nio_sqlite3_errmsg(db));
    if (stmt != NULL) sqlite_nio_sqlite3_finalize(stmt);
    sqlite_nio_sqlite3_result_error(ctx, message, -1);
}

static void bulk_insert(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
    if (argc != 1) {
        sqlite_nio_sqlite3_result_error(ctx, "jicai_bulk_insert takes one token", -1);
        return;
    }
    const jicai_bulk_batch *b = lookup(sqlite_nio_sqlite3_value_int64(argv[0]));
    if (b == NULL) {
        sqlite_nio_sqlite3_result_error(ctx, "jicai_bulk_insert: no batch is published under this token", -1);
        return;
    }
    sqlite3 *db = sqlite_nio_sqlite3_context_db_handle(ctx);
    sqlite3_stmt *stmt = NULL;
    if (sqlite_nio_sqlite3_prepare_v2(db, b->sql, -1, &stmt, NULL) != SQLITE_OK_) {
        fail(ctx, db, stmt, 0, "prepare");
        return;
    }
    size_t v = 0;
    for (int32_t r = 0; r < b->rows; r++) {
        for (int32_t c = 1; c <= b->columns; c++, v++) {
            int rc;
            switch (b->kinds[v]) {
            case 1: rc = sqlite_nio_sqlite3_bind_int64(stmt, c, b->integers[v]); break;
            case 2: rc = sqlite_nio_sqlite3_bind_text(stmt, c, b->texts + b->integers[v], b->lengths[v], NULL); break;
            default: rc = sqlite_nio_sqlite3_bind_null(stmt, c); break;
            }
            if (rc != SQLITE_OK_) {
                fail(ctx, db, stmt, r, "bind");
                return;
            }
        }
        if (sqlite_nio_sqlite3_step(stmt) != SQLITE_DONE_) {
            fail(ctx, db, stmt, r, "insert");
            return;
        }
        sqlite_nio_sqlite3_reset(stmt);
    }
    sqlite_nio_sqlite3_finalize(stmt);
    sqlite_nio_sqlite3_result_int64(ctx, b->rows);
}

extern int sqlite_nio_sqlite3_exec(sqlite3 *, const char *, int (*)(void *, int, char **, char **), void *, char **);

/// 2 (FULL, SQLite's default) or 1 (NORMAL); applied to every connection opened afterwards.
static volatile int synchronous_level = 2;

void jicai_sqlite_synchronous(int level) {
    synchronous_level = level == 1 ? 1 : 2;
}

static int install(sqlite3 *db, char **error, const sqlite3_api_routines *api) {
    (void)error;
    (void)api;
    if (synchronous_level == 1) sqlite_nio_sqlite3_exec(db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
    return sqlite_nio_sqlite3_create_function_v2(db, "jicai_bulk_insert", 1, SQLITE_UTF8_ | SQLITE_DIRECTONLY_, NULL,
                                                 bulk_insert, NULL, NULL, NULL);
}

int jicai_sqlite_register(void) {
    return sqlite_nio_sqlite3_auto_extension((void (*)(void))install);
}
