# diff, intersect, union on normalised keys; union is de-duplicated and
# writes B's rows under A's header.
L=data/lists/customers.csv
O=data/lists/other.csv
crm-lists diff --key email $L $O | cut -d, -f1,3
crm-lists intersect --key email $L $O | cut -d, -f1,3
crm-lists intersect --key phone $L $O | cut -d, -f1,4
crm-lists union --key email $O $L | cut -d, -f1-3
