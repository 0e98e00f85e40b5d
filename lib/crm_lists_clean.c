/* SPDX-License-Identifier: MIT */
/* crm-lists clean: normalise contacts, flag or drop invalid and junk rows. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crm_buf.h"
#include "crm_csv.h"
#include "crm_listkey.h"
#include "crm_lists.h"
#include "crm_lists_int.h"
#include "crm_text.h"

/*
 * clean.  The junk that campaign lists collect: role addresses, which
 * reach a team rather than a person (RFC 2142 names many), and the
 * placeholders typed to get past a required field.
 */
static const char *const role_locals[] = { "abuse", "admin",
	"administrator", "billing", "contact", "do-not-reply", "donotreply",
	"enquiries", "help", "hostmaster", "info", "mailer-daemon",
	"marketing", "no-reply", "noc", "noreply", "office", "postmaster",
	"root", "sales", "security", "service", "support", "webmaster", NULL };
static const char *const placeholders[] = { "a", "aa", "aaa", "abc",
	"asd", "asdf", "asdfgh", "dummy", "fake", "foo", "foobar", "n/a",
	"na", "none", "null", "qwe", "qwer", "qwerty", "sample", "test",
	"test1", "test123", "tester", "testing", "unknown", "xx", "xxx",
	"xxxx", "测试", "无", "未知", NULL };
static const char *const placeholder_domains[] = { "example.com",
	"example.net", "example.org", "test.com", "test.test", NULL };

static int
in_list(const char *const *list, const char *s, size_t n)
{
	for (; *list != NULL; list++)
		if (strlen(*list) == n && strncasecmp(*list, s, n) == 0)
			return 1;
	return 0;
}

/* A name that is a placeholder, or one character repeated ("xxxxx"). */
static int
placeholder_name(const char *s, size_t n)
{
	size_t i;

	if (in_list(placeholders, s, n))
		return 1;
	for (i = 1; i < n && s[i] == s[0]; i++)
		;
	return n >= 2 && i == n && (unsigned char)s[0] < 0x80;
}

/*
 * A normalised phone whose last eight digits are one digit repeated
 * (13800000000, 13333333333) or a run up or down (12345678), or the
 * service number 13800138000 that forms are often filled with.
 */
static int
placeholder_phone(const char *s, size_t n)
{
	char d[32];
	size_t nd = 0, i;
	int up = 1, down = 1, same = 1;

	for (i = 0; i < n && s[i] != ';'; i++)
		if (s[i] >= '0' && s[i] <= '9' && nd < sizeof(d))
			d[nd++] = s[i];
	if (nd >= 11 && memcmp(d + nd - 11, "13800138000", 11) == 0)
		return 1;
	if (nd < 8)
		return 0;
	for (i = nd - 7; i < nd; i++) {
		same &= d[i] == d[i - 1];
		up &= d[i] == d[i - 1] + 1;
		down &= d[i] == d[i - 1] - 1;
	}
	return same || up || down;
}

static void
add_issue(struct crm_buf *b, const char *what)
{
	if (b->len > 0)
		crm_buf_addc(b, ';');
	crm_buf_adds(b, what);
}

/* Where clean finds its columns; -1 for a column the list lacks. */
struct clean_cols {
	int id, name, email, phone;
	size_t issues;
};

static int
clean_columns(const struct lists_src *s, struct clean_cols *c,
    struct crm_error *e)
{
	const char *const *names = (const char *const *)s->names;
	static const char *const want[] = { "customer_id", "name", "email",
	    "phone" };
	int *col[4], i;

	col[0] = &c->id;
	col[1] = &c->name;
	col[2] = &c->email;
	col[3] = &c->phone;
	for (i = 0; i < 4; i++) {
		*col[i] = crm_listkey_find(names, s->ncols, want[i]);
		if (*col[i] == -2)
			return crm_lists_column(s, "clean", want[i], e);
	}
	if (c->name < 0 && c->email < 0 && c->phone < 0) {
		crm_error_set(e, CRM_ERR_USAGE, "clean: no name, email or "
		    "phone column");
		crm_error_at(e, s->first, 0, 0, NULL);
		return -1;
	}
	c->issues = crm_lists_out_column(s, "_issues");
	return 0;
}

