# Online Retail's order lines: amount from quantity x unit price, rounded
# half to even; one order, several lines; unknown columns kept.
. "$TOP/tests/cli/lib.sh"
t crm-import -q --map product=StockCode orders data/import/retail.csv
t crm-import -q --db crm.db --map product=StockCode orders \
    data/import/retail.csv
sqlq crm.db "SELECT order_id, count(*), sum(amount) FROM orders GROUP BY 1"
