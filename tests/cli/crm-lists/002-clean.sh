# clean: name, e-mail and phone normalised as crm-import does (columns
# found by its aliases: Name, E-mail, Mobile), problems in _issues, or
# --drop-invalid with a count on standard error; -q silences the count.
L=data/lists/customers.csv
crm-lists clean $L
crm-lists clean --drop-invalid $L
crm-lists clean -q --drop-invalid $L | wc -l
crm-lists clean $L | crm-lists clean -q | cut -d, -f1,9-10
printf 'id,city\n1,x\n' | crm-lists clean
echo "exit $?"
