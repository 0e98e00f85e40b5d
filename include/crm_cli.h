/* SPDX-License-Identifier: MIT */
/* Helpers the programs share: program name, diagnostics, option values, progress. */
#ifndef CRM_CLI_H
#define CRM_CLI_H

#include <stddef.h>

#include "crm_err.h"

/* Remember the program's name (the basename of argv0) for messages. */
void crm_setprogname(const char *argv0);
const char *crm_getprogname(void);

/* Drop warnings (crm_warnx, crm_report_*) when quiet is nonzero. */
void crm_set_quiet(int quiet);

/* "prog: " + the formatted error on standard error. */
void crm_perror(const struct crm_error *e);
/* "prog: " + message. */
void crm_errx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: warning: " + message, unless quiet. */
void crm_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Print usage (a complete block ending in a newline) on standard error
 * and return 2, for "return crm_usage(u);" after a bad command line.
 */
int crm_usage(const char *usage);
/* Print "prog (crm toolkit) VERSION" on standard output. */
void crm_version(void);

/*
 * Parse s as a whole decimal integer in [min, max] (strtonum(3)'s rules).
 * On failure print "prog: OPTION: 'S' is invalid" (or "too small" /
 * "too large") and return -1.
 */
int crm_cli_number(const char *s, long long min, long long max,
    const char *option, long long *out);

/*
 * Parse s as a decimal number in [min, max] written in the C locale's
 * plain notation (digits, a point, an exponent; no hex, inf or nan), with
 * the messages of crm_cli_number.
 */
int crm_cli_real(const char *s, double min, double max, const char *option,
    double *out);

/*
 * Parse a delimiter argument: one byte, or "tab" / "\t".  Returns the
 * byte, or -1 after printing an error.
 */
int crm_cli_delim(const char *s);

/*
 * Find s among words (a NULL-terminated list of two or more) and return
 * its index; otherwise print "prog: OPTION: 'S' is not A, B or C" and
 * return -1.
 */
int crm_cli_choice(const char *option, const char *s,
    const char *const *words);

/* Parse "K/N" with 0 <= K < N <= 65536; -1 after printing an error. */
int crm_cli_partition(const char *s, unsigned *k, unsigned *n);

/*
 * crm_cli_number, crm_cli_real and crm_cli_partition for library code
 * that parses option values: the same checks, with the message (the same
 * words) in e, as CRM_ERR_USAGE, instead of printed.  0, or -1.
 */
int crm_cli_parse_number(const char *s, long long min, long long max,
    const char *option, long long *out, struct crm_error *e);
int crm_cli_parse_real(const char *s, double min, double max,
    const char *option, double *out, struct crm_error *e);
int crm_cli_parse_partition(const char *s, unsigned *k, unsigned *n,
    struct crm_error *e);

/*
 * The command line as one string, words joined by spaces, for logs that
 * say what made a record.  The caller frees it.
 */
char *crm_cli_command_line(int argc, char *const argv[]);

/* The store path: the --db value if given, else $CRM_DB, else NULL. */
const char *crm_cli_db(const char *opt);

/*
 * Per-row diagnostics with a cap: the first limit are printed, the rest
 * counted; crm_report_flush prints "N more errors" (or warnings).
 */
struct crm_report {
	unsigned long limit;
	unsigned long errors, warnings;
};

void crm_report_init(struct crm_report *r, unsigned long limit);
void crm_report_error(struct crm_report *r, const struct crm_error *e);
void crm_report_warning(struct crm_report *r, const struct crm_error *e);
void crm_report_flush(struct crm_report *r);

/*
 * A progress line on standard error, redrawn at most four times a second,
 * only when standard error is a terminal and not quiet.
 */
struct crm_progress {
	int on;
	double last;
	double start;
};

void crm_progress_init(struct crm_progress *p, int quiet);
void crm_progress_show(struct crm_progress *p, const char *name,
    unsigned long long rows, unsigned long long bytes);
void crm_progress_done(struct crm_progress *p);
/*
 * Library hooks for a tool whose hook context is its struct crm_progress:
 * a warning ends the progress line and is printed with crm_warnx; progress
 * redraws it.
 */
void crm_cli_warning_hook(void *progress, const struct crm_error *e);
void crm_cli_progress_hook(void *progress, const char *name,
    unsigned long long rows, unsigned long long bytes);

/* Seconds on a monotonic clock, for durations in summaries. */
double crm_now(void);

#endif /* CRM_CLI_H */
