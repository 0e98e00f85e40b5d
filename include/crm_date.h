/* SPDX-License-Identifier: MIT */
/* Calendar dates and timestamps: parsing the forms exports use, formatting ISO 8601. */
#ifndef CRM_DATE_H
#define CRM_DATE_H

#include <stddef.h>

/* How to read d/m/y forms such as 05/03/2024, 05-03-2024, 05.03.2024. */
enum crm_date_order {
	CRM_DATE_AUTO = 0,	/* only unambiguous forms are accepted */
	CRM_DATE_DMY,
	CRM_DATE_MDY
};

/* Bits returned by crm_date_orders. */
#define CRM_DATE_CAN_ISO 1	/* year-first or named month: no choice */
#define CRM_DATE_CAN_DMY 2
#define CRM_DATE_CAN_MDY 4

struct crm_datetime {
	int year, mon, day;		/* 1..9999, 1..12, 1..31 */
	int hour, min, sec;		/* valid when has_time */
	int has_time;
};

/*
 * Which readings of s[0..n) give a valid date: CRM_DATE_CAN_ISO for forms
 * that are not day/month ambiguous (2024-03-05, 2024/3/5, 2024.03.05,
 * 20240305, 2024年3月5日, 5 Mar 2024, Mar 5 2024), else the OR of
 * CRM_DATE_CAN_DMY and CRM_DATE_CAN_MDY for the readings that are valid
 * (05/03/2024 gives both, 25/03/2024 only DMY).  0 when none is valid.
 */
unsigned crm_date_orders(const char *s, size_t n);

/*
 * Parse s[0..n) (surrounding white space and full-width digits allowed)
 * as a date with an optional time: "T" or a space, then hh:mm[:ss[.frac]]
 * (fractions are dropped), optionally "Z" or an offset ±hh[:mm], which is
 * applied so that the result is UTC.  A d/m/y form is accepted only when
 * order is DMY or MDY, or when order is AUTO and only one reading is
 * valid.  Returns 0 with *dt filled, or -1 with a reason such as
 * "invalid date '2024-02-30'" or "ambiguous date '05/03/2024' (day-first
 * or month-first?)" written into why[0..whylen).
 */
int crm_date_parse(const char *s, size_t n, enum crm_date_order order,
    struct crm_datetime *dt, char *why, size_t whylen);

/*
 * Write "YYYY-MM-DD", or "YYYY-MM-DDThh:mm:ss" when dt->has_time, into
 * buf (at least 20 bytes).  Returns buf.
 */
char *crm_date_format(const struct crm_datetime *dt, char *buf);

/* Days since 1970-01-01 of a valid calendar date (negative before). */
long crm_date_days(int year, int mon, int day);

/* The calendar date of a day number from crm_date_days. */
void crm_date_from_days(long days, int *year, int *mon, int *day);

/* Write a day number as "YYYY-MM-DD" into buf (16 bytes); returns buf. */
char *crm_date_day_text(long days, char *buf);

/* Parse exactly "YYYY-MM-DD" (option values); 0 or -1. */
int crm_date_parse_iso(const char *s, long *days);

#endif /* CRM_DATE_H */
