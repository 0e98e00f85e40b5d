/* SPDX-License-Identifier: MIT */
/* Customer lifetime value: BG/NBD purchase counts, Gamma-Gamma spend, CLV. */
#ifndef CRM_CLV_H
#define CRM_CLV_H

#include <stddef.h>

#include "crm_err.h"

/*
 * The models work on one summary per customer, taken at the end of a
 * calibration period, in one time unit of the caller's choice (weeks in the
 * papers).  Time runs from the customer's first purchase:
 *
 *   x       repeat purchases, i.e. purchases after the first one (papers
 *           and this module count distinct purchase days);
 *   t_x     time of the last repeat purchase, 0 when x is 0;
 *   T       the customer's age: time from the first purchase to the end of
 *           the calibration period, with 0 <= t_x <= T;
 *   m_x     mean value of the x repeat purchases, > 0 when x >= 1 (only the
 *           Gamma-Gamma model reads it; it is ignored when x is 0);
 *   weight  how many customers share these values: 1 for one customer,
 *           0 to leave the row out.  A fit groups identical rows itself,
 *           so the caller need not.
 *
 * Spend is a double here (a mean of money amounts), not minor units.
 */
struct crm_clv_customer {
	unsigned long x;
	double t_x;
	double T;
	double m_x;
	double weight;
};

/*
 * A BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the
 * easy way").  Purchase rates are gamma(r, alpha) across customers; after
 * each purchase a customer drops out with probability p, and p is
 * beta(a, b) across customers.  loglik is the log-likelihood of the data
 * it was fitted on, n the number of customers (the sum of weights) and
 * iterations the optimiser's iterations; the three are 0 for a model the
 * caller filled in by hand.
 */
struct crm_bgnbd {
	double r;
	double alpha;
	double a;
	double b;
	double loglik;
	double n;
	unsigned iterations;
};

/*
 * A Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV";
 * Fader & Hardie 2013, "The Gamma-Gamma model of monetary value"): each
 * purchase's value is gamma(p, nu), and nu is gamma(q, gamma) across
 * customers.  loglik, n and iterations as in struct crm_bgnbd, counting
 * only the customers with x >= 1.
 */
struct crm_gg {
	double p;
	double q;
	double gamma;
	double loglik;
	double n;
	unsigned iterations;
};

/*
 * Fit a BG/NBD model by maximum likelihood to c[0..n), which is borrowed
 * and left unchanged.  Rows with equal (x, t_x, T) are grouped first, so a
 * million customers whose times lie on a day grid fit in about 2 seconds.
 * The optimiser (BFGS on the logarithms of the parameters with an analytic
 * gradient, from three starting points, then Newton steps) stops when the
 * gradient of the log-likelihood per customer in the log-parameters is
 * below 1e-10, or 1e-7 where rounding stops it earlier; on CDNOW that
 * fixes the parameters to about eight significant digits.
 *
 * Returns 0 with *m filled, or -1 with e set: CRM_ERR_DATA when a row is
 * invalid (the message names its index; e->field names the member), when
 * fewer than 2 customers or no customer with a repeat purchase are given,
 * or when the data cannot identify the model: "the data cannot identify
 * the model: parameter 'b' runs off to 6.3e+08" when the likelihood is
 * largest on the boundary (a parameter goes 18 e-folds, 6.6e7 times,
 * away from its start), or "the optimiser does not converge".  *m is
 * unchanged on failure.
 */
int crm_bgnbd_fit(const struct crm_clv_customer *c, size_t n,
    struct crm_bgnbd *m, struct crm_error *e);

/*
 * Set *ll to the BG/NBD log-likelihood of c[0..n) (weighted) under the
 * parameters of m, which must all be positive and finite:
 *
 *   L = B(a, b+x)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+T)^(r+x))
 *     + [x > 0] B(a+1, b+x-1)/B(a, b) * G(r+x) alpha^r
 *                                     / (G(r) (alpha+t_x)^(r+x))
 *
 * with G the gamma function, summed as ln L over the customers.  Returns 0,
 * or -1 with e set (CRM_ERR_USAGE for bad parameters, CRM_ERR_DATA for a
 * bad row).
 */
