/* SPDX-License-Identifier: MIT */
/* The algorithms of crm-lists: check characters, balanced cells, reservoir samples, allocation. */
#ifndef CRM_LISTALG_H
#define CRM_LISTALG_H

#include <stddef.h>
#include <stdint.h>

#include "crm_rand.h"

/*
 * The check character of a code: the Damm algorithm over the 36 letters
 * and digits.  Letters are read upper-case; '-', '_' and '.' are skipped.
 * Returns the check character ('0'-'9', 'A'-'Z'), or -1 when s[0..n) has
 * any other character.
 */
int crm_listalg_check_char(const char *s, size_t n);

/*
 * Nonzero when the last character of s[0..n) is the check character of
 * the characters before it (case-insensitively).
 */
int crm_listalg_check_valid(const char *s, size_t n);

#define CRM_LISTALG_MAX_CELLS 10

/*
 * Cell shares in whole percent, reduced to a block: block rows hold
 * exactly k[c] rows of cell c, and feasible[] says which states of a
 * block can still be completed within quota (see crm_listalg.c).
 */
struct crm_listalg_cells {
	size_t ncells;
	unsigned k[CRM_LISTALG_MAX_CELLS];
	unsigned block;			/* sum of k */
	unsigned char *feasible;	/* (block + 1) << ncells flags */
};

/* Where one stratum is within its block. */
struct crm_listalg_deal {
	unsigned t;			/* rows dealt in this block */
	unsigned mask;			/* cells at their upper quota */
};

/*
 * Set up cells with shares pct[0..n) (each >= 1, summing to 100;
 * n <= CRM_LISTALG_MAX_CELLS).  Returns 0, or -1 when the shares are
 * not such.
 */
int crm_listalg_cells_init(struct crm_listalg_cells *c,
    const unsigned *pct, size_t n);
void crm_listalg_cells_release(struct crm_listalg_cells *c);

/*
 * Deal the next row of a stratum (state d, zeroed for a new stratum) to
 * a cell, drawing from r; returns the cell's index.  After m rows of a
 * stratum, every cell c holds more than m * pct[c] / 100 - 1 and less
 * than m * pct[c] / 100 + 1 of them.
 */
size_t crm_listalg_deal(const struct crm_listalg_cells *c,
    struct crm_listalg_deal *d, struct crm_rand *r);

/*
 * Reservoir sampling (Vitter's algorithm R) of k items: for the i-th
 * item offered (0-based) returns the slot it goes into (0 .. k-1,
 * replacing the slot's item), or -1 when it is not kept.  Every item of
 * a stream ends up kept with probability k / n.
 */
long long crm_listalg_reservoir(uint64_t i, uint64_t k, struct crm_rand *r);

/*
 * Proportional allocation of total rows among strata of sizes
 * size[0..n) into take[0..n) by the largest-remainder (Hamilton) rule:
 * each stratum gets floor(total * size / sum), then the rows left over
 * go one each to the strata with the largest remainders, ties to the
 * earlier stratum.  When total >= sum every stratum is taken whole.
 */
void crm_listalg_allocate(uint64_t total, const uint64_t *size, size_t n,
    uint64_t *take);

#endif /* CRM_LISTALG_H */
