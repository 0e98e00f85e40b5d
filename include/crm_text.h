/* SPDX-License-Identifier: MIT */
/* Text normalisation: UTF-8 checks, white space, full width, e-mail, phone, identifiers. */
#ifndef CRM_TEXT_H
#define CRM_TEXT_H

#include <stddef.h>

#include "crm_buf.h"

/*
 * Check that s[0..n) is valid UTF-8 (no overlongs, surrogates or values
 * past U+10FFFF).  Returns 0, or -1 with *bad set to the offset of the
 * first invalid byte.
 */
int crm_utf8_check(const char *s, size_t n, size_t *bad);

/*
 * Append to out the normalised form of s[0..n): full-width ASCII
 * (U+FF01..U+FF5E) to its half-width form, U+3000 and other Unicode
 * spaces (NBSP, U+2000..U+200A, U+202F, U+205F) and ASCII white space to
 * a single space, runs of spaces collapsed, leading and trailing spaces
 * removed; zero-width characters (U+200B..U+200D, U+FEFF) dropped.  s must
 * be valid UTF-8.
 */
void crm_text_normalize(const char *s, size_t n, struct crm_buf *out);

/*
 * Normalise an e-mail address: crm_text_normalize, then lower-case, then
 * check the syntax (one '@'; a local part of 1..64 characters of letters,
 * digits and !#$%&'*+/=?^_`{|}~.- without a leading, trailing or doubled
 * dot; a domain of 1..253 characters of dot-separated labels of letters,
 * digits and '-' not at either end, with at least one dot and a final
 * label that is not all digits; non-ASCII letters are allowed in both).
 * Appends the result to out and returns 0, or returns -1 with a reason
 * such as "invalid e-mail address 'bob@@example'" in why.
 */
int crm_email_normalize(const char *s, size_t n, struct crm_buf *out,
    char *why, size_t whylen);

/*
 * Normalise a phone number to E.164 ("+8613800138000"), with an
 * extension kept as ";ext=123".  country is an ISO 3166 alpha-2 code (CN,
 * US, CA, GB, HK, MO, TW, SG, JP, KR, DE, FR, AU; case-insensitive) used
 * when the number has no international prefix ("+" or "00").  For CN: an
 * 11-digit mobile 1[3-9]xxxxxxxxx, "86"/"+86"/"0086" prefixes, landlines
 * 0 + area code (2 digits for 10 and 20..29, else 3) + 7 or 8 digits.
 * Punctuation, spaces, full-width digits and "(0)" are ignored;
 * extensions follow "ext", "x", "#", "转" or a dash after a complete
 * landline.  Appends and returns 0, or -1 with a reason such as "invalid
 * phone number '12345'" or "unknown country 'XX'".
 */
int crm_phone_normalize(const char *s, size_t n, const char *country,
    struct crm_buf *out, char *why, size_t whylen);

/* Nonzero when country is one crm_phone_normalize knows. */
int crm_phone_country_known(const char *country);

/*
 * Check an identifier (customer id, order id, code) for the marks of
 * Excel's damage: scientific notation ("1.10101E+17") or a run of 16 or
 * more digits whose digits after the 15th are all zero.  Returns 0 when
 * it looks intact, -1 with a reason ("looks mangled by Excel: '...'").
 */
int crm_id_check(const char *s, size_t n, char *why, size_t whylen);

#endif /* CRM_TEXT_H */
