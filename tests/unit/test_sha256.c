/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_sha256 against the FIPS 180-4 example vectors. */
#include <stdlib.h>
#include <string.h>

#include "crm_int.h"
#include "crm_mem.h"
#include "crm_sha256.h"
#include "tap.h"

static void
hash(const void *p, size_t n, size_t step, char hex[65])
{
	struct crm_sha256 c;
	const char *s = p;
	size_t k;

	crm_sha256_init(&c);
	while (n > 0) {
		k = n < step ? n : step;
		crm_sha256_update(&c, s, k);
		s += k;
		n -= k;
	}
	crm_sha256_hex(&c, hex);
}

static void
test_vectors(void)
{
	static const struct {
		const char *in;
		const char *want;
	} cases[] = {
		{ "",
		  "e3b0c44298fc1c149afbf4c8996fb924"
		  "27ae41e4649b934ca495991b7852b855" },
		{ "abc",
		  "ba7816bf8f01cfea414140de5dae2223"
		  "b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039"
		  "a33ce45964ff2167f6ecedd419db06c1" },
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		  "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		  "cf5b16a778af8380036ce59e7b049237"
		  "0b249b11e8f07a51afac45037afee9d1" },
		/* 55, 56, 63 and 64 bytes straddle the padding boundary. */
		{ "0123456789012345678901234567890123456789012345678901234",
		  "f34d5a0f80c0cbf84c8c0b90218c2263"
		  "7abd199965249da736a20143c8c9c9d9" },
		{ "01234567890123456789012345678901234567890123456789012345",
		  "83aa034bda83e458a0dc9cbce0d4e354"
		  "716aa0ff770ed37ac0ed2b292052e4af" },
		{ "0123456789012345678901234567890123456789"
		  "01234567890123456789012",
		  "074f6e9ac301d5d1b6df6f1dfb8c6f89"
		  "c187ea945d352ce6a29279a9c630680b" },
		{ "0123456789012345678901234567890123456789"
		  "012345678901234567890123",
		  "9674d9e078535b7cec43284387a6ee39"
		  "956188e735a85452b0050b55341cda56" },
	};
	static const size_t steps[] = { 1, 3, 64, 1000 };
	char hex[65];
	size_t i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (j = 0; j < sizeof(steps) / sizeof(steps[0]); j++) {
			hash(cases[i].in, strlen(cases[i].in), steps[j], hex);
			is_str(hex, cases[i].want, "vector %zu in steps of %zu",
			    i, steps[j]);
		}
}

static void
test_million(void)
{
	struct crm_sha256 c;
	char *a, hex[65];

	a = crm_xmalloc(1000000);
	memset(a, 'a', 1000000);
	hash(a, 1000000, 1000000, hex);
	is_str(hex,
	    "cdc76e5c9914fb9281a1c7e284d73e67"
	    "f1809a48a497200e046d39ccc7112cd0",
	    "one million 'a' at once");
	hash(a, 1000000, 997, hex);
	is_str(hex,
	    "cdc76e5c9914fb9281a1c7e284d73e67"
	    "f1809a48a497200e046d39ccc7112cd0",
	    "one million 'a' in odd steps");
	crm_sha256_init(&c);
	crm_sha256_update(&c, "ab", 2);
	crm_sha256_hex(&c, hex);
	crm_sha256_update(&c, "c", 1);
	crm_sha256_hex(&c, hex);
	is_str(hex,
	    "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad",
	    "hex leaves the context usable");
	free(a);
}

int
main(void)
{
	int accel;

	/* Once with the CPU's SHA instructions if it has them, once without. */
	for (accel = 1; accel >= 0; accel--) {
		crm_sha256_set_accel(accel);
		test_vectors();
		test_million();
	}
	return done_testing();
}
