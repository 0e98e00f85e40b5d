# --redact: the e-mail and phone columns (found by name, aliases too) or
# the named ones become "h:" and 20 hex digits of HMAC-SHA256(salt,
# value); two exports with the same salt still join on them.  The keys
# are checked against openssl when it is installed (else the .out's
# values, recorded from "openssl dgst -sha256 -hmac", stand alone).
. "$TOP/tests/cli/lib.sh"
cat >c.csv <<'END'
customer_id,name,E-mail,Mobile,note
C1,Ann,ann@example.com,13800138000,x
C2,Bob,,+86 138 0013 8001,=1+1
C3,Cy,bad-address,,y
END
printf 'pepper\n' >salt
echo "crm-lists select, salt from CRM_SALT:"
CRM_SALT=pepper crm-lists -q select --redact --where 1 c.csv | tee a.csv
echo "the same with --salt-file (one final newline dropped):"
crm-lists -q select --redact --salt-file salt --where 1 c.csv | cmp - a.csv &&
    echo same
if command -v openssl >/dev/null 2>&1; then
	for v in ann@example.com 13800138000; do
		printf '%s' "$v" | openssl dgst -sha256 -hmac pepper |
		    sed 's/.*= *//' | cut -c1-20 | sed 's/^/h:/'
	done >want
	cut -d, -f3,4 a.csv | sed -n 2p | tr , '\n' | cmp - want &&
	    echo "row 1 matches openssl dgst -sha256 -hmac"
else
	echo "row 1 matches openssl dgst -sha256 -hmac"
fi
echo "--redact=list, with --excel-safe:"
CRM_SALT=pepper crm-lists -q select --redact=customer_id,note --excel-safe \
    --where 1 c.csv
echo "crm-lists clean normalises first, so exports join:"
CRM_SALT=pepper crm-lists -q clean --redact c.csv | cut -d, -f1,3,4
CRM_SALT=pepper crm-lists -q clean --redact data/lists/customers.csv >b.csv
CRM_SALT=pepper crm-lists -q clean --redact data/lists/other.csv >c2.csv
crm-lists -q intersect --key email b.csv c2.csv | cut -d, -f1,3
echo "as many as without --redact:"
crm-lists -q intersect --key email data/lists/customers.csv \
    data/lists/other.csv | cut -d, -f1
echo "crm-import filter mode; the rejects file is not redacted:"
CRM_SALT=pepper crm-import -q --redact --rejects rej.csv customers c.csv |
    cut -d, -f1,3,4
cut -d, -f1,3 rej.csv
echo "a different salt, other keys:"
CRM_SALT=salt2 crm-lists -q select --redact --where 1 c.csv | sed -n 2p
echo "errors:"
crm-lists -q select --redact --where 1 c.csv 2>err >out
echo "exit $?, $(head -1 err), $(wc -c <out) bytes out"
for args in "--salt-file salt" "--redact --salt-file nosuch" \
    "--redact=fax --salt-file salt" "--redact= --salt-file salt"; do
	# shellcheck disable=SC2086
	crm-lists -q select $args --where 1 c.csv 2>err >out
	echo "$args: exit $?, $(head -1 err), $(wc -c <out) bytes out"
done
: >empty
CRM_SALT= crm-rfm --redact --as-of 2024-06-01 c.csv 2>&1 | head -1
crm-rfm --redact --salt-file empty --as-of 2024-06-01 c.csv 2>&1 | head -1
printf 'id,email,EMAIL\n1,a@b.c,d@e.f\n' >two.csv
crm-lists -q select --redact=Email --salt-file salt --where 1 two.csv 2>&1
echo "exit $?"
CRM_SALT=pepper crm-import -q --redact --db s.db customers c.csv 2>&1 |
    head -1
ls s.db 2>/dev/null || echo "no store made"
