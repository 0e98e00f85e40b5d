/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_date: the accepted forms, the reasons, day numbers. */
#include <string.h>

#include "crm_date.h"
#include "tap.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char long_value[] =
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";

static void
test_parse(void)
{
	static const struct {
		const char *in;
		enum crm_date_order order;
		const char *want;	/* formatted result, or NULL */
		const char *why;	/* reason when want is NULL */
	} cases[] = {
		/* Year-first and named-month forms need no order. */
		{ "2024-03-05", CRM_DATE_AUTO, "2024-03-05", NULL },
		{ "2024/3/5", CRM_DATE_AUTO, "2024-03-05", NULL },
		{ "2024.03.05", CRM_DATE_AUTO, "2024-03-05", NULL },
		{ "20240305", CRM_DATE_AUTO, "2024-03-05", NULL },
		{ "2024-3-5", CRM_DATE_AUTO, "2024-03-05", NULL },
		{ "2024-Mar-05", CRM_DATE_AUTO, "2024-03-05", NULL },
		{ "2024年3月5日", CRM_DATE_AUTO, "2024-03-05", NULL },
		{ "2024年03月05号", CRM_DATE_AUTO, "2024-03-05", NULL },
		{ "2024年3月5日 14:30", CRM_DATE_AUTO, "2024-03-05T14:30:00",
		  NULL },
		{ "2024年3月5日14:30:07", CRM_DATE_AUTO, "2024-03-05T14:30:07",
		  NULL },
		{ "5 Mar 2024", CRM_DATE_AUTO, "2024-03-05", NULL },
		{ "Mar 5, 2024", CRM_DATE_AUTO, "2024-03-05", NULL },
		{ "5-Mar-2024", CRM_DATE_AUTO, "2024-03-05", NULL },
		{ "March 5 2024", CRM_DATE_AUTO, "2024-03-05", NULL },
		{ "5 MARCH, 2024", CRM_DATE_AUTO, "2024-03-05", NULL },
		{ "Sept 5 2024", CRM_DATE_AUTO, "2024-09-05", NULL },
		{ "Tue, 5 Mar 2024 10:00:00 +0000", CRM_DATE_AUTO,
		  "2024-03-05T10:00:00", NULL },
		{ "Tuesday, March 5, 2024", CRM_DATE_AUTO, "2024-03-05", NULL },
		{ "  2024-03-05\t", CRM_DATE_AUTO, "2024-03-05", NULL },
		{ "2024-02-29", CRM_DATE_AUTO, "2024-02-29", NULL },
		{ "2000-02-29", CRM_DATE_AUTO, "2000-02-29", NULL },
		{ "0001-01-01", CRM_DATE_AUTO, "0001-01-01", NULL },
		{ "9999-12-31", CRM_DATE_AUTO, "9999-12-31", NULL },
		/* d/m/y forms. */
		{ "25/03/2024", CRM_DATE_AUTO, "2024-03-25", NULL },
		{ "03/25/2024", CRM_DATE_AUTO, "2024-03-25", NULL },
		{ "05/05/2024", CRM_DATE_AUTO, "2024-05-05", NULL },
		{ "05/03/2024", CRM_DATE_DMY, "2024-03-05", NULL },
		{ "05/03/2024", CRM_DATE_MDY, "2024-05-03", NULL },
		{ "05.03.2024", CRM_DATE_DMY, "2024-03-05", NULL },
		{ "05-03-2024", CRM_DATE_MDY, "2024-05-03", NULL },
		{ "5/3/2024", CRM_DATE_DMY, "2024-03-05", NULL },
		/* Times and offsets. */
		{ "2024-03-05T14:30", CRM_DATE_AUTO, "2024-03-05T14:30:00",
		  NULL },
		{ "2024-03-05 14:30:15.123", CRM_DATE_AUTO,
		  "2024-03-05T14:30:15", NULL },
		{ "2024-03-05 00:00:00", CRM_DATE_AUTO, "2024-03-05T00:00:00",
		  NULL },
		{ "2024-03-05T23:59:59Z", CRM_DATE_AUTO, "2024-03-05T23:59:59",
		  NULL },
		{ "2024-03-05T01:30:00+08:00", CRM_DATE_AUTO,
		  "2024-03-04T17:30:00", NULL },
		{ "2024-12-31T23:30:00-05", CRM_DATE_AUTO,
		  "2025-01-01T04:30:00", NULL },
		{ "2024-03-05 09:00 +0530", CRM_DATE_AUTO,
		  "2024-03-05T03:30:00", NULL },
		{ "2024-03-05 09:00 UTC", CRM_DATE_AUTO, "2024-03-05T09:00:00",
		  NULL },
		{ "20240305 08:15", CRM_DATE_AUTO, "2024-03-05T08:15:00",
		  NULL },
		{ "3/5/2024 2:30:00 PM", CRM_DATE_MDY, "2024-03-05T14:30:00",
		  NULL },
		{ "3/5/2024 12:05 am", CRM_DATE_MDY, "2024-03-05T00:05:00",
		  NULL },
		/* Full width. */
		{ "２０２４／０３／０５", CRM_DATE_AUTO, "2024-03-05", NULL },
		{ "２０２４－０３－０５　１４：３０", CRM_DATE_AUTO,
		  "2024-03-05T14:30:00", NULL },
		{ "２０２４．３．５", CRM_DATE_AUTO, "2024-03-05", NULL },
		/* Failures. */
		{ "", CRM_DATE_AUTO, NULL, "empty date" },
		{ " \t ", CRM_DATE_AUTO, NULL, "empty date" },
		{ "2024-02-30", CRM_DATE_AUTO, NULL,
		  "invalid date '2024-02-30'" },
		{ "2023-02-29", CRM_DATE_AUTO, NULL,
		  "invalid date '2023-02-29'" },
		{ "1900-02-29", CRM_DATE_AUTO, NULL,
		  "invalid date '1900-02-29'" },
		{ "2024-13-01", CRM_DATE_AUTO, NULL,
		  "invalid date '2024-13-01'" },
		{ "2024-00-10", CRM_DATE_AUTO, NULL,
		  "invalid date '2024-00-10'" },
		{ "0000-01-01", CRM_DATE_AUTO, NULL,
		  "invalid date '0000-01-01'" },
		{ " 2024-04-31 ", CRM_DATE_AUTO, NULL,
		  "invalid date '2024-04-31'" },
		{ "2024-03-05 24:00", CRM_DATE_AUTO, NULL,
		  "invalid time in '2024-03-05 24:00'" },
		{ "2024-03-05 12:60", CRM_DATE_AUTO, NULL,
		  "invalid time in '2024-03-05 12:60'" },
		{ "2024-03-05 12:00:60", CRM_DATE_AUTO, NULL,
		  "invalid time in '2024-03-05 12:00:60'" },
		{ "2024-03-05T10:00+15:00", CRM_DATE_AUTO, NULL,
		  "invalid time in '2024-03-05T10:00+15:00'" },
		{ "2024-03-05 13:00 PM", CRM_DATE_AUTO, NULL,
		  "invalid time in '2024-03-05 13:00 PM'" },
		{ "05/03/2024", CRM_DATE_AUTO, NULL,
		  "ambiguous date '05/03/2024' (day-first or month-first?)" },
		{ "05/03/24", CRM_DATE_AUTO, NULL,
		  "two-digit year in '05/03/24'" },
		{ "05/03/24", CRM_DATE_DMY, NULL,
		  "two-digit year in '05/03/24'" },
		{ "05-MAR-24", CRM_DATE_AUTO, NULL,
		  "two-digit year in '05-MAR-24'" },
		{ "5 Mar 24", CRM_DATE_AUTO, NULL,
		  "two-digit year in '5 Mar 24'" },
		{ "25/03/2024", CRM_DATE_MDY, NULL,
		  "invalid date '25/03/2024'" },
		{ "13/13/2024", CRM_DATE_AUTO, NULL,
		  "invalid date '13/13/2024'" },
		{ "2024-03-05T", CRM_DATE_AUTO, NULL,
		  "invalid date '2024-03-05T'" },
		{ "2024-03-05 14", CRM_DATE_AUTO, NULL,
		  "invalid date '2024-03-05 14'" },
		{ "2024-03/05", CRM_DATE_AUTO, NULL,
		  "invalid date '2024-03/05'" },
		{ "202403051", CRM_DATE_AUTO, NULL,
		  "invalid date '202403051'" },
		{ "05/03/02024", CRM_DATE_DMY, NULL,
		  "invalid date '05/03/02024'" },
		{ "hello", CRM_DATE_AUTO, NULL, "invalid date 'hello'" },
		{ "Foo 5 2024", CRM_DATE_AUTO, NULL,
		  "invalid date 'Foo 5 2024'" },
		{ "2024年3月5", CRM_DATE_AUTO, NULL,
		  "invalid date '2024年3月5'" },
		{ "0001-01-01T00:30+01:00", CRM_DATE_AUTO, NULL,
		  "invalid date '0001-01-01T00:30+01:00'" },
		{ "2024\001-03-05", CRM_DATE_AUTO, NULL,
		  "invalid date '2024?-03-05'" },
		{ "2024-03-05\377", CRM_DATE_AUTO, NULL,
		  "invalid date '2024-03-05?'" },
		{ long_value, CRM_DATE_AUTO, NULL,
		  "invalid date 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'" },
	};
	struct crm_datetime dt;
	char why[256], buf[20];
	const char *w = why;	/* tap.h tests pointers for NULL */
	size_t i;
	int rc;

	for (i = 0; i < NELEM(cases); i++) {
		memset(&dt, 0, sizeof(dt));
		strcpy(why, "unset");
		rc = crm_date_parse(cases[i].in, strlen(cases[i].in),
		    cases[i].order, &dt, why, sizeof(why));
		if (cases[i].want != NULL) {
			if (is_int(rc, 0, "parse '%s'", cases[i].in))
				is_str(crm_date_format(&dt, buf),
				    cases[i].want, "value of '%s'",
				    cases[i].in);
			else
				printf("#   why: %s\n", why);
		} else {
			is_int(rc, -1, "reject '%s'", cases[i].in);
			is_str(w, cases[i].why, "reason for '%s'",
			    cases[i].in);
		}
	}
}

