# One customer is A with the whole value.
printf 'customer_id,v\nX,5\n' | crm-segment abc --value v
# All values equal: one group, rank 1, class A for all.
printf 'customer_id,v\na,3\nb,3\nc,3\n' | crm-segment abc --value v
# Only zero and negative values: everyone is none, and the summary says
# so without dividing by zero.
printf 'customer_id,v\na,0\nb,-1\n' | crm-segment abc --value v --summary
# A header without rows gives the header with the new columns.
printf 'customer_id,v\n' | crm-segment abc --value v
# Values as exports write them: groups, currency, full width, decimals.
printf 'customer_id,v\na,"¥1,234.50"\nb,１２\nc,0.0000005\nd,(3.00)\n' |
    crm-segment abc --value v --share 99.9
