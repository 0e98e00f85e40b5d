/* SPDX-License-Identifier: MIT */
/* Shared command-line helpers: the only library module that prints. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crm_buf.h"
#include "crm_cli.h"
#include "crm_mem.h"

static const char *progname = "crm";
static int quiet;

/* The tools' out-of-memory message names the tool, like every other. */
static void
cli_oom(void)
{
	fprintf(stderr, "%s: out of memory\n", progname);
	exit(1);
}

void
crm_setprogname(const char *argv0)
{
	const char *slash;

	crm_set_oom_handler(cli_oom);
	if (argv0 == NULL || *argv0 == '\0')
		return;
	slash = strrchr(argv0, '/');
	progname = slash != NULL ? slash + 1 : argv0;
}

const char *
crm_getprogname(void)
{
	return progname;
}

void
crm_set_quiet(int q)
{
	quiet = q;
}

void
crm_perror(const struct crm_error *e)
{
	char buf[1024];

	fprintf(stderr, "%s: %s\n", progname,
	    crm_error_format(e, buf, sizeof(buf)));
}

void
crm_errx(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
crm_warnx(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	fprintf(stderr, "%s: warning: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
crm_usage(const char *usage)
{
	fputs(usage, stderr);
	return 2;
}

void
crm_version(void)
{
	printf("%s (crm toolkit) %s\n", progname, CRM_VERSION);
}

int
crm_cli_parse_number(const char *s, long long min, long long max,
    const char *option, long long *out, struct crm_error *e)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || (*s < '0' && *s != '-') ||
	    (errno != 0 && errno != ERANGE))
		return crm_error_set(e, CRM_ERR_USAGE, "%s: '%s' is invalid",
		    option, s);
	if (v < min || (errno == ERANGE && v == LLONG_MIN))
		return crm_error_set(e, CRM_ERR_USAGE, "%s: '%s' is too small",
		    option, s);
	if (v > max || (errno == ERANGE && v == LLONG_MAX))
		return crm_error_set(e, CRM_ERR_USAGE, "%s: '%s' is too large",
		    option, s);
	*out = v;
	return 0;
}

int
crm_cli_parse_real(const char *s, double min, double max,
    const char *option, double *out, struct crm_error *e)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (*s == '\0' || *end != '\0' ||
	    strspn(s, "0123456789+-.eE") != strlen(s) || v != v)
		return crm_error_set(e, CRM_ERR_USAGE, "%s: '%s' is invalid",
		    option, s);
	if (v < min)
		return crm_error_set(e, CRM_ERR_USAGE, "%s: '%s' is too small",
		    option, s);
	if (v > max)
		return crm_error_set(e, CRM_ERR_USAGE, "%s: '%s' is too large",
		    option, s);
	*out = v;
	return 0;
}

/* Print what a crm_cli_parse_* function found wrong; -1. */
static int
complain(const struct crm_error *e)
{
	crm_perror(e);
	return -1;
}

int
crm_cli_number(const char *s, long long min, long long max,
    const char *option, long long *out)
{
	struct crm_error e;

	crm_error_init(&e);
	if (crm_cli_parse_number(s, min, max, option, out, &e) == -1)
		return complain(&e);
	return 0;
}

int
crm_cli_real(const char *s, double min, double max, const char *option,
    double *out)
{
	struct crm_error e;

	crm_error_init(&e);
	if (crm_cli_parse_real(s, min, max, option, out, &e) == -1)
		return complain(&e);
	return 0;
}

int
crm_cli_delim(const char *s)
{
	if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0)
		return '\t';
	if (strlen(s) != 1 || s[0] == '"' || s[0] == '\n' || s[0] == '\r') {
		crm_errx("--delimiter: '%s' is not a single byte other than "
		    "a quote or newline", s);
		return -1;
	}
	return (unsigned char)s[0];
}

int
crm_cli_choice(const char *option, const char *s, const char *const *words)
{
	char list[256];
	size_t len = 0;
	int i, n;

	for (n = 0; words[n] != NULL; n++)
		if (strcmp(s, words[n]) == 0)
			return n;
	list[0] = '\0';
	for (i = 0; i < n && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
		    i == 0 ? "" : i == n - 1 ? " or " : ", ", words[i]);
	crm_errx("%s: '%s' is not %s", option, s, list);
	return -1;
}

