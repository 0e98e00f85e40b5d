/* SPDX-License-Identifier: MIT */
/* Check characters, cells balanced within quota, reservoir samples and proportional allocation. */
#include <stdlib.h>
#include <string.h>

#include "crm_listalg.h"
#include "crm_mem.h"

/*
 * Check characters.  ISO 7064 MOD 37,36 was the first candidate, but as a
 * hybrid system it misses some adjacent transpositions (it passes
 * "2Q4O89J" for "2Q4O98J").  The Damm algorithm (H. M. Damm, "Totally
 * anti-symmetric quasigroups for all orders n != 2, 6", Discrete
 * Mathematics 307 (2007) 715-729) catches every single substitution and
 * every adjacent transposition for any totally anti-symmetric quasigroup.
 * Ours has order 36 = 4 * 9: the direct product of x * y = a x + y over
 * GF(4) (a = the root of t^2 + t + 1) and over GF(9) = GF(3)[t]/(t^2 + 1)
 * (a = t); a x + y is totally anti-symmetric for any a other than 0 and
 * 1, and a direct product of such quasigroups is one too.  A character's
 * value v (0-9, then A-Z as 10-35) is the pair (v / 9, v % 9).  Damm's
 * published example uses his order-10 table, so it does not apply here;
 * the unit test checks the properties themselves instead.
 */
static unsigned
gf4_mul_a(unsigned x)
{
	/* t * x mod t^2 + t + 1, x = x1 t + x0 */
	unsigned r = x << 1;

	return (r & 4) ? r ^ 7 : r;
}

static unsigned
gf9_mul_a(unsigned x)
{
	/* t * (x0 + x1 t) = -x1 + x0 t, digits base 3: x = x0 + 3 x1 */
	unsigned x0 = x % 3, x1 = x / 3;

	return (3 - x1) % 3 + 3 * x0;
}

static unsigned
gf9_add(unsigned x, unsigned y)
{
	return (x % 3 + y % 3) % 3 + 3 * ((x / 3 + y / 3) % 3);
}

static unsigned
gf9_neg(unsigned x)
{
	return (3 - x % 3) % 3 + 3 * ((3 - x / 3) % 3);
}

static unsigned
damm_op(unsigned x, unsigned y)
{
	return 9 * (gf4_mul_a(x / 9) ^ (y / 9)) +
	    gf9_add(gf9_mul_a(x % 9), y % 9);
}

/* The value of c, -2 for a separator, -1 for anything else. */
static int
char_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c == '-' || c == '_' || c == '.')
		return -2;
	return -1;
}

static int
damm_interim(const char *s, size_t n, unsigned *interim)
{
	size_t i;
	int v;

	*interim = 0;
	for (i = 0; i < n; i++) {
		if ((v = char_value((unsigned char)s[i])) == -1)
			return -1;
		if (v >= 0)
			*interim = damm_op(*interim, (unsigned)v);
	}
	return 0;
}

int
crm_listalg_check_char(const char *s, size_t n)
{
	static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	unsigned x, c;

	if (damm_interim(s, n, &x) == -1)
		return -1;
	/* x * c = 0: a x + c = 0 in both fields (in GF(4) -y = y). */
	c = 9 * gf4_mul_a(x / 9) + gf9_neg(gf9_mul_a(x % 9));
	return digits[c];
}

int
crm_listalg_check_valid(const char *s, size_t n)
{
	unsigned x;

	if (n == 0 || char_value((unsigned char)s[n - 1]) < 0)
		return 0;
	return damm_interim(s, n, &x) == 0 && x == 0;
}

/*
 * Cells.  Every cell c should hold m * p[c] of the first m rows of a
 * stratum, to within less than one row, for every m, since a stream does
 * not know where a stratum ends.  So after m rows cell c holds
 * floor(m p) or ceil(m p) rows: the quota condition of Balinski and
 * Young's apportionment.  Shares in percent reduce to a block of
 * B = 100 / gcd rows with exactly k[c] rows of cell c, after which the
 * counts are exact and the next block starts afresh.  Within a block the
 * state after t rows is which cells sit at their ceiling (a bit mask),
 * and feasible[] records, by dynamic programming from the block's end,
 * the states from which the block can still be completed within quota
 * (some states within quota lead only into dead ends when there are
 * four cells or more).  Each row then goes to a cell drawn uniformly
 * among those that keep the state feasible: the order is random, the
 * counts are always within one row of the exact shares.
 */
static unsigned
gcd(unsigned a, unsigned b)
{
	while (b != 0) {
		unsigned r = a % b;

		a = b;
		b = r;
	}
	return a;
}

