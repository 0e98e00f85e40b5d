/* SPDX-License-Identifier: MIT */
/* Write a deterministic labelled churn data set of any size, for the churn_large benchmark. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "crm_rand.h"

/*
 * One row per customer: an identifier, 24 numeric columns (14 with a
 * meaning, some with empty values, and 10 of pure noise), 6 categorical
 * ones and the label churned (yes/no).  The label is drawn from a known
 * probability: a logistic function of main effects, thresholds,
 * saturations and a few interactions (a price rise hurts only
 * month-to-month contracts, a high fee only the basic plan, logins only
 * count for customers with a device), the shape of a real subscription
 * business, so that the data rewards trees and carries irreducible noise
 * (its best possible AUC is below 1).  The same -n and -s give the same
 * bytes on every machine: the generator is crm_rand's xoshiro256**, and
 * the values are printed with fixed decimals.
 */

static const char *const contracts[] = { "month", "one_year", "two_year" };
static const char *const plans[] = { "basic", "standard", "premium",
    "family" };
static const char *const payments[] = { "card", "bank", "check", "wallet" };
static const char *const channels[] = { "web", "store", "phone", "partner",
    "app" };
static const char *const devices[] = { "ios", "android", "web", "none" };

#define NNOISE 10

static double
normal(struct crm_rand *r)
{
	double u = crm_rand_unit(r), v = crm_rand_unit(r);

	/* Box-Muller; 1 - u keeps the logarithm's argument above 0. */
	return sqrt(-2 * log(1 - u)) * cos(6.283185307179586 * v);
}

static int
poisson(struct crm_rand *r, double mean)
{
	double l = exp(-mean), p = 1;
	int k = 0;

	do {
		k++;
		p *= crm_rand_unit(r);
	} while (p > l);
	return k - 1;
}

static size_t
pick(struct crm_rand *r, const int *w, size_t n)
{
	int x = (int)crm_rand_below(r, 100);
	size_t i;

	for (i = 0; i < n - 1 && x >= w[i]; i++)
		x -= w[i];
	return i;
}

static void
row(struct crm_rand *r, size_t id)
{
	static const int contract_w[] = { 50, 25, 25 };
	static const int plan_w[] = { 35, 30, 20, 15 };
	static const int payment_w[] = { 40, 30, 15, 15 };
	static const int channel_w[] = { 35, 25, 15, 10, 15 };
	static const int device_w[] = { 30, 35, 20, 15 };
	size_t contract, plan, payment, region, channel, device, k;
	int tenure, calls, complaints, logins, idle, discount, age, late;
	int products, sat, has_age, has_sat, has_spend;
	double fee, spend, data, rise, z, noise[NNOISE];

	contract = pick(r, contract_w, 3);
	plan = pick(r, plan_w, 4);
	payment = pick(r, payment_w, 4);
	region = (size_t)crm_rand_below(r, 12);
	channel = pick(r, channel_w, 5);
	device = pick(r, device_w, 4);
	tenure = (int)crm_rand_below(r, 73);
	fee = 20 + 100 * crm_rand_unit(r);
	spend = tenure * fee * (0.9 + 0.2 * crm_rand_unit(r));
	has_spend = crm_rand_unit(r) >= 0.02;
	calls = poisson(r, 1.5);
	complaints = poisson(r, 0.3);
	logins = device == 3 ? 0 : poisson(r, 8);
	idle = (int)(-15 * log(1 - crm_rand_unit(r)));
	data = exp(1 + normal(r));
	discount = 5 * (int)crm_rand_below(r, 5);
	age = 18 + (int)crm_rand_below(r, 63);
	has_age = crm_rand_unit(r) >= 0.05;
	late = poisson(r, 0.5);
	rise = 3 + 4 * normal(r);
	products = 1 + (int)crm_rand_below(r, 5);
	sat = 1 + (int)crm_rand_below(r, 10);
	has_sat = crm_rand_unit(r) >= 0.2;
	for (k = 0; k < NNOISE; k++)
		noise[k] = normal(r);

	z = -2.2;
	z += contract == 0 ? 1.4 : contract == 1 ? 0.4 : 0;
	z -= 1.3 * (tenure < 36 ? tenure : 36) / 36.0;
	z += calls >= 4 ? 1.0 : 0.15 * calls;
	z += 0.6 * complaints;
	z += 0.9 * (idle < 60 ? idle : 60) / 60.0;
	z -= device != 3 ? 0.06 * (logins < 12 ? logins : 12) : -0.3;
	z += contract == 0 && rise > 5 ? 0.8 : 0;
	z += payment == 2 ? 0.5 : 0;
	z += region == 2 || region == 6 ? 0.3 : region == 10 ? -0.2 : 0;
	z += 0.35 * (late < 4 ? late : 4);
	z += has_sat ? -0.15 * (sat - 5) : 0.3;
	z += plan == 0 && fee > 90 ? 0.5 : 0;
	z -= 0.2 * products;
	z += 0.04 * (age - 45) * (age - 45) / 100.0;
	z -= 0.02 * discount;
	z += 0.2 * (channel == 3);
	z += 0.3 * log(data) * (plan == 3);

	printf("C%07zu,%d,%.2f,", id, tenure, fee);
	if (has_spend)
		printf("%.2f", spend);
	printf(",%d,%d,%d,%d,%.3f,%d,", calls, complaints, logins, idle, data,
	    discount);
	if (has_age)
		printf("%d", age);
	printf(",%d,%.2f,%d,", late, rise, products);
	if (has_sat)
		printf("%d", sat);
	for (k = 0; k < NNOISE; k++)
		printf(",%.4f", noise[k]);
	printf(",%s,%s,%s,R%02zu,%s,%s,%s\n", contracts[contract], plans[plan],
	    payments[payment], region + 1, channels[channel], devices[device],
	    crm_rand_unit(r) < 1 / (1 + exp(-z)) ? "yes" : "no");
}

int
main(int argc, char *argv[])
{
	struct crm_rand r;
	unsigned long long seed = 1;
	size_t n = 1000, i;
	int ch;

	while ((ch = getopt(argc, argv, "n:s:")) != -1) {
		switch (ch) {
		case 'n':
			n = strtoul(optarg, NULL, 10);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr, "usage: crm-gen-churn [-n rows] "
			    "[-s seed]\n");
			return 2;
		}
	}
	crm_rand_seed(&r, seed);
	printf("customer_id,tenure_months,monthly_fee,total_spend,"
	    "support_calls,complaints_90d,logins_30d,days_since_login,"
	    "data_gb,discount_pct,age,late_payments,price_rise_pct,"
	    "products,satisfaction");
	for (i = 0; i < NNOISE; i++)
		printf(",noise_%zu", i + 1);
	printf(",contract,plan,payment,region,channel,device,churned\n");
	for (i = 0; i < n; i++)
		row(&r, i + 1);
	fflush(stdout);
	if (ferror(stdout)) {
		perror("crm-gen-churn: standard output");
		return 1;
	}
	return 0;
}
