/* SPDX-License-Identifier: MIT */
/* Fuzz the value parsers and normalisers on arbitrary bytes: dates,
 * decimals and money, e-mail, phone, identifiers, white space and width.
 * The first byte picks the parser and its options. */
#include <inttypes.h>

#include "crm_buf.h"
#include "crm_date.h"
#include "crm_num.h"
#include "crm_text.h"
#include "fuzz.h"

static const char *const countries[] = {
	"CN", "US", "CA", "GB", "HK", "MO", "TW", "SG", "JP", "KR", "DE",
	"FR", "AU", "cn", "XX", ""
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm_datetime dt;
	struct crm_dec d, d2;
	struct crm_buf b = CRM_BUF_INIT;
	char why[128], buf[64], *s;
	int64_t cents, out;
	size_t bad, n;
	unsigned sel;
	long days;
	int y, m, dd;

	if (size == 0)
		return 0;
	sel = data[0];
	n = size - 1;
	/* A private copy without a terminator, so reads past n are caught. */
	s = malloc(n > 0 ? n : 1);
	memcpy(s, data + 1, n);
	switch (sel % 8) {
	case 0:
		(void)crm_date_orders(s, n);
		if (crm_date_parse(s, n, (enum crm_date_order)((sel >> 3) % 3),
		    &dt, why, sizeof(why)) == 0) {
			crm_date_format(&dt, buf);
			days = crm_date_days(dt.year, dt.mon, dt.day);
			crm_date_from_days(days, &y, &m, &dd);
			if (y != dt.year || m != dt.mon || dd != dt.day)
				abort();
			crm_date_day_text(days, buf);
		}
		break;
	case 1:
		if (crm_dec_parse(s, n, (sel >> 3) & 7, &d, why,
		    sizeof(why)) == 0) {
			crm_dec_format(&d, buf);
			(void)crm_dec_to_scaled(&d, 2, &out);
			d2.coef = 12345;
			d2.scale = 2;
			(void)crm_dec_mul_round(&d, &d2, 2, &out);
			(void)crm_dec_mul_round(&d, &d, (sel >> 6) * 6, &out);
		}
		break;
	case 2:
		if (crm_money_parse(s, n, CRM_NUM_MONEY |
		    ((sel >> 3) & CRM_NUM_DECIMAL_COMMA), &cents, why,
		    sizeof(why)) == 0)
			crm_money_format(cents, buf);
		break;
	case 3:
		if (crm_utf8_check(s, n, &bad) == 0)
			(void)crm_email_normalize(s, n, &b, why, sizeof(why));
		else if (bad >= n)
			abort();
		break;
	case 4:
		if (crm_utf8_check(s, n, &bad) == 0)
			(void)crm_phone_normalize(s, n, countries[(sel >> 3) % 16],
			    &b, why, sizeof(why));
		break;
	case 5:
		if (crm_utf8_check(s, n, &bad) == 0)
			crm_text_normalize(s, n, &b);
		break;
	case 6:
		(void)crm_id_check(s, n, why, sizeof(why));
		break;
	case 7:
		if (n < 64) {
			memcpy(buf, s, n);
			buf[n] = '\0';
			if (crm_date_parse_iso(buf, &days) == 0)
				crm_date_day_text(days, buf);
		}
		break;
	}
	crm_buf_release(&b);
	free(s);
	return 0;
}