int
crm_cli_parse_partition(const char *s, unsigned *k, unsigned *n,
    struct crm_error *e)
{
	unsigned long a, b;
	char *end;

	errno = 0;
	if (*s < '0' || *s > '9')
		goto bad;
	a = strtoul(s, &end, 10);
	if (*end != '/' || end[1] < '0' || end[1] > '9')
		goto bad;
	b = strtoul(end + 1, &end, 10);
	if (*end != '\0' || errno != 0 || b == 0 || b > 65536 || a >= b)
		goto bad;
	*k = (unsigned)a;
	*n = (unsigned)b;
	return 0;
bad:
	return crm_error_set(e, CRM_ERR_USAGE, "--partition: '%s' is not K/N "
	    "with 0 <= K < N <= 65536", s);
}

int
crm_cli_partition(const char *s, unsigned *k, unsigned *n)
{
	struct crm_error e;

	crm_error_init(&e);
	if (crm_cli_parse_partition(s, k, n, &e) == -1)
		return complain(&e);
	return 0;
}

char *
crm_cli_command_line(int argc, char *const argv[])
{
	struct crm_buf b = CRM_BUF_INIT;
	int i;

	for (i = 0; i < argc; i++) {
		if (i > 0)
			crm_buf_addc(&b, ' ');
		crm_buf_adds(&b, argv[i]);
	}
	return crm_buf_detach(&b, NULL);
}

const char *
crm_cli_db(const char *opt)
{
	const char *env;

	if (opt != NULL)
		return opt;
	env = getenv("CRM_DB");
	return env != NULL && *env != '\0' ? env : NULL;
}

void
crm_report_init(struct crm_report *r, unsigned long limit)
{
	r->limit = limit;
	r->errors = r->warnings = 0;
}

void
crm_report_error(struct crm_report *r, const struct crm_error *e)
{
	if (r->errors++ < r->limit)
		crm_perror(e);
}

void
crm_report_warning(struct crm_report *r, const struct crm_error *e)
{
	char buf[1024];

	if (quiet)
		return;
	if (r->warnings++ < r->limit)
		fprintf(stderr, "%s: warning: %s\n", progname,
		    crm_error_format(e, buf, sizeof(buf)));
}

void
crm_report_flush(struct crm_report *r)
{
	if (r->errors > r->limit)
		crm_errx("%lu more error%s", r->errors - r->limit,
		    r->errors - r->limit == 1 ? "" : "s");
	if (!quiet && r->warnings > r->limit)
		crm_warnx("%lu more warning%s", r->warnings - r->limit,
		    r->warnings - r->limit == 1 ? "" : "s");
	r->errors = r->warnings = 0;
}

double
crm_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
crm_progress_init(struct crm_progress *p, int q)
{
	p->on = !q && isatty(STDERR_FILENO);
	p->start = p->last = crm_now();
}

void
crm_progress_show(struct crm_progress *p, const char *name,
    unsigned long long rows, unsigned long long bytes)
{
	double t;

	if (!p->on)
		return;
	t = crm_now();
	if (t - p->last < 0.25)
		return;
	p->last = t;
	fprintf(stderr, "\r%s: %s: %llu rows, %.1f MB, %.1f s", progname,
	    name, rows, (double)bytes / 1e6, t - p->start);
}

void
crm_progress_done(struct crm_progress *p)
{
	/* last > start means a line is on the screen. */
	if (p->on && p->last > p->start) {
		fputs("\r\033[K", stderr);
		p->last = p->start;
	}
}

void
crm_cli_warning_hook(void *progress, const struct crm_error *e)
{
	crm_progress_done(progress);
	crm_warnx("%s", e->msg);
}

void
crm_cli_progress_hook(void *progress, const char *name,
    unsigned long long rows, unsigned long long bytes)
{
	crm_progress_show(progress, name, rows, bytes);
}
