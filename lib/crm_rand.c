/* SPDX-License-Identifier: MIT */
/* xoshiro256** seeded by splitmix64: the same stream on every machine. */
#include "crm_rand.h"

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void
crm_rand_seed(struct crm_rand *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

uint64_t
crm_rand_next(struct crm_rand *r)
{
	uint64_t *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

/*
 * Rejection sampling: draws below 2^64 mod n would favour the small
 * values, so they are drawn again (at most half of all draws, and almost
 * never for the n the toolkit uses).
 */
uint64_t
crm_rand_below(struct crm_rand *r, uint64_t n)
{
	uint64_t x, floor = (0 - n) % n;

	do
		x = crm_rand_next(r);
	while (x < floor);
	return x % n;
}

double
crm_rand_unit(struct crm_rand *r)
{
	return (double)(crm_rand_next(r) >> 11) * 0x1.0p-53;
}
