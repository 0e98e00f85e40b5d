/* SPDX-License-Identifier: MIT */
/* Allocation wrappers with one out-of-memory policy for the whole toolkit. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_mem.h"

static void (*oom_handler)(void);
static long fail_countdown = -2;	/* -2: not read yet, -1: off */

static void
default_oom(void)
{
	fputs("out of memory\n", stderr);
	exit(1);
}

void
crm_set_oom_handler(void (*handler)(void))
{
	oom_handler = handler;
}

static void
oom(void)
{
	if (oom_handler != NULL)
		oom_handler();
	default_oom();
}

/*
 * The torture knob: CRM_TEST_FAIL_ALLOC=N makes the Nth allocation fail, so
 * tests can prove that every path reports out-of-memory cleanly.
 */
static int
should_fail(void)
{
	const char *v;

	if (fail_countdown == -2) {
		v = getenv("CRM_TEST_FAIL_ALLOC");
		fail_countdown = (v != NULL && *v != '\0') ? atol(v) : -1;
		if (fail_countdown <= 0)
			fail_countdown = -1;
	}
	if (fail_countdown < 0)
		return 0;
	return --fail_countdown == 0;
}

void *
crm_xmalloc(size_t n)
{
	void *p;

	p = should_fail() ? NULL : malloc(n == 0 ? 1 : n);
	if (p == NULL)
		oom();
	return p;
}

void *
crm_xaligned(size_t align, size_t nmemb, size_t size)
{
	void *p = NULL;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if (nmemb > SIZE_MAX / size || should_fail() ||
	    posix_memalign(&p, align, nmemb * size) != 0)
		oom();
	return p;
}

void *
crm_xcalloc(size_t nmemb, size_t size)
{
	void *p;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	p = should_fail() ? NULL : calloc(nmemb, size);
	if (p == NULL)
		oom();
	return p;
}

void *
crm_xreallocarray(void *p, size_t nmemb, size_t size)
{
	void *q;

	if (size != 0 && nmemb > SIZE_MAX / size)
		oom();
	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	q = should_fail() ? NULL : realloc(p, nmemb * size);
	if (q == NULL)
		oom();
	return q;
}

char *
crm_xstrdup(const char *s)
{
	return crm_xstrndup(s, strlen(s));
}

char *
crm_xstrndup(const char *s, size_t n)
{
	char *p;
	const char *nul;

	if ((nul = memchr(s, '\0', n)) != NULL)
		n = (size_t)(nul - s);
	p = crm_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
