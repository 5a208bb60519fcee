/* cli.h - the subcommands of the gazette program, one file each. */
#ifndef GAZETTE_CLI_H
#define GAZETTE_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "gazette/store.h"

int cmd_serve(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_keys(int argc, char **argv);
int cmd_extract(int argc, char **argv);

/* The value of environment variable name, or dflt when unset or empty. */
const char *cli_env(const char *name, const char *dflt);

/* Prints "gazette: " and the message to stderr; returns 1. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Opens the database read-write and applies pending migrations, printing
 * what went wrong on failure. */
int cli_open_migrated(const char *db, struct store **out);

/* 0 when db can be opened as a database file: not a folder, and there
 * when must_exist; else says what is wrong (opening it would only say it
 * cannot, or make a new one) and returns 1. */
int cli_db_usable(const char *db, bool must_exist);

/* Opens path for reading ("-": stdin, *name "<stdin>"; else *name is
 * path); NULL, said on stderr, when it cannot be opened or is a folder. */
FILE *cli_open_input(const char *path, const char **name);

/* Flushes stdout; false (said on stderr) when what was printed could
 * not all be written. */
bool cli_stdout_ok(void);

/* Prints "gazette CMD: " and the message, and where the usage is, on one
 * line to stderr; returns 2, the exit status of a command line not
 * understood. */
int cli_usage_fail(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* cli_usage_fail() for what getopt_long() (with ':' first in its short
 * options, and the long ones of opts) returned as c, '?' or ':': an
 * unknown option, one without its value, or one given a value it takes
 * none of. */
int cli_bad_option(const char *cmd, int c, char **argv, const struct option *opts);

/* Sets the log threshold from GAZETTE_LOG_LEVEL; false (said) when it
 * names no level.  Commands call it after reading their options. */
bool cli_env_log_level(void);

/* Sets the log threshold from a name; returns false if unknown. */
bool cli_log_level(const char *name);

#endif
