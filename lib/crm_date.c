/* SPDX-License-Identifier: MIT */
/* Calendar dates: the forms exports write, and Gregorian day numbers. */
#include <stdio.h>
#include <string.h>

#include "crm_date.h"
#include "crm_int.h"

#define FOLD_MAX	96	/* a longer value is not a date */

/* What the CJK date characters fold to: bytes no ASCII form uses. */
#define MK_YEAR		'\001'	/* 年 */
#define MK_MONTH	'\002'	/* 月 */
#define MK_DAY		'\003'	/* 日 or 号 */

/* Outcomes of reading the syntax of a value. */
#define SYN_OK		0
#define SYN_BAD		1	/* not a date form we know */
#define SYN_YEAR2	2	/* a known form with a two-digit year */
#define SYN_EMPTY	3

/* A date as written, before the calendar is checked. */
struct raw {
	int ambiguous;		/* a and b are day and month in either order */
	int year, a, b;		/* if not ambiguous, a is month and b day */
	int has_time, hour, min, sec;
	int badtime;		/* 12-hour clock hour out of 1..12 */
	int off;		/* minutes east of UTC */
	int badzone;
};

/* A cursor over the folded value. */
struct scan {
	const char *p;
	size_t i, n;
};

static const char *const months[12] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"
};

static const char *const weekdays[7] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
	"sunday"
};

static int
isdig(int c)
{
	return c >= '0' && c <= '9';
}

static int
isalph(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
isws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

/*
 * Fold s[0..n) into out: full-width ASCII to ASCII, the ideographic space
 * and NBSP to a space, 年月日号 to markers.  -1 for any other non-ASCII
 * character or when the value does not fit.
 */
static int
fold(const char *s, size_t n, char *out, size_t outlen, size_t *outn)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned long cp;
	size_t i = 0, o = 0, k;
	int c;

	while (i < n) {
		k = crm_utf8_next(u + i, n - i, &cp);
		if (k == 0 || o + 1 >= outlen)
			return -1;
		i += k;
		if (isws((int)cp))
			c = ' ';
		else if (cp < 0x20 || cp == 0x7f)
			return -1;	/* also keeps the markers unambiguous */
		else if (cp < 0x80)
			c = (int)cp;
		else if (cp >= 0xff01 && cp <= 0xff5e)
			c = (int)(cp - 0xfee0);
		else if (cp == 0x3000 || cp == 0xa0)
			c = ' ';
		else if (cp == 0x5e74)
			c = MK_YEAR;
		else if (cp == 0x6708)
			c = MK_MONTH;
		else if (cp == 0x65e5 || cp == 0x53f7)
			c = MK_DAY;
		else
			return -1;
		out[o++] = (char)c;
	}
	*outn = o;
	return 0;
}

static int
peek(const struct scan *sc)
{
	return sc->i < sc->n ? (unsigned char)sc->p[sc->i] : -1;
}

static int
eat(struct scan *sc, int c)
{
	if (peek(sc) != c)
		return 0;
	sc->i++;
	return 1;
}

static void
spaces(struct scan *sc)
{
	while (peek(sc) == ' ')
		sc->i++;
}

/* Read a run of digits into *val; returns its length (0 when none). */
static int
digits(struct scan *sc, int *val)
{
	int len = 0, v = 0;

	while (isdig(peek(sc))) {
		if (len < 9)
			v = v * 10 + (sc->p[sc->i] - '0');
		len++;
		sc->i++;
	}
	*val = v;
	return len;
}

