/* SPDX-License-Identifier: MIT */
/* Allocation that never returns NULL, with a replaceable out-of-memory hook. */
#ifndef CRM_MEM_H
#define CRM_MEM_H

#include <stddef.h>

/*
 * Each of these returns memory owned by the caller, or calls the OOM
 * handler when the allocation fails (or when the test knob
 * CRM_TEST_FAIL_ALLOC=N makes the Nth allocation fail).  The default
 * handler prints "out of memory" and exits 1; a handler must not return.
 */
void *crm_xmalloc(size_t n);
void *crm_xcalloc(size_t nmemb, size_t size);
void *crm_xreallocarray(void *p, size_t nmemb, size_t size);
/* nmemb * size bytes at a multiple of align (a power of two), for free. */
void *crm_xaligned(size_t align, size_t nmemb, size_t size);
char *crm_xstrdup(const char *s);
char *crm_xstrndup(const char *s, size_t n);

/* Replace the OOM handler; NULL restores the default. */
void crm_set_oom_handler(void (*handler)(void));

#endif /* CRM_MEM_H */