int crm_bgnbd_ll(const struct crm_bgnbd *m, const struct crm_clv_customer *c,
    size_t n, double *ll, struct crm_error *e);

/*
 * The probability that customer c is still alive at the end of the
 * calibration period (FHL 2005, appendix):
 *
 *   1 / (1 + [x > 0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))
 *
 * m and c are borrowed and must hold valid values (as the fit checks);
 * c->weight and c->m_x are not read.
 */
double crm_bgnbd_p_alive(const struct crm_bgnbd *m,
    const struct crm_clv_customer *c);

/*
 * The expected number of purchases of customer c in the next t time units,
 * E[Y(t) | x, t_x, T] (FHL 2005, eq. 10).  With x = t_x = T = 0 this is
 * E[X(t)] for a customer just acquired (eq. 7).  t must be >= 0.  The
 * Gaussian hypergeometric function is summed as a series in
 * z = t/(alpha+T+t) < 1, after a transformation that removes eq. 10's
 * division by a-1 (a = 1 is fine) and keeps a+b+x-1 <= 0 harmless; the
 * result agrees with 50-digit mpmath to about 1e-12.  Returns NAN when the
 * series needs more than ten million terms (t above about 1e5 (alpha+T)).
 */
double crm_bgnbd_expected(const struct crm_bgnbd *m,
    const struct crm_clv_customer *c, double t);

/*
 * The probability that customer c makes no purchase in the next t time
 * units, P(Y(t) = 0 | x, t_x, T):
 *
 *   P(alive) ((alpha+T)/(alpha+T+t))^(r+x) + 1 - P(alive)
 *
 * (see the derivation in crm_clv.c).  t must be >= 0.
 */
double crm_bgnbd_p_none(const struct crm_bgnbd *m,
    const struct crm_clv_customer *c, double t);

/*
 * Fit a Gamma-Gamma model by maximum likelihood to the customers of
 * c[0..n) with x >= 1 (rows with x = 0 are skipped); c is borrowed.  Each
 * customer contributes (Fader & Hardie 2013, eq. 3, for the mean m_x of x
 * values)
 *
 *   ln G(px+q) - ln G(px) - ln G(q) + q ln gamma + (px-1) ln m_x
 *     + px ln x - (px+q) ln(gamma + x m_x)
 *
 * Returns 0 with *m filled, or -1 with e set: CRM_ERR_DATA when a row is
 * invalid (m_x <= 0 with x >= 1 among them), when fewer than 2 customers
 * have x >= 1, or when the data cannot identify the model (for instance
 * when every m_x is the same).  *m is unchanged on failure.
 */
int crm_gg_fit(const struct crm_clv_customer *c, size_t n, struct crm_gg *m,
    struct crm_error *e);

/*
 * Set *ll to the Gamma-Gamma log-likelihood of the customers of c[0..n)
 * with x >= 1 under m, as in crm_gg_fit.  Returns 0, or -1 with e set.
 */
int crm_gg_ll(const struct crm_gg *m, const struct crm_clv_customer *c,
    size_t n, double *ll, struct crm_error *e);

/*
 * The expected value of customer c's future purchases,
 *
 *   E[M | x, m_x] = (q-1)/(px+q-1) * gamma p/(q-1) + px/(px+q-1) * m_x
 *                 = p (gamma + x m_x) / (px+q-1),
 *
 * which for x = 0 is the population mean gamma p/(q-1).  Returns NAN when
 * the mean does not exist (px+q <= 1, i.e. q <= 1 for x = 0).
 */
double crm_gg_expected_spend(const struct crm_gg *m,
    const struct crm_clv_customer *c);

/*
 * Customer c's discounted expected purchases over the next horizon periods
 * of one time unit each,
 *
 *   sum over k = 1..horizon of (E[Y(k)] - E[Y(k-1)]) / (1 + discount)^k
 *
 * as in crm_clv_value, which multiplies it by the expected spend.  With a
 * discount of 0 it is E[Y(horizon)].  Returns NAN when a E[Y(k)] is NAN.
 */
double crm_bgnbd_discounted(const struct crm_bgnbd *bg,
    const struct crm_clv_customer *c, unsigned horizon, double discount);