/* Read a run of letters, lower-cased, into w[0..wlen); 0 if none fits. */
static int
word(struct scan *sc, char *w, size_t wlen)
{
	size_t len = 0;
	int c;

	while (isalph(c = peek(sc))) {
		if (len + 1 >= wlen)
			return 0;
		w[len++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
		sc->i++;
	}
	w[len] = '\0';
	return len > 0;
}

/* Index of w in names when it is a full name or its first three letters. */
static int
lookup(const char *w, const char *const *names, int count)
{
	int i;

	for (i = 0; i < count; i++) {
		if (strcmp(w, names[i]) == 0 ||
		    (strlen(w) == 3 && strncmp(w, names[i], 3) == 0))
			return i;
	}
	if (names == months && strcmp(w, "sept") == 0)
		return 8;
	return -1;
}

/* Read a month name into *mon (1..12). */
static int
month_word(struct scan *sc, int *mon)
{
	char w[16];
	int i;

	if (!word(sc, w, sizeof(w)) || (i = lookup(w, months, 12)) < 0)
		return 0;
	*mon = i + 1;
	return 1;
}

/* The separator between the parts of a named-month date: ". - / , " */
static int
named_sep(struct scan *sc)
{
	size_t start = sc->i;

	eat(sc, '.');
	if (eat(sc, '-') || eat(sc, '/'))
		return 1;
	while (peek(sc) == ' ' || peek(sc) == ',')
		sc->i++;
	return sc->i > start;
}

/* Read a time zone after a time: Z, UTC, GMT, ±hh, ±hh:mm or ±hhmm. */
static int
zone(struct scan *sc, struct raw *r)
{
	char w[8];
	int sign, len, h, m = 0;

	if (eat(sc, 'Z') || eat(sc, 'z'))
		return SYN_OK;
	if (isalph(peek(sc))) {
		if (!word(sc, w, sizeof(w)) ||
		    (strcmp(w, "utc") != 0 && strcmp(w, "gmt") != 0))
			return SYN_BAD;
		return SYN_OK;
	}
	if (eat(sc, '+'))
		sign = 1;
	else if (eat(sc, '-'))
		sign = -1;
	else
		return SYN_BAD;
	len = digits(sc, &h);
	if (len == 4) {
		m = h % 100;
		h /= 100;
	} else if (len == 1 || len == 2) {
		if (eat(sc, ':') && digits(sc, &m) != 2)
			return SYN_BAD;
	} else
		return SYN_BAD;
	r->badzone = h > 14 || m > 59;
	r->off = sign * (h * 60 + m);
	return SYN_OK;
}

/* Read "AM" or "PM" after a time and move the hour to the 24-hour clock. */
static int
meridiem(struct scan *sc, struct raw *r)
{
	char w[4];

	if (!word(sc, w, sizeof(w)) ||
	    (strcmp(w, "am") != 0 && strcmp(w, "pm") != 0))
		return 0;
	if (r->hour < 1 || r->hour > 12)
		r->badtime = 1;
	else if (w[0] == 'a' && r->hour == 12)
		r->hour = 0;
	else if (w[0] == 'p' && r->hour != 12)
		r->hour += 12;
	return 1;
}

/*
 * Read what may follow a date: nothing, or "T" or spaces and a time
 * hh:mm[:ss[.frac]] [AM|PM] [zone].  loose allows the time to follow with
 * no separator (2024年3月5日14:30).
 */
static int
time_part(struct scan *sc, struct raw *r, int loose)
{
	int len, frac;
	size_t save;

	if (peek(sc) == -1)
		return SYN_OK;
	if (!eat(sc, 'T') && !eat(sc, 't')) {
		if (peek(sc) == ' ')
			spaces(sc);
		else if (!loose || !isdig(peek(sc)))
			return SYN_BAD;
	}
	len = digits(sc, &r->hour);
	if (len < 1 || len > 2 || !eat(sc, ':') || digits(sc, &r->min) != 2)
		return SYN_BAD;
	if (eat(sc, ':')) {
		if (digits(sc, &r->sec) != 2)
			return SYN_BAD;
		if ((eat(sc, '.') || eat(sc, ',')) && digits(sc, &frac) == 0)
			return SYN_BAD;
	}
	r->has_time = 1;
	save = sc->i;
	spaces(sc);
	if (isalph(peek(sc)) && !meridiem(sc, r))
		sc->i = save;
	spaces(sc);
	if (peek(sc) == -1)
		return SYN_OK;
	if (zone(sc, r) != SYN_OK || peek(sc) != -1)
		return SYN_BAD;
	return SYN_OK;
}

/* Read a four-digit year, then the time. */
static int
year_then_time(struct scan *sc, struct raw *r)
{
	int len;

	len = digits(sc, &r->year);
	if (len == 2)
		return SYN_YEAR2;
	if (len != 4)
		return SYN_BAD;
	return time_part(sc, r, 0);
}

/* 2024年3月5日 after the year. */
static int
cjk_form(struct scan *sc, struct raw *r)
{
	int len;

	sc->i++;
	spaces(sc);
	len = digits(sc, &r->a);
	if (len < 1 || len > 2)
		return SYN_BAD;
	spaces(sc);
	if (!eat(sc, MK_MONTH))
		return SYN_BAD;
	spaces(sc);
	len = digits(sc, &r->b);
	if (len < 1 || len > 2)
		return SYN_BAD;
	spaces(sc);
	if (!eat(sc, MK_DAY))
		return SYN_BAD;
	spaces(sc);
	return time_part(sc, r, 1);
}

/* 2024-03-05, 2024/3/5, 2024.03.05, 2024-Mar-05 after the year. */
static int
year_first(struct scan *sc, struct raw *r)
{
	int sep, len;

	if (peek(sc) == MK_YEAR)
		return cjk_form(sc, r);
	sep = peek(sc);
	if (sep != '-' && sep != '/' && sep != '.')
		return SYN_BAD;
	sc->i++;
	if (isalph(peek(sc))) {
		if (!month_word(sc, &r->a))
			return SYN_BAD;
	} else {
		len = digits(sc, &r->a);
		if (len < 1 || len > 2)
			return SYN_BAD;
	}
	if (!eat(sc, sep))
		return SYN_BAD;
	len = digits(sc, &r->b);
	if (len < 1 || len > 2)
		return SYN_BAD;
	return time_part(sc, r, 0);
}

/* 05/03/2024, 5-Mar-2024, 5 March 2024 after the first number. */
static int
day_first(struct scan *sc, struct raw *r, int first)
{
	int sep, len;

	sep = peek(sc);
	if (sep == ' ') {
		spaces(sc);
		if (!month_word(sc, &r->a) || !named_sep(sc))
			return SYN_BAD;
		r->b = first;
		return year_then_time(sc, r);
	}
	if (sep != '-' && sep != '/' && sep != '.')
		return SYN_BAD;
	sc->i++;
	if (isalph(peek(sc))) {
		if (!month_word(sc, &r->a) || !eat(sc, sep))
			return SYN_BAD;
		r->b = first;
		return year_then_time(sc, r);
	}
	len = digits(sc, &r->b);
	if (len < 1 || len > 2 || !eat(sc, sep))
		return SYN_BAD;
	r->a = first;
	r->ambiguous = 1;
	return year_then_time(sc, r);
}

/* Mar 5, 2024 and March 5 2024, possibly after a weekday. */
static int
named_first(struct scan *sc, struct raw *r, int weekday_ok)
{
	char w[16];
	int len, i;

	if (!word(sc, w, sizeof(w)))
		return SYN_BAD;
	if (weekday_ok && lookup(w, weekdays, 7) >= 0) {
		eat(sc, '.');
		if (!eat(sc, ',') && peek(sc) != ' ')
			return SYN_BAD;
		spaces(sc);
		if (isalph(peek(sc)))
			return named_first(sc, r, 0);
		len = digits(sc, &i);
		if (len < 1 || len > 2)
			return SYN_BAD;
		return day_first(sc, r, i);
	}
	if ((i = lookup(w, months, 12)) < 0 || !named_sep(sc))
		return SYN_BAD;
	r->a = i + 1;
	len = digits(sc, &r->b);
	if (len < 1 || len > 2 || !named_sep(sc))
		return SYN_BAD;
	return year_then_time(sc, r);
}

/* Read the syntax of a folded, trimmed value. */
static int
syntax(struct scan *sc, struct raw *r)
{
	int len, v;

	if (isalph(peek(sc)))
		return named_first(sc, r, 1);
	len = digits(sc, &v);
	if (len == 8 && (peek(sc) == -1 || peek(sc) == ' ' ||
	    peek(sc) == 'T' || peek(sc) == 't')) {
		r->year = v / 10000;
		r->a = v / 100 % 100;
		r->b = v % 100;
		return time_part(sc, r, 0);
	}
	if (len == 4) {
		r->year = v;
		return year_first(sc, r);
	}
	if (len == 1 || len == 2)
		return day_first(sc, r, v);
	return SYN_BAD;
}

/* Fold, trim and read s[0..n) into r. */
static int
analyse(const char *s, size_t n, struct raw *r)
{
	char buf[FOLD_MAX];
	struct scan sc;
	size_t len, start = 0;

	memset(r, 0, sizeof(*r));
	if (fold(s, n, buf, sizeof(buf), &len) == -1)
		return SYN_BAD;
	while (len > 0 && buf[len - 1] == ' ')
		len--;
	while (start < len && buf[start] == ' ')
		start++;
	if (start == len)
		return SYN_EMPTY;
	sc.p = buf + start;
	sc.i = 0;
	sc.n = len - start;
	return syntax(&sc, r);
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
valid_date(int y, int m, int d)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && leap(y));
}

