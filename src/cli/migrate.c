/* migrate.c - gazette migrate: apply pending migrations or show them. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "gazette/embedded.h"
#include "gazette/util.h"

static const char usage[] =
    "usage: gazette migrate [--db FILE] [--status] [--to VERSION]\n"
    "\n"
    "Applies the schema migrations this binary carries that the database has\n"
    "not had yet, each in one transaction.  A database made by a newer gazette\n"
    "is refused.  With --status, shows where the database stands and changes\n"
    "nothing.\n"
    "\n"
    "  --db FILE   database file (GAZETTE_DB, default gazette.db)\n"
    "  --status    show applied and pending migrations\n"
    "  --to N      apply migrations only up to version N\n";

static int
show_status(const char *db)
{
    struct err_info ei = {0};
    struct store *st = NULL;
    json_t *state = NULL, *m;
    size_t i;
    int rc = 0;

    if (cli_db_usable(db, true) != 0)
        return 1;
    if (store_open(db, STORE_READ_ONLY, &st, &ei) != ERR_OK ||
        store_migration_state(st, &state, &ei) != ERR_OK) {
        store_close(st);
        return cli_fail("%s: %s", db, ei.detail);
    }
    int current = (int)json_integer_value(json_object_get(state, "current"));
    int latest = (int)json_integer_value(json_object_get(state, "latest"));
    if (json_is_true(json_object_get(state, "other_program"))) {
        json_decref(state);
        store_close(st);
        return cli_fail("%s: an SQLite database that gazette did not make (it has tables "
                        "but no schema_version); gazette migrate will not touch it",
                        db);
    }
    printf("database: %s\n", db);
    printf("schema version: %d; this gazette knows up to %d", current, latest);
    if (current == latest) {
        printf(" (current)\n");
    } else if (current < latest) {
        printf(" (%d pending: run gazette migrate)\n", latest - current);
    } else {
        printf(" (the database is newer: use a newer gazette)\n");
        rc = 1;
    }
    json_array_foreach (json_object_get(state, "applied"), i, m) {
        printf("applied  %04d %s at %s\n",
               (int)json_integer_value(json_object_get(m, "version")),
               json_string_value(json_object_get(m, "name")),
               json_string_value(json_object_get(m, "applied_at")));
    }
    json_array_foreach (json_object_get(state, "pending"), i, m) {
        printf("pending  %04d %s\n",
               (int)json_integer_value(json_object_get(m, "version")),
               json_string_value(json_object_get(m, "name")));
    }
    json_decref(state);
    store_close(st);
    return rc;
}

int
cmd_migrate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"status", no_argument, NULL, 's'},
        {"to", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = cli_env("GAZETTE_DB", "gazette.db");
    struct err_info ei = {0};
    struct store *st = NULL;
    bool status = false;
    int c, applied = 0, current;
    int64_t target = 0;

    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 's':
            status = true;
            break;
        case 't':
            if (!parse_int64(optarg, &target) || target < 1)
                return cli_fail("--to must be a schema version, 1 or more");
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            return cli_bad_option("migrate", c, argv, opts);
        }
    }
    if (!cli_env_log_level())
        return 1;
    if (optind < argc)
        return cli_usage_fail("migrate", "unexpected argument \"%s\"", argv[optind]);
    if (status)
        return show_status(db);
    if (target > (int64_t)gazette_migrations_count)
        return cli_fail(
            "--to must be at most %zu, the latest schema version this gazette "
            "knows",
            gazette_migrations_count);
    if (cli_db_usable(db, false) != 0)
        return 1;
    if (store_open(db, STORE_READ_WRITE, &st, &ei) != ERR_OK)
        goto fail;
    if (target > 0) {
        /* migrations are not undone: a database past the target stays */
        json_t *state;

        if (store_migration_state(st, &state, &ei) != ERR_OK)
            goto fail;
        current = (int)json_integer_value(json_object_get(state, "current"));
        json_decref(state);
        if (current > target) {
            store_close(st);
            return cli_fail("%s: schema version %d is past %d; migrations are not undone",
                            db, current, (int)target);
        }
    }
    if (store_migrate(st, (int)target, &applied, &ei) != ERR_OK)
        goto fail;
    store_close(st);
    if (applied == 0 && target > 0)
        printf("%s: schema is at version %d; nothing to do\n", db, (int)target);
    else if (applied == 0)
        printf("%s: schema is current; nothing to do\n", db);
    else
        printf("%s: applied %d migration(s)\n", db, applied);
    return 0;
fail:
    store_close(st);
    return cli_fail("%s: %s", db, ei.detail);
}