/* Normalise field col of r into b and note its problems in issues. */
static void
clean_field(struct lists_run *u, const struct crm_csv_record *r, int col,
    enum crm_listkey_type t, struct crm_buf *b, struct crm_buf *issues)
{
	char why[160];
	const char *at;
	int rc = 0;

	crm_buf_reset(b);
	u->f[col] = r->fields[col];
	u->l[col] = r->lens[col];
	if (crm_lists_is_empty(r->fields[col], r->lens[col]))
		crm_text_normalize(r->fields[col], r->lens[col], b);
	else if (t == CRM_LISTKEY_EMAIL)
		rc = crm_email_normalize(r->fields[col], r->lens[col], b, why,
		    sizeof(why));
	else if (t == CRM_LISTKEY_PHONE)
		rc = crm_phone_normalize(r->fields[col], r->lens[col],
		    u->o->country, b, why, sizeof(why));
	else
		crm_text_normalize(r->fields[col], r->lens[col], b);
	if (rc == -1) {
		/* Nothing to normalise to: the value is left as it was. */
		add_issue(issues, t == CRM_LISTKEY_EMAIL ? "invalid email" :
		    "invalid phone");
		return;
	}
	u->f[col] = b->s;
	u->l[col] = b->len;
	if (b->len == 0)
		return;
	if (t == CRM_LISTKEY_EMAIL) {
		at = strchr(b->s, '@');
		if (in_list(role_locals, b->s, (size_t)(at - b->s)))
			add_issue(issues, "role email");
		else if (in_list(placeholders, b->s, (size_t)(at - b->s)) ||
		    in_list(placeholder_domains, at + 1, strlen(at + 1)))
			add_issue(issues, "placeholder email");
	} else if (t == CRM_LISTKEY_PHONE) {
		if (placeholder_phone(b->s, b->len))
			add_issue(issues, "placeholder phone");
	} else if (placeholder_name(b->s, b->len))
		add_issue(issues, "placeholder name");
}

int
crm_lists_clean(struct lists_run *u, struct crm_error *e)
{
	struct crm_lists_opts *o = u->o;
	struct crm_csv_record *r;
	struct clean_cols c;
	struct crm_buf bn = CRM_BUF_INIT, bp = CRM_BUF_INIT;
	struct crm_buf *be = &u->b, *bi = &u->b2;
	size_t i;
	int rc = -1, contact;

	if (clean_columns(&u->in, &c, e) == -1)
		goto out;
	crm_lists_scratch(u, u->in.ncols);
	if (crm_lists_sink_open(&u->out, o->output, e) == -1
	    || crm_lists_put_header(u->out.wr, &u->in, o->drop_invalid
	    ? NULL : "_issues", e) == -1)
		goto out;
	while ((rc = crm_lists_src_next(&u->in, &r, e)) == 1) {
		o->rows_in++;
		for (i = 0; i < r->nfields; i++) {
			u->f[i] = r->fields[i];
			u->l[i] = r->lens[i];
		}
		crm_buf_reset(bi);
		if (c.id >= 0 && crm_lists_is_empty(r->fields[c.id],
		    r->lens[c.id]))
			add_issue(bi, "empty customer_id");
		contact = 0;
		if (c.email >= 0) {
			clean_field(u, r, c.email, CRM_LISTKEY_EMAIL, be, bi);
			contact |= u->l[c.email] > 0;
		}
		if (c.phone >= 0) {
			clean_field(u, r, c.phone, CRM_LISTKEY_PHONE, &bp, bi);
			contact |= u->l[c.phone] > 0;
		}
		if ((c.email >= 0 || c.phone >= 0) && !contact)
			add_issue(bi, "no email or phone");
		if (c.name >= 0)
			clean_field(u, r, c.name, CRM_LISTKEY_TEXT, &bn, bi);
		if (o->drop_invalid && bi->len > 0)
			continue;
		o->rows_out++;
		if (crm_lists_put_row(u->out.wr, u->f, u->l, r->nfields,
		    o->drop_invalid ? SIZE_MAX : c.issues, bi->s, bi->len,
		    e) == -1) {
			rc = -1;
			break;
		}
	}
out:
	crm_buf_release(&bn);
	crm_buf_release(&bp);
	return rc;
}
