/* SPDX-License-Identifier: MIT */
/* Churn features and labels as of a date; P(alive) for shops without labels. */
#ifndef CRM_CHURNFEAT_H
#define CRM_CHURNFEAT_H

#include <stddef.h>
#include <stdint.h>

#include "crm_clv.h"
#include "crm_csv.h"
#include "crm_err.h"
#include "crm_life.h"
#include "crm_rfm.h"
#include "crm_store.h"

/*
 * Inputs.  Orders come from CSV files, read by crm-rfm's reader
 * (crm_rfm_orders: the same columns customer_id, order_date, amount and
 * optional order_id, the same checks and error messages), plus an
 * optional product column; or, with a store and no files, from the
 * store's orders table.  Interactions (customer_id, at, and optional
 * channel and kind) come from the CSV file o->interactions, or from the
 * store's interactions table when the orders do.  In the store, a
 * customer merged into another (a row of merge_links) counts under its
 * survivor_id: its orders and interactions are the survivor's.
 *
 * A purchase is an order row with an amount >= 0; a refund one with an
 * amount < 0.  A purchase day is a day with at least one purchase.
 * Orders are distinct order_id values among the purchases (a purchase
 * without an order_id is an order of its own), as crm-rfm counts them;
 * an order belongs to the earliest day of its purchase rows.
 *
 * Dates are day numbers (crm_date_days).  With A the as-of date, W the
 * window and H the horizon (in days), only orders dated <= A and
 * interactions at or before A (their day <= A) make the features; orders
 * after A make only the label.
 *
 * FEATURES, one row per customer with at least one purchase dated <= A,
 * in customer_id order (bytewise).  Customers whose first purchase is
 * after A are not rows; nor are customers with only refunds up to A
 * (counted in o->refunds_only).  With d1 < ... < dn the purchase days
 * <= A (n >= 1):
 *
 *   customer_id         the customer (the survivor of a merge)
 *   recency_days        A - dn
 *   frequency           orders dated <= A
 *   monetary            net amount of the order rows dated <= A (refunds
 *                       subtract), exact decimal text such as "120.50"
 *   avg_order           monetary / frequency, rounded to the cent, halves
 *                       away from zero
 *   tenure_days         A - d1
 *   orders_<W>d         orders of the days in (A - W, A]
 *   revenue_<W>d        net amount of the rows in (A - W, A]
 *   orders_prev_<W>d    orders of the days in (A - 2W, A - W]
 *   revenue_prev_<W>d   net amount of the rows in (A - 2W, A - W]
 *   spend_trend         revenue_<W>d - revenue_prev_<W>d (a difference,
 *                       so 0 - 0 is 0 and no ratio divides by zero)
 *   gap_mean            the mean of the n - 1 gaps between consecutive
 *                       purchase days, (dn - d1) / (n - 1); empty when
 *                       n < 2
 *   gap_median          their median (the mean of the two middle gaps when
 *                       their number is even); empty when n < 2
 *   gap_last_ratio      recency_days / gap_median; empty when n < 2
 *   distinct_products   distinct non-empty product values of the
 *                       purchase rows dated <= A (0 without the column)
 *   interactions_<W>d   interactions whose day is in (A - W, A]
 *   int_kind_<k>_<W>d   of those, the ones of kind k; one column for each
 *                       of the o->max_kinds kinds most frequent among all
 *                       the interactions at or before A (all customers,
 *                       all partitions), ties by name; k is the kind in
 *                       lower case with each run of characters other than
 *                       ASCII letters, digits and non-ASCII UTF-8 turned
 *                       into one '_' (none at either end); an empty k is
 *                       no kind
 *   int_channel_<c>_<W>d  the same for the channel
 *   churned             1 when the customer has no purchase day in
 *                       (A, A + H], 0 when it has one (an order exactly on
 *                       A + H is a purchase within the horizon); only when
 *                       the latest order date read, L, is >= A + H
 *                       (o->labelled is then 1), else no such column
 *
 * Amounts are in the money text of crm_money_format, the gap columns
 * and gap_last_ratio have two decimals (rounded, halves away from zero),
 * the rest are integers.
 *
 * The default as-of date of the features, with F and L the earliest and
 * latest order dates read (any partition, refunds included): L - H when
 * L - H >= F, so that the history up to A has orders and every row has
 * its label; else L, with no label.
 *
 * ALIVE, one row per customer with a purchase dated <= A, in customer_id
 * order, from the BG/NBD model (crm_clv.h) fitted in weeks to every row
 * (or o->bg when o->has_params):
 *
 *   customer_id
 *   frequency           x = n - 1, the repeat purchase days
 *   recency             dn - d1, in days (t_x)
 *   T                   A - d1, in days
 *   p_alive             P(alive | x, t_x, T), crm_bgnbd_p_alive
 *   p_no_purchase_<H>d  P(no purchase in the next H days)
 *                       = 1 - P(alive) + P(alive) P(none in H | alive),
 *                       crm_bgnbd_p_none (derivation in crm_clv.c)
 *   gap_risk            (A - dn) / G*, where G* is crm_life's threshold
 *                       gap: max(median gap, o->life.min_gap) for n >= 2,
 *                       o->life.single_gap for a one-time buyer
 *
 * The probabilities have six decimals, gap_risk two.  The default as-of
 * date of alive is the day after L, as crm-rfm's.
 */