static void
test_parse_bounds(void)
{
	struct crm_datetime dt;
	char why[8];
	const char *w = why;

	/* Only n bytes are read. */
	is_int(crm_date_parse("2024-03-05junk", 10, CRM_DATE_AUTO, &dt,
	    why, sizeof(why)), 0, "only n bytes are read");
	is_int(dt.day, 5, "day read within n");
	/* A short why is cut and still terminated. */
	is_int(crm_date_parse("2024-02-30", 10, CRM_DATE_AUTO, &dt, why,
	    sizeof(why)), -1, "short why: rejected");
	is_str(w, "invalid", "short why is cut and terminated");
	is_int(crm_date_parse("x", 1, CRM_DATE_AUTO, &dt, NULL, 0), -1,
	    "a NULL why is allowed");
}

static void
test_orders(void)
{
	static const struct {
		const char *in;
		unsigned want;
	} cases[] = {
		{ "05/03/2024", CRM_DATE_CAN_DMY | CRM_DATE_CAN_MDY },
		{ "05/05/2024", CRM_DATE_CAN_DMY | CRM_DATE_CAN_MDY },
		{ "25/03/2024", CRM_DATE_CAN_DMY },
		{ "03/25/2024", CRM_DATE_CAN_MDY },
		{ "25.03.2024 10:00", CRM_DATE_CAN_DMY },
		{ "2024-03-05", CRM_DATE_CAN_ISO },
		{ "20240305", CRM_DATE_CAN_ISO },
		{ "2024年3月5日", CRM_DATE_CAN_ISO },
		{ "5 Mar 2024", CRM_DATE_CAN_ISO },
		{ "Mar 5 2024", CRM_DATE_CAN_ISO },
		{ "2024-02-30", 0 },
		{ "32/13/2024", 0 },
		{ "05/03/24", 0 },
		{ "05/03/2024 25:00", 0 },
		{ "", 0 },
	};
	size_t i;

	for (i = 0; i < NELEM(cases); i++)
		is_int(crm_date_orders(cases[i].in, strlen(cases[i].in)),
		    cases[i].want, "orders of '%s'", cases[i].in);
}