/* The state after adding a row of cell c to (t, mask), or -1 past quota. */
static int
next_mask(const struct crm_listalg_cells *c, unsigned t, unsigned mask,
    size_t cell)
{
	unsigned next = 0, lo, lo1, cnt, B = c->block;
	size_t x;

	for (x = 0; x < c->ncells; x++) {
		lo = t * c->k[x] / B;
		cnt = lo + ((mask >> x) & 1) + (x == cell);
		lo1 = (t + 1) * c->k[x] / B;
		if (cnt < lo1 || cnt > lo1 + 1)
			return -1;
		if (cnt == lo1 + 1) {
			if ((t + 1) * c->k[x] % B == 0)
				return -1;
			next |= 1u << x;
		}
	}
	return (int)next;
}

int
crm_listalg_cells_init(struct crm_listalg_cells *c, const unsigned *pct,
    size_t n)
{
	unsigned g = 0, sum = 0, t, mask, nmask;
	size_t i;
	int m;

	memset(c, 0, sizeof(*c));
	if (n == 0 || n > CRM_LISTALG_MAX_CELLS)
		return -1;
	for (i = 0; i < n; i++) {
		if (pct[i] == 0 || pct[i] > 100)
			return -1;
		sum += pct[i];
		g = gcd(pct[i], g);
	}
	if (sum != 100)
		return -1;
	c->ncells = n;
	for (i = 0; i < n; i++)
		c->k[i] = pct[i] / g;
	c->block = 100 / g;
	nmask = 1u << n;
	c->feasible = crm_xcalloc((size_t)(c->block + 1) * nmask, 1);
	c->feasible[(size_t)c->block * nmask] = 1;
	for (t = c->block; t-- > 0;)
		for (mask = 0; mask < nmask; mask++)
			for (i = 0; i < n; i++) {
				m = next_mask(c, t, mask, i);
				if (m >= 0 && c->feasible[(size_t)(t + 1) *
				    nmask + (unsigned)m]) {
					c->feasible[(size_t)t * nmask + mask] = 1;
					break;
				}
			}
	return 0;
}

void
crm_listalg_cells_release(struct crm_listalg_cells *c)
{
	if (c == NULL)
		return;
	free(c->feasible);
	c->feasible = NULL;
}

size_t
crm_listalg_deal(const struct crm_listalg_cells *c,
    struct crm_listalg_deal *d, struct crm_rand *r)
{
	size_t cand[CRM_LISTALG_MAX_CELLS], n = 0, i, pick;
	unsigned nmask = 1u << c->ncells;
	int next[CRM_LISTALG_MAX_CELLS], m;

	for (i = 0; i < c->ncells; i++) {
		m = next_mask(c, d->t, d->mask, i);
		if (m >= 0 && c->feasible[(size_t)(d->t + 1) * nmask +
		    (unsigned)m]) {
			next[n] = m;
			cand[n++] = i;
		}
	}
	/* The initial state is feasible and feasibility is kept: n > 0. */
	i = n > 1 ? (size_t)crm_rand_below(r, n) : 0;
	pick = cand[i];
	d->mask = (unsigned)next[i];
	if (++d->t == c->block)
		d->t = d->mask = 0;
	return pick;
}

long long
crm_listalg_reservoir(uint64_t i, uint64_t k, struct crm_rand *r)
{
	uint64_t j;

	if (i < k)
		return (long long)i;
	j = crm_rand_below(r, i + 1);
	return j < k ? (long long)j : -1;
}

struct rem {
	uint64_t rem;
	size_t i;
};

static int
cmp_rem(const void *a, const void *b)
{
	const struct rem *x = a, *y = b;

	if (x->rem != y->rem)
		return x->rem > y->rem ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

void
crm_listalg_allocate(uint64_t total, const uint64_t *size, size_t n,
    uint64_t *take)
{
	struct rem *r;
	uint64_t sum = 0, given = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += size[i];
	if (total >= sum) {
		memcpy(take, size, n * sizeof(*take));
		return;
	}
	r = crm_xcalloc(n > 0 ? n : 1, sizeof(*r));
	for (i = 0; i < n; i++) {
		long double q = (long double)total * size[i] / sum;

		/*
		 * The quotient may be off by one where long double rounds;
		 * the remainder, exact modulo 2^64 even when the product
		 * overflows, then lies outside [0, sum) and corrects it.
		 */
		take[i] = (uint64_t)q;
		r[i].rem = total * size[i] - take[i] * sum;
		if (r[i].rem >= (UINT64_C(1) << 63)) {
			take[i]--;
			r[i].rem += sum;
		} else if (r[i].rem >= sum) {
			take[i]++;
			r[i].rem -= sum;
		}
		r[i].i = i;
		given += take[i];
	}
	qsort(r, n, sizeof(*r), cmp_rem);
	for (i = 0; given < total && i < n; i++, given++)
		take[r[i].i]++;
	free(r);
}
