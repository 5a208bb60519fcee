/* keys.c - gazette keys: create, list and revoke API keys. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gazette/auth.h"

static const char usage[] =
    "usage: gazette keys create --name NAME --scope write|admin [--db FILE]\n"
    "       gazette keys list [--db FILE]\n"
    "       gazette keys revoke ID|NAME [--db FILE]\n"
    "\n"
    "API keys authorize writes (scope write) and key management (scope admin,\n"
    "which includes write).  create prints the new key once: only its hash is\n"
    "stored, so it cannot be shown again.  revoke takes effect at once.\n"
    "\n"
    "  --db FILE   database file (GAZETTE_DB, default gazette.db)\n";

static int
create(struct store *st, const char *name, const char *scope)
{
    struct err_info ei = {0};
    json_t *info;
    char *key;

    if (name == NULL)
        return cli_fail("keys create needs --name NAME");
    if (!auth_key_name_ok(name))
        return cli_fail("--name: %s", AUTH_KEY_NAME_RULE);
    if (scope == NULL || (strcmp(scope, "write") != 0 && strcmp(scope, "admin") != 0))
        return cli_fail("keys create needs --scope write or --scope admin");
    if (auth_key_create(st, name, scope, &key, &info, &ei) != ERR_OK)
        return cli_fail("%s", ei.detail);
    long long id = (long long)json_integer_value(json_object_get(info, "id"));
    printf("%s\n", key);
    free(key);
    json_decref(info);
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        /* nobody has the key: it must not stay usable */
        int e = errno, n;
        char ident[24];
        bool revoked;

        snprintf(ident, sizeof(ident), "%lld", id);
        revoked = store_key_revoke(st, ident, &n, &ei) == ERR_OK;
        const char *why = e != 0 ? strerror(e) : "write error";
        if (!revoked)
            return cli_fail("key %lld could not be written to standard output (%s) and "
                            "is still active: revoke it",
                            id, why);
        return cli_fail("key %lld could not be written to standard output (%s), so it "
                        "was revoked",
                        id, why);
    }
    fprintf(stderr, "keys: created key %lld (%s, scope %s); it is shown only this once\n",
            id, name, scope);
    return 0;
}

static int
list(struct store *st)
{
    struct err_info ei = {0};
    json_t *keys, *k;
    size_t i;

    if (store_key_list(st, &keys, &ei) != ERR_OK)
        return cli_fail("%s", ei.detail);
    printf("%-5s %-20s %-6s %-18s %-21s %s\n", "id", "name", "scope", "prefix", "created",
           "revoked");
    json_array_foreach (keys, i, k) {
        const char *revoked = json_string_value(json_object_get(k, "revoked_at"));

        printf("%-5lld %-20s %-6s %-18s %-21s %s\n",
               (long long)json_integer_value(json_object_get(k, "id")),
               json_string_value(json_object_get(k, "name")),
               json_string_value(json_object_get(k, "scope")),
               json_string_value(json_object_get(k, "prefix")),
               json_string_value(json_object_get(k, "created_at")),
               revoked != NULL ? revoked : "-");
    }
    json_decref(keys);
    return 0;
}

static int
revoke(struct store *st, const char *ident)
{
    struct err_info ei = {0};
    int n;

    if (store_key_revoke(st, ident, &n, &ei) != ERR_OK)
        return cli_fail("%s", ei.detail);
    if (n == 0)
        return cli_fail("no active key with id or name \"%s\"", ident);
    fprintf(stderr, "keys: revoked %d key(s)\n", n);
    return 0;
}

int
cmd_keys(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"name", required_argument, NULL, 'n'},
        {"scope", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = cli_env("GAZETTE_DB", "gazette.db"), *name = NULL, *scope = NULL;
    const char *action;
    struct store *st = NULL;
    int c, rc;

    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        case 's':
            scope = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            return cli_bad_option("keys", c, argv, opts);
        }
    }
    if (!cli_env_log_level())
        return 1;
    if (optind >= argc)
        return cli_usage_fail("keys", "no action given: create, list or revoke");
    action = argv[optind];
    if (strcmp(action, "create") != 0 && strcmp(action, "list") != 0 &&
        strcmp(action, "revoke") != 0)
        return cli_usage_fail("keys", "unknown action \"%s\": create, list or revoke",
                              action);
    if (strcmp(action, "revoke") == 0 && optind + 2 != argc)
        return cli_usage_fail("keys", "revoke takes one ID or NAME");
    if (strcmp(action, "revoke") != 0 && optind + 1 != argc)
        return cli_usage_fail("keys", "%s takes no argument (got \"%s\")", action,
                              argv[optind + 1]);
    /* a key goes into the database a server reads: a mistyped path must
     * not quietly make another one */
    if (cli_db_usable(db, true) != 0 || cli_open_migrated(db, &st) != 0)
        return 1;
    if (strcmp(action, "create") == 0)
        rc = create(st, name, scope);
    else if (strcmp(action, "list") == 0)
        rc = list(st);
    else
        rc = revoke(st, argv[optind + 1]);
    store_close(st);
    return rc;
}