struct crm_churnfeat_opts {
	struct crm_csv_opts csv;	/* for the orders and interactions */
	long as_of;			/* day number (crm_date_days) */
	int has_as_of;			/* else the defaults above */
	long horizon;			/* H in days, >= 1; default 90 */
	long window;			/* W in days, >= 1; default 90 */
	size_t max_kinds;		/* kind (and channel) columns: 10 */
	unsigned part_k, part_n;	/* keep partition k of n; n 0: all */
	const char *interactions;	/* interactions CSV, or NULL */
	struct crm_life_opts life;	/* alive: gap_risk's floor */
	int has_params;			/* alive: use bg, do not fit */
	struct crm_bgnbd bg;		/* alive: given, or out: fitted */
	struct crm_rfm_hooks hooks;	/* progress only */
	/* Out. */
	long used_as_of;		/* the as-of date of the run */
	int labelled;			/* features: the churned column */
	unsigned long customers;	/* rows given to the callback */
	unsigned long refunds_only;	/* customers with only refunds */
};

/* Defaults: horizon and window 90 days, 10 kinds, crm_life's floors. */
void crm_churnfeat_opts_init(struct crm_churnfeat_opts *o);

/*
 * Parse a duration s (borrowed) into *days: a whole number of days, or
 * one followed by d (days), w (weeks of 7 days), m (months of 30.4375
 * days, crm-rfm's month, rounded to the nearest day, halves up: 3m is
 * 91) or y (years of 365.25 days, rounded: 1y is 365, 2y 731); 1 to
 * 36525 days.  Returns
 * 0, or -1 with e set (CRM_ERR_USAGE) to "OPTION: 'S' is not a duration
 * (such as 90, 90d, 12w, 3m or 1y)" or "OPTION: 'S' is out of range (1
 * to 36525 days)"; option (borrowed) names it, "--horizon" for instance.
 */
int crm_churnfeat_parse_days(const char *s, const char *option, long *days,
    struct crm_error *e);

/*
 * Check that the options fit together (horizon and window >= 1, the
 * life options, partition k < n).  0, or -1 with e set (CRM_ERR_USAGE).
 */
int crm_churnfeat_check(const struct crm_churnfeat_opts *o,
    struct crm_error *e);

/*
 * Compute the features above from files[0..nfiles) (no files: standard
 * input), or from store when nfiles is 0 and store is non-NULL, and the
 * interactions as said above.  fn is called once with the column names
 * as the values, then once per row, values[i][0..lens[i]) being column
 * i (NUL-terminated too; borrowed for the call; an empty value is "");
 * a -1 from it (with e filled) stops the run.  Sets o->used_as_of,
 * o->labelled, o->customers and o->refunds_only.  Returns 0, or -1 with
 * e filled: the reader's errors (crm_rfm_orders for CSV orders; for the
 * store "orders row N:
 * order_date: invalid date '...'"), interactions' errors such as
 * "i.csv:1: no column 'at'" or "i.csv:7:2: at: invalid date 'x'", the
 * store's, or fn's.  With no order at all, fn gets the header only.
 */
int crm_churnfeat_features(struct crm_churnfeat_opts *o,
    struct crm_store *store, const char *const *files, size_t nfiles,
    int (*fn)(void *ctx, size_t ncols, const char *const *values,
    const size_t *lens, struct crm_error *e), void *ctx,
    struct crm_error *e);

/*
 * Compute the alive rows above from the orders (as crm_churnfeat_features
 * reads them; interactions are not read), fitting the BG/NBD model unless
 * o->has_params; the model used is left in o->bg.  fn as for
 * crm_churnfeat_features.  Returns 0, or -1 with e filled as there, or
 * with "BG/NBD fit: ..." (CRM_ERR_DATA) when the model cannot be fitted.
 */
int crm_churnfeat_alive(struct crm_churnfeat_opts *o, struct crm_store *store,
    const char *const *files, size_t nfiles,
    int (*fn)(void *ctx, size_t ncols, const char *const *values,
    const size_t *lens, struct crm_error *e), void *ctx,
    struct crm_error *e);

#endif /* CRM_CHURNFEAT_H */
