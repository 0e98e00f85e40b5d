/* SPDX-License-Identifier: MIT */
/* SHA-256 as specified in FIPS 180-4, written for streaming use. */
#include <stdint.h>
#include <string.h>

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#define HAVE_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

#include "crm_int.h"
#include "crm_sha256.h"

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

#define ROR(x, n)	(((x) >> (n)) | ((x) << (32 - (n))))
#define CH(x, y, z)	(((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z)	(((x) & (y)) | ((z) & ((x) | (y))))
#define BSIG0(x)	(ROR(x, 2) ^ ROR(x, 13) ^ ROR(x, 22))
#define BSIG1(x)	(ROR(x, 6) ^ ROR(x, 11) ^ ROR(x, 25))
#define SSIG0(x)	(ROR(x, 7) ^ ROR(x, 18) ^ ((x) >> 3))
#define SSIG1(x)	(ROR(x, 17) ^ ROR(x, 19) ^ ((x) >> 10))

/*
 * One round with the working variables renamed instead of shifted, so
 * the compiler keeps all eight in registers.
 */
#define ROUND(a, b, c, d, e, f, g, h, i) do {				\
	uint32_t t1_ = (h) + BSIG1(e) + CH(e, f, g) + K[i] + w[(i) & 15]; \
	(d) += t1_;							\
	(h) = t1_ + BSIG0(a) + MAJ(a, b, c);				\
} while (0)

#define SCHED(i) (w[(i) & 15] += SSIG1(w[((i) - 2) & 15]) +		\
	w[((i) - 7) & 15] + SSIG0(w[((i) - 15) & 15]))

static uint32_t
load_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void
compress_c(uint32_t h[8], const unsigned char *p, size_t nblocks)
{
	uint32_t a, b, c, d, e, f, g, hh, w[16];
	int i;

	for (; nblocks > 0; nblocks--, p += 64) {
		for (i = 0; i < 16; i++)
			w[i] = load_be32(p + 4 * i);
		a = h[0]; b = h[1]; c = h[2]; d = h[3];
		e = h[4]; f = h[5]; g = h[6]; hh = h[7];
		for (i = 0; i < 64; i += 8) {
			if (i >= 16) {
				SCHED(i); SCHED(i + 1); SCHED(i + 2);
				SCHED(i + 3); SCHED(i + 4); SCHED(i + 5);
				SCHED(i + 6); SCHED(i + 7);
			}
			ROUND(a, b, c, d, e, f, g, hh, i);
			ROUND(hh, a, b, c, d, e, f, g, i + 1);
			ROUND(g, hh, a, b, c, d, e, f, i + 2);
			ROUND(f, g, hh, a, b, c, d, e, i + 3);
			ROUND(e, f, g, hh, a, b, c, d, i + 4);
			ROUND(d, e, f, g, hh, a, b, c, i + 5);
			ROUND(c, d, e, f, g, hh, a, b, i + 6);
			ROUND(b, c, d, e, f, g, hh, a, i + 7);
		}
		h[0] += a; h[1] += b; h[2] += c; h[3] += d;
		h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
	}
}

#ifdef HAVE_SHA_NI
/*
 * The same compression with the x86 SHA extensions, which hash several
 * times faster; the import checksum otherwise costs more than parsing.
 * Four rounds per step: cur holds W[4g..4g+3], next and prev the groups
 * after and before it, which sha256msg1/msg2 extend as the rounds go.
 */
#define QROUND(g, cur, prev, next) do {					\
	msg = _mm_add_epi32(cur,					\
	    _mm_loadu_si128((const __m128i *)(const void *)(K + 4 * (g)))); \
	s1 = _mm_sha256rnds2_epu32(s1, s0, msg);			\
	if ((g) >= 3 && (g) <= 14) {					\
		tmp = _mm_alignr_epi8(cur, prev, 4);			\
		next = _mm_add_epi32(next, tmp);			\
		next = _mm_sha256msg2_epu32(next, cur);			\
	}								\
	msg = _mm_shuffle_epi32(msg, 0x0e);				\
	s0 = _mm_sha256rnds2_epu32(s0, s1, msg);			\
	if ((g) >= 1 && (g) <= 12)					\
		prev = _mm_sha256msg1_epu32(prev, cur);			\
} while (0)

#define LOAD(i)	_mm_shuffle_epi8(_mm_loadu_si128(			\
	(const __m128i *)(const void *)(p + 16 * (i))), mask)