static int
valid_time(const struct raw *r)
{
	if (!r->has_time)
		return 1;
	return !r->badtime && !r->badzone && r->hour <= 23 && r->min <= 59 &&
	    r->sec <= 59;
}

unsigned
crm_date_orders(const char *s, size_t n)
{
	struct raw r;
	unsigned bits = 0;

	if (analyse(s, n, &r) != SYN_OK || !valid_time(&r))
		return 0;
	if (!r.ambiguous)
		return valid_date(r.year, r.a, r.b) ? CRM_DATE_CAN_ISO : 0;
	if (valid_date(r.year, r.b, r.a))
		bits |= CRM_DATE_CAN_DMY;
	if (valid_date(r.year, r.a, r.b))
		bits |= CRM_DATE_CAN_MDY;
	return bits;
}

/* Move a date and time by off minutes (east of UTC) to UTC. */
static void
to_utc(struct crm_datetime *dt, int off)
{
	long days, mins;

	days = crm_date_days(dt->year, dt->mon, dt->day);
	mins = dt->hour * 60L + dt->min - off;
	while (mins < 0) {
		mins += 1440;
		days--;
	}
	while (mins >= 1440) {
		mins -= 1440;
		days++;
	}
	dt->hour = (int)(mins / 60);
	dt->min = (int)(mins % 60);
	crm_date_from_days(days, &dt->year, &dt->mon, &dt->day);
}

