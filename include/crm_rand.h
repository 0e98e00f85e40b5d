/* SPDX-License-Identifier: MIT */
/* A seeded random number generator whose output is the same on every machine. */
#ifndef CRM_RAND_H
#define CRM_RAND_H

#include <stdint.h>

/* The seed --seed takes when it is not given (documented in crm(7)). */
#define CRM_RAND_DEFAULT_SEED 20240101u

/*
 * xoshiro256** (Blackman and Vigna, 2018), seeded by expanding a 64-bit
 * seed with splitmix64.  Fixed here, not taken from libc, because
 * random(3) and rand(3) differ between C libraries and the toolkit
 * promises the same sample and the same test cells everywhere.
 */
struct crm_rand {
	uint64_t s[4];
};

void crm_rand_seed(struct crm_rand *r, uint64_t seed);
/* The next 64 random bits. */
uint64_t crm_rand_next(struct crm_rand *r);
/* A uniform integer in [0, n), n > 0, without modulo bias. */
uint64_t crm_rand_below(struct crm_rand *r, uint64_t n);
/* A uniform double in [0, 1) with 53 random bits. */
double crm_rand_unit(struct crm_rand *r);

#endif /* CRM_RAND_H */