__attribute__((target("sha,sse4.1,ssse3")))
static void
compress_ni(uint32_t h[8], const unsigned char *p, size_t nblocks)
{
	const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bLL,
	    0x0405060700010203LL);
	__m128i s0, s1, save0, save1, msg, tmp, m0, m1, m2, m3;

	tmp = _mm_loadu_si128((const __m128i *)(void *)&h[0]);
	s1 = _mm_loadu_si128((const __m128i *)(void *)&h[4]);
	tmp = _mm_shuffle_epi32(tmp, 0xb1);		/* CDAB */
	s1 = _mm_shuffle_epi32(s1, 0x1b);		/* EFGH */
	s0 = _mm_alignr_epi8(tmp, s1, 8);		/* ABEF */
	s1 = _mm_blend_epi16(s1, tmp, 0xf0);		/* CDGH */
	for (; nblocks > 0; nblocks--, p += 64) {
		save0 = s0;
		save1 = s1;
		m0 = LOAD(0);
		m1 = LOAD(1);
		m2 = LOAD(2);
		m3 = LOAD(3);
		QROUND(0, m0, m3, m1);
		QROUND(1, m1, m0, m2);
		QROUND(2, m2, m1, m3);
		QROUND(3, m3, m2, m0);
		QROUND(4, m0, m3, m1);
		QROUND(5, m1, m0, m2);
		QROUND(6, m2, m1, m3);
		QROUND(7, m3, m2, m0);
		QROUND(8, m0, m3, m1);
		QROUND(9, m1, m0, m2);
		QROUND(10, m2, m1, m3);
		QROUND(11, m3, m2, m0);
		QROUND(12, m0, m3, m1);
		QROUND(13, m1, m0, m2);
		QROUND(14, m2, m1, m3);
		QROUND(15, m3, m2, m0);
		s0 = _mm_add_epi32(s0, save0);
		s1 = _mm_add_epi32(s1, save1);
	}
	tmp = _mm_shuffle_epi32(s0, 0x1b);		/* FEBA */
	s1 = _mm_shuffle_epi32(s1, 0xb1);		/* DCHG */
	s0 = _mm_blend_epi16(tmp, s1, 0xf0);		/* DCBA */
	s1 = _mm_alignr_epi8(s1, tmp, 8);		/* HGFE */
	_mm_storeu_si128((__m128i *)(void *)&h[0], s0);
	_mm_storeu_si128((__m128i *)(void *)&h[4], s1);
}

static int
cpu_has_sha_ni(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) ||
	    (c & (1U << 9)) == 0 || (c & (1U << 19)) == 0)
		return 0;		/* SSSE3 and SSE4.1 */
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return (b & (1U << 29)) != 0;	/* SHA */
}
#endif

static int accel = -1;		/* -1: not probed yet */

void
crm_sha256_set_accel(int on)
{
	accel = on ? -1 : 0;
}

static void
compress(uint32_t h[8], const unsigned char *p, size_t nblocks)
{
#ifdef HAVE_SHA_NI
	if (accel == -1)
		accel = cpu_has_sha_ni();
	if (accel == 1) {
		compress_ni(h, p, nblocks);
		return;
	}
#endif
	compress_c(h, p, nblocks);
}

void
crm_sha256_init(struct crm_sha256 *c)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
	};

	memcpy(c->h, iv, sizeof(iv));
	c->len = 0;
	c->used = 0;
}

void
crm_sha256_update(struct crm_sha256 *c, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t k;

	c->len += n;
	if (c->used > 0) {
		k = 64 - c->used;
		if (k > n)
			k = n;
		memcpy(c->block + c->used, s, k);
		c->used += k;
		s += k;
		n -= k;
		if (c->used < 64)
			return;
		compress(c->h, c->block, 1);
		c->used = 0;
	}
	if (n >= 64) {
		compress(c->h, s, n / 64);
		s += n & ~(size_t)63;
		n &= 63;
	}
	if (n > 0) {
		memcpy(c->block, s, n);
		c->used = n;
	}
}

void
crm_sha256_digest(const struct crm_sha256 *c, unsigned char out[32])
{
	struct crm_sha256 t = *c;
	unsigned char pad[72];
	uint64_t bits = c->len * 8;
	size_t npad;
	int i;

	/* Pad with 0x80, zeros, and the bit length so that len ends at 56. */
	npad = (t.used < 56 ? 56 : 120) - t.used;
	memset(pad, 0, sizeof(pad));
	pad[0] = 0x80;
	for (i = 0; i < 8; i++)
		pad[npad + i] = (unsigned char)(bits >> (56 - 8 * i));
	crm_sha256_update(&t, pad, npad + 8);
	for (i = 0; i < 32; i++)
		out[i] = (unsigned char)(t.h[i / 4] >> (24 - 8 * (i % 4)));
}

void
crm_sha256_hex(const struct crm_sha256 *c, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char d[32];
	int i;

	crm_sha256_digest(c, d);
	for (i = 0; i < 32; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 0xf];
	}
	hex[64] = '\0';
}