int
crm_date_parse(const char *s, size_t n, enum crm_date_order order,
    struct crm_datetime *dt, char *why, size_t whylen)
{
	struct raw r;
	int rc, dmy, mdy, mon, day;

	rc = analyse(s, n, &r);
	if (rc == SYN_EMPTY)
		return crm_reason(why, whylen, "empty date");
	if (rc == SYN_YEAR2)
		return crm_reason_value(why, whylen,
		    "two-digit year in", s, n, "");
	if (rc != SYN_OK)
		return crm_reason_value(why, whylen, "invalid date", s, n, "");
	mon = r.a;
	day = r.b;
	if (r.ambiguous) {
		dmy = valid_date(r.year, r.b, r.a);
		mdy = valid_date(r.year, r.a, r.b);
		if (order == CRM_DATE_AUTO && dmy && mdy && r.a != r.b)
			return crm_reason_value(why, whylen, "ambiguous date",
			    s, n, " (day-first or month-first?)");
		if (order == CRM_DATE_DMY || (order == CRM_DATE_AUTO && dmy)) {
			mon = r.b;
			day = r.a;
		}
	}
	if (!valid_date(r.year, mon, day))
		return crm_reason_value(why, whylen, "invalid date", s, n, "");
	if (!valid_time(&r))
		return crm_reason_value(why, whylen,
		    "invalid time in", s, n, "");
	dt->year = r.year;
	dt->mon = mon;
	dt->day = day;
	dt->has_time = r.has_time;
	dt->hour = r.hour;
	dt->min = r.min;
	dt->sec = r.sec;
	if (r.off != 0) {
		to_utc(dt, r.off);
		if (dt->year < 1 || dt->year > 9999)
			return crm_reason_value(why, whylen,
			    "invalid date", s, n, "");
	}
	return 0;
}

/* Write v as width zero-padded digits at p; returns the end. */
static char *
put(char *p, int v, int width)
{
	int i;

	if (v < 0)
		v = 0;
	for (i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

char *
crm_date_format(const struct crm_datetime *dt, char *buf)
{
	char *p = buf;

	p = put(p, dt->year, 4);
	*p++ = '-';
	p = put(p, dt->mon, 2);
	*p++ = '-';
	p = put(p, dt->day, 2);
	if (dt->has_time) {
		*p++ = 'T';
		p = put(p, dt->hour, 2);
		*p++ = ':';
		p = put(p, dt->min, 2);
		*p++ = ':';
		p = put(p, dt->sec, 2);
	}
	*p = '\0';
	return buf;
}

/*
 * The days_from_civil algorithm: count in 400-year eras of 146097 days
 * from 0000-03-01, so that the leap day ends each year.
 */
long
crm_date_days(int year, int mon, int day)
{
	long y, era, yoe, doy, doe;

	y = (long)year - (mon <= 2);
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153L * (mon > 2 ? mon - 3 : mon + 9) + 2) / 5 + day - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse of crm_date_days (civil_from_days). */
void
crm_date_from_days(long days, int *year, int *mon, int *day)
{
	long z, era, doe, yoe, doy, mp, m;

	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	m = mp < 10 ? mp + 3 : mp - 9;
	*year = (int)(yoe + era * 400 + (m <= 2));
	*mon = (int)m;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
}

int
crm_date_parse_iso(const char *s, long *days)
{
	int i, y, m, d;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++) {
		if (i != 4 && i != 7 && !isdig((unsigned char)s[i]))
			return -1;
	}
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (!valid_date(y, m, d))
		return -1;
	*days = crm_date_days(y, m, d);
	return 0;
}

char *
crm_date_day_text(long days, char *buf)
{
	int y, m, d;

	crm_date_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		snprintf(buf, 16, "%04d-%02d-%02d", y, m, d);
		return buf;
	}
	/* By hand: a table writes two dates a row, and snprintf showed. */
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
	return buf;
}
