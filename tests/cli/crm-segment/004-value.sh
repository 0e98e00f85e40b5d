# Split at the medians: revenue -20,0,50,50,100,300,500 has median 50 and
# clv 5,20,50,60,100,200,900 has 60; a value at the median is high.  So
# C3 (100, 50) is gold, C5 (50 at the median, 20) gold, C6 (0, 60 at the
# median) iron.
crm-segment value --current revenue --potential clv data/seg/customers.csv
crm-segment value --current revenue --potential clv --summary \
    data/seg/customers.csv
# Given cuts stream; two inputs with one header; names of one's own.
crm-segment value --current revenue --potential clv \
    --cut current=100,potential=100 --names A,B,C,D \
    data/seg/customers.csv data/seg/more.csv
# Even counts: the median is the mean of the two middle values.
printf 'customer_id,c,p\na,1,1\nb,2,2\nc,3,3\nd,4,4\n' |
    crm-segment value --current c --potential p --summary