/*
 * Customer c's discounted expected value over the next horizon periods of
 * one time unit each:
 *
 *   sum over k = 1..horizon of
 *       (E[Y(k)] - E[Y(k-1)]) * E[M] / (1 + discount)^k
 *
 * where E[Y(k)] comes from bg (crm_bgnbd_expected), E[M] from gg
 * (crm_gg_expected_spend) and discount is the rate per time unit (for
 * weeks, a yearly 10% is 1.1^(1/52) - 1).  Purchases in period k are
 * discounted as if made at its end.  This is revenue: multiply by a margin
 * for profit.  Returns NAN when E[M] or a E[Y(k)] is NAN.
 */
double crm_clv_value(const struct crm_bgnbd *bg, const struct crm_gg *gg,
    const struct crm_clv_customer *c, unsigned horizon, double discount);

/*
 * Model files let a fit be applied later (to other partitions of the
 * customers).  Format version 1 is text in the C locale, one "key value"
 * per line separated by one space, LF line ends (a CR before the LF is
 * allowed); lines that start with '#' and empty lines are ignored:
 *
 *   model bgnbd            first line: "model bgnbd" or "model gg"
 *   version 1              next line
 *   r 0.24259...           then the parameters in any order, each once:
 *   alpha 4.41359...       r, alpha, a, b (bgnbd) or p, q, gamma (gg),
 *   a 0.79292...           all required, finite and > 0;
 *   b 2.42589...
 *   loglik -9582.42...     and optionally loglik, n (>= 0) and
 *   n 2357                 iterations (an integer), which are 0 when
 *   iterations 21          absent.
 *
 * Numbers are written with 17 significant digits, so that a model read
 * back is identical.  Any other key, a repeated key, a missing parameter,
 * a value that is not a whole number or trailing text is an error.
 */

/* Write m in the format above; the string belongs to the caller. */
char *crm_bgnbd_format(const struct crm_bgnbd *m);
char *crm_gg_format(const struct crm_gg *m);

/*
 * Parse s[0..len) (borrowed; it need not be NUL-terminated) into *m.  name
 * (borrowed; NULL means "<model>") labels the text in errors.  Returns 0,
 * or -1 with e set to CRM_ERR_DATA, e->file to name, e->line to the line
 * at fault (0 for a missing key) and e->field to its key when known, so
 * that crm_error_format gives "m.txt:4: alpha: invalid value 'x'".  *m is
 * unchanged on failure.
 */
int crm_bgnbd_parse(const char *s, size_t len, const char *name,
    struct crm_bgnbd *m, struct crm_error *e);
int crm_gg_parse(const char *s, size_t len, const char *name,
    struct crm_gg *m, struct crm_error *e);

/*
 * Write m to the file path (created or truncated), or read it from there.
 * Return 0, or -1 with e set (CRM_ERR_SYS, or as the parse functions with
 * path as the name).
 */
int crm_bgnbd_save(const char *path, const struct crm_bgnbd *m,
    struct crm_error *e);
int crm_bgnbd_load(const char *path, struct crm_bgnbd *m,
    struct crm_error *e);
int crm_gg_save(const char *path, const struct crm_gg *m,
    struct crm_error *e);
int crm_gg_load(const char *path, struct crm_gg *m, struct crm_error *e);

/*
 * Both models in one text, as crm-rfm(1) --show-params writes them and
 * --params reads them: the BG/NBD model's lines, an empty line, then the
 * Gamma-Gamma model's, from its "model gg" line on.  crm_clv_format's
 * string belongs to the caller.  crm_clv_parse and crm_clv_load behave as
 * crm_bgnbd_parse and crm_bgnbd_load, with line numbers counted in the
 * whole text, and fail with "missing 'model gg' line" when there is no
 * line starting with "model gg".  *bg and *gg are unchanged on failure.
 */
char *crm_clv_format(const struct crm_bgnbd *bg, const struct crm_gg *gg);
int crm_clv_parse(const char *s, size_t len, const char *name,
    struct crm_bgnbd *bg, struct crm_gg *gg, struct crm_error *e);
int crm_clv_load(const char *path, struct crm_bgnbd *bg, struct crm_gg *gg,
    struct crm_error *e);

#endif /* CRM_CLV_H */