static void
test_days(void)
{
	static const struct {
		int y, m, d;
		long days;
	} cases[] = {
		{ 1970, 1, 1, 0 },
		{ 1969, 12, 31, -1 },
		{ 2000, 3, 1, 11017 },
		{ 2024, 3, 5, 19787 },
		{ 1600, 2, 29, -135081 },
		{ 1, 1, 1, -719162 },
		{ 9999, 12, 31, 2932896 },
	};
	size_t i;
	long d, bad;
	int y, m, day;

	for (i = 0; i < NELEM(cases); i++) {
		is_int(crm_date_days(cases[i].y, cases[i].m, cases[i].d),
		    cases[i].days, "days of %04d-%02d-%02d", cases[i].y,
		    cases[i].m, cases[i].d);
		crm_date_from_days(cases[i].days, &y, &m, &day);
		ok(y == cases[i].y && m == cases[i].m && day == cases[i].d,
		    "date of day %ld", cases[i].days);
	}
	bad = 0;
	for (d = -719162; d <= 2932896; d++) {
		crm_date_from_days(d, &y, &m, &day);
		if (crm_date_days(y, m, day) != d)
			bad++;
	}
	is_int(bad, 0, "from_days and days agree for years 1..9999");
}

static void
test_format_iso(void)
{
	struct crm_datetime dt = { 2024, 3, 5, 7, 8, 9, 0 };
	char buf[20];
	long days;

	is_str(crm_date_format(&dt, buf), "2024-03-05", "format a date");
	dt.has_time = 1;
	is_str(crm_date_format(&dt, buf), "2024-03-05T07:08:09",
	    "format a timestamp");
	is_int(crm_date_parse_iso("2024-03-05", &days), 0, "iso option");
	is_int(days, 19787, "iso option day number");
	is_int(crm_date_parse_iso("2024-3-5", &days), -1, "iso is strict");
	is_int(crm_date_parse_iso("2024-02-30", &days), -1,
	    "iso checks the calendar");
	is_int(crm_date_parse_iso("2024-03-05x", &days), -1,
	    "iso rejects trailing bytes");
	is_int(crm_date_parse_iso("2024/03/05", &days), -1,
	    "iso wants dashes");
}

/* Day numbers as the ISO dates the programs write. */
static void
test_day_text(void)
{
	char buf[16];

	is_str(crm_date_day_text(0, buf), "1970-01-01", "day 0");
	is_str(crm_date_day_text(crm_date_days(2024, 2, 29), buf),
	    "2024-02-29", "a leap day");
	is_str(crm_date_day_text(-1, buf), "1969-12-31", "before 1970");
	is_str(crm_date_day_text(crm_date_days(9999, 12, 31), buf),
	    "9999-12-31", "the last four-digit year");
}

int
main(void)
{
	test_parse();
	test_parse_bounds();
	test_orders();
	test_days();
	test_format_iso();
	test_day_text();
	return done_testing();
}
