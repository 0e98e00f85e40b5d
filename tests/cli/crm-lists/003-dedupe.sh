# dedupe: exact duplicates after normalisation; empty keys never match.
L=data/lists/customers.csv
printf 'customer_id,email,phone,city\nD1,Li.Na@qq.com,,\nD2,li.na@QQ.COM,13900139002,Beijing\nD3,,,x\nD4,,,y\nD5,li.na@qq.com,,Wuhan\n' >d.csv
crm-lists dedupe --key email d.csv
crm-lists dedupe --key email --keep last d.csv
crm-lists dedupe --key email --keep most-complete d.csv
crm-lists dedupe -q --key email,city d.csv
crm-lists dedupe -q --key Mobile $L $L | cut -d, -f1,4
