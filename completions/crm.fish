# SPDX-License-Identifier: MIT
# fish completion for the crm toolkit.
#
# Install as crm-TOOL.fish for each tool in a directory of
# $fish_complete_path, or source it from config.fish.  To add a tool, add a
# block of "complete -c crm-TOOL" lines, one per option.

# Data files for operands: CSV, gzipped CSV, TSV and text, and directories.
function __crm_datafiles
    set -l token (commandline -ct | string replace -r -- '^--[^=]*=' '')
    for f in $token*
        if test -d $f
            echo $f/
        else if string match -qir '\.(csv|csv\.gz|tsv|txt)$' -- $f
            echo $f
        end
    end
end

# Store files for --db.
function __crm_dbfiles
    set -l token (commandline -ct | string replace -r -- '^--[^=]*=' '')
    for f in $token*
        if test -d $f
            echo $f/
        else if string match -qir '\.(db|sqlite|sqlite3)$' -- $f
            echo $f
        end
    end
end

# True while the command line has no operand yet, so the next is the kind.
function __crm_import_needs_kind
    set -l args (commandline -opc)
    set -e args[1]
    set -l skip 0
    set -l dashdash 0
    for a in $args
        if test $dashdash = 1
            return 1
        else if test $skip = 1
            set skip 0
            continue
        end
        switch $a
            case -- --
                set dashdash 1
            case --delimiter --encoding --map --output --date-format --db \
                --default-country --max-errors --partition --prefer --rejects \
                --fields --max-block --threshold
                set skip 1
            case '--*'
            case '-*'
                string match -qr '^-[fhnqV]*[demo]$' -- $a; and set skip 1
            case '*'
                return 1
        end
    end
    return 0
end

# crm-import
complete -c crm-import -f
complete -c crm-import -n __crm_import_needs_kind -a 'customers orders interactions responses' -d 'kind of record'
complete -c crm-import -n __crm_import_needs_kind -a merges -d 'list, undo or apply merges of customers'
complete -c crm-import -n '__fish_seen_subcommand_from merges; and not __fish_seen_subcommand_from apply list undo' -a 'apply list undo' -d 'merges verb'
complete -c crm-import -n 'not __crm_import_needs_kind; and not __fish_seen_subcommand_from merges' -a '(__crm_datafiles)' -d 'CSV file'
complete -c crm-import -s d -l delimiter -x -a ', \; tab \|' -d 'field delimiter of the input'
complete -c crm-import -l date-format -x -a 'dmy\t"day first" mdy\t"month first"' -d 'how to read d/m/y dates'
complete -c crm-import -l db -x -a '(__crm_dbfiles)' -d 'load into this store'
complete -c crm-import -l decimal-comma -d 'read 1.234,50 as 1234.50'
complete -c crm-import -l dedupe -d 'match all customers after the load and record merges'
complete -c crm-import -l default-country -x -a 'CN US CA GB HK MO TW SG JP KR DE FR AU' -d 'country of phone numbers without a prefix'
complete -c crm-import -s e -l encoding -x -a 'UTF-8 GB18030 GBK UTF-16LE UTF-16BE BIG5 LATIN1' -d 'encoding of the input'
complete -c crm-import -l fields -x -a 'name email phone company address city:text' -d 'customer columns to compare'
complete -c crm-import -s f -l force -d 'import content that was imported before'
complete -c crm-import -s h -l help -d 'print the usage and exit'
complete -c crm-import -s m -l map -x -a 'customer_id= name= email= phone= company= address= city= region= country= signup_date= source= owner= order_date= amount= order_id= product= quantity= price= cost= channel= at= kind= outcome= note= code= responded_at= response= revenue=' -d 'take a field from the named column'
complete -c crm-import -l max-block -x -d 'skip blocking keys shared by more customers'
complete -c crm-import -l max-errors -x -d 'errors to list, or bad rows allowed with --rejects'
complete -c crm-import -s n -l dry-run -d 'check and count, write nothing'
complete -c crm-import -s o -l output -r -F -d 'write the CSV output to a file'
complete -c crm-import -l excel-safe -d 'write CSV safe to open in a spreadsheet'
complete -c crm-import -l redact -d 'write e-mail and phone, or --redact=list, as salted keys'
complete -c crm-import -l salt-file -r -F -d 'the salt for --redact'
complete -c crm-import -l partition -x -d 'keep the customers of partition k of n'
complete -c crm-import -l prefer -x -a 'new\t"new non-empty values replace old ones" existing\t"new values only fill empty fields"' -d 'which values win for known customers'
complete -c crm-import -s q -l quiet -d 'print no summary, warnings or progress'
complete -c crm-import -l rejects -r -F -d 'load good rows, write bad rows to a file'
complete -c crm-import -l threshold -x -d 'link customers at this match probability'
complete -c crm-import -s V -l version -d 'print the version and exit'

# crm-rfm
complete -c crm-rfm -f
complete -c crm-rfm -a '(__crm_datafiles)' -d 'CSV file'
complete -c crm-rfm -l as-of -x -d 'compute recency as of this day (YYYY-MM-DD)'
complete -c crm-rfm -l bins -x -a '2 3 4 5 6 7 8 9' -d 'score from 1 to n'
complete -c crm-rfm -l breaks -r -F -d 'breakpoints r=,f=,m= or a file of them'
complete -c crm-rfm -l check-segments -d 'list score cells in no segment or in more than one'
complete -c crm-rfm -l clv -d 'add lifetime-value columns from fitted models'
complete -c crm-rfm -s d -l delimiter -x -a ', \; tab \|' -d 'field delimiter of the input'
complete -c crm-rfm -l db -x -a '(__crm_dbfiles)' -d 'read orders from, or save to, this store'
complete -c crm-rfm -l discount -x -d 'discount rate per period for the lifetime value'
complete -c crm-rfm -s e -l encoding -x -a 'UTF-8 GB18030 GBK UTF-16LE UTF-16BE BIG5 LATIN1' -d 'encoding of the input'
complete -c crm-rfm -l frequency -x -a 'orders\t"distinct order ids" days\t"distinct purchase days"' -d 'what orders and frequency count'
complete -c crm-rfm -s h -l help -d 'print the usage and exit'
complete -c crm-rfm -l horizon -x -d 'periods ahead for the lifetime value'
complete -c crm-rfm -s o -l output -r -F -d 'write the output to a file'
complete -c crm-rfm -l excel-safe -d 'write CSV safe to open in a spreadsheet'
complete -c crm-rfm -l redact -d 'write e-mail and phone, or --redact=list, as salted keys'
complete -c crm-rfm -l salt-file -r -F -d 'the salt for --redact'
complete -c crm-rfm -l params -r -F -d 'apply lifetime-value models from a file'
complete -c crm-rfm -l partition -x -d 'keep the customers of partition k of n'
complete -c crm-rfm -l period -x -a 'day week month' -d 'unit of frequency, recency and T'
complete -c crm-rfm -l preset -x -a 'rfm-grid rfm-package' -d 'built-in segments'
complete -c crm-rfm -s q -l quiet -d 'print no warnings'
complete -c crm-rfm -l save -d 'store the scores in the store'
complete -c crm-rfm -l segments -r -F -d 'segment rules, a CSV file of name,rule'
complete -c crm-rfm -l show-breaks -d 'write only the breakpoints used'
complete -c crm-rfm -l show-params -d 'write only the lifetime-value models'
complete -c crm-rfm -l summary -d 'write one row per segment'
complete -c crm-rfm -s V -l version -d 'print the version and exit'

# crm-segment
complete -c crm-segment -f
complete -c crm-segment -n '__fish_is_first_arg' -a 'abc value lifecycle kmeans rules migrate' -d 'scheme'
complete -c crm-segment -n 'not __fish_is_first_arg' -a '(__crm_datafiles)' -d 'CSV file'
complete -c crm-segment -l as-of -x -d 'the day the classes hold for (YYYY-MM-DD)'
complete -c crm-segment -l centres -r -F -d 'kmeans: assign to the centres of this file'
complete -c crm-segment -l centres-out -r -F -d 'kmeans: write the fitted centres to this file'
complete -c crm-segment -l check -d 'rules: report the rules instead of the rows'
complete -c crm-segment -l column -x -d 'name of the class column'
complete -c crm-segment -l columns -x -d 'kmeans: the columns to cluster on'
complete -c crm-segment -l current -x -d 'value: the column of current value'
complete -c crm-segment -l cut -x -d 'value: current=x,potential=y instead of medians'
complete -c crm-segment -s d -l delimiter -x -a ', \; tab \|' -d 'field delimiter of the input'
complete -c crm-segment -l db -x -a '(__crm_dbfiles)' -d 'read from, or save to, this store'
complete -c crm-segment -l default -x -d 'rules: the name for rows no rule matches'
complete -c crm-segment -s e -l encoding -x -a 'UTF-8 GB18030 GBK UTF-16LE UTF-16BE BIG5 LATIN1' -d 'encoding of the input'
complete -c crm-segment -l engaged-days -x -d 'lifecycle: engaged while the latest contact is this young'
complete -c crm-segment -l from -x -d 'migrate: the earlier saved assignment'
complete -c crm-segment -s h -l help -d 'print the usage and exit'
complete -c crm-segment -l interactions -x -a '(__crm_datafiles)' -d 'lifecycle: a CSV file of interactions'
complete -c crm-segment -l k -x -a 'auto 2 3 4 5 6 7 8' -d 'kmeans: the number of clusters'
complete -c crm-segment -l lapsed-factor -x -d 'lifecycle: lapsed beyond x typical gaps'
complete -c crm-segment -l log -d 'kmeans: cluster on log(1 + x)'
complete -c crm-segment -l lost-days -x -d 'lifecycle: lost beyond n days'
complete -c crm-segment -l lost-factor -x -d 'lifecycle: lost beyond x typical gaps'
complete -c crm-segment -l min-gap -x -d 'lifecycle: the least typical gap'
complete -c crm-segment -l names -x -d 'value: four class names'
complete -c crm-segment -l new-days -x -d 'lifecycle: new while the first purchase is this young'
complete -c crm-segment -s o -l output -r -F -d 'write the output to a file'
complete -c crm-segment -l excel-safe -d 'write CSV safe to open in a spreadsheet'
complete -c crm-segment -l redact -d 'write e-mail and phone, or --redact=list, as salted keys'
complete -c crm-segment -l salt-file -r -F -d 'the salt for --redact'
complete -c crm-segment -l partition -x -d 'keep the customers of partition k of n'
complete -c crm-segment -l potential -x -d 'value: the column of potential value'
complete -c crm-segment -s q -l quiet -d 'print no warnings'
complete -c crm-segment -l risk-factor -x -d 'lifecycle: at risk beyond x typical gaps'
complete -c crm-segment -l rule -x -d 'rules: a rule name=expr'
complete -c crm-segment -l rules -r -F -d 'rules: a CSV file of name,rule'
complete -c crm-segment -l save -d 'store the classes in the store'
complete -c crm-segment -l scheme -x -a 'abc value lifecycle kmeans rules' -d 'migrate: the scheme to compare'
complete -c crm-segment -l seed -x -d 'kmeans: the seed of the random starts'
complete -c crm-segment -l share -x -d 'abc: cuts as cumulative shares of value'
complete -c crm-segment -l single-gap -x -d 'lifecycle: the typical gap of a one-time buyer'
complete -c crm-segment -l summary -d 'write one row per class'
complete -c crm-segment -l to -x -d 'migrate: the later saved assignment'
complete -c crm-segment -l tol -x -d 'kmeans: the centre movement that ends the iterations'
complete -c crm-segment -l top -x -d 'abc: cuts as shares of customers'
complete -c crm-segment -l value -x -d 'abc: the column of value'
complete -c crm-segment -s V -l version -d 'print the version and exit'

# crm-lists
complete -c crm-lists -f
complete -c crm-lists -n __fish_use_subcommand -a 'select clean dedupe suppress sample split code diff intersect union save show ls rm responses' -d 'verb'
complete -c crm-lists -n 'not __fish_use_subcommand' -a '(__crm_datafiles)' -d 'CSV file'
complete -c crm-lists -l against -x -a '(__crm_datafiles)' -d 'remove the rows on this list'
complete -c crm-lists -l by -x -d 'stratify by this column'
complete -c crm-lists -l campaign -x -d 'campaign name in the codes'
complete -c crm-lists -l cell-column -x -d 'column that holds the cell'
complete -c crm-lists -l cells -x -d 'cells and their shares, such as A:45,B:45,control:10'
complete -c crm-lists -l columns -x -d 'write only these columns'
complete -c crm-lists -l control -x -d 'the control cell'
complete -c crm-lists -s n -l count -x -d 'sample this many rows'
complete -c crm-lists -l country -x -a 'CN US CA GB HK MO TW SG JP KR DE FR AU' -d 'country of phone numbers without a prefix'
complete -c crm-lists -s d -l delimiter -x -a ', \; tab \|' -d 'field delimiter of the input'
complete -c crm-lists -l date-column -x -d 'survivor: newest values by this date column'
complete -c crm-lists -l db -x -a '(__crm_dbfiles)' -d 'the store'
complete -c crm-lists -l desc -d 'order by --order-by descending'
complete -c crm-lists -l drop-invalid -d 'drop rows with issues instead of flagging them'
complete -c crm-lists -s e -l encoding -x -a 'UTF-8 GB18030 GBK UTF-16LE UTF-16BE BIG5 LATIN1' -d 'encoding of the input'
complete -c crm-lists -l explain -x -d 'print the evidence for two rows'
complete -c crm-lists -l fields -x -d 'columns to compare, with types'
complete -c crm-lists -l files -r -F -d 'write one file per cell with this prefix'
complete -c crm-lists -l format -x -d 'form of the codes'
complete -c crm-lists -l fraction -x -d 'keep each row with this probability'
complete -c crm-lists -l fuzzy -d 'find duplicates by probabilistic matching'
complete -c crm-lists -s h -l help -d 'print the usage and exit'
complete -c crm-lists -l id-column -x -d 'column that names the rows'
complete -c crm-lists -l keep -x -a 'first last most-complete survivor' -d 'which duplicate to keep'
complete -c crm-lists -l key -x -d 'key columns'
complete -c crm-lists -l limit -x -d 'stop after this many rows'
complete -c crm-lists -l list -x -d 'read this saved list'
complete -c crm-lists -l max-block -x -d 'skip blocking keys shared by more rows'
complete -c crm-lists -l on -x -d 'columns to match the suppression lists on'
complete -c crm-lists -l order-by -x -d 'order the rows by this SQLite expression'
complete -c crm-lists -s o -l output -r -F -d 'write the output to a file'
complete -c crm-lists -l excel-safe -d 'write CSV safe to open in a spreadsheet'
complete -c crm-lists -l redact -d 'write e-mail and phone, or --redact=list, as salted keys'
complete -c crm-lists -l salt-file -r -F -d 'the salt for --redact'
complete -c crm-lists -l pairs -r -F -d 'write the scored pairs to a file'
complete -c crm-lists -l per-stratum -x -d 'sample this many rows of every stratum'
complete -c crm-lists -l program -x -d 'program name in the codes'
complete -c crm-lists -s q -l quiet -d 'print no counts'
complete -c crm-lists -l replace -d 'replace a saved list of the same name'
complete -c crm-lists -l report -r -F -d 'write the removed rows with their reason'
complete -c crm-lists -l seed -x -d 'seed of the random generator'
complete -c crm-lists -l source-priority -x -d 'survivor: preferred sources, column:value,...'
complete -c crm-lists -l threshold -x -d 'match probability that links two rows'
complete -c crm-lists -s v -l verbose -d 'dedupe --fuzzy: print what the matcher did'
complete -c crm-lists -s V -l version -d 'print the version and exit'
complete -c crm-lists -l where -x -d 'keep rows where this SQLite expression is true'

# crm-churn
complete -c crm-churn -f
complete -c crm-churn -n '__fish_is_first_arg' -a 'train score evaluate explain features alive' -d 'command'
complete -c crm-churn -n 'not __fish_is_first_arg' -a '(__crm_datafiles)' -d 'CSV file'
complete -c crm-churn -l as-of -x -d 'score, features, alive: the as-of date (YYYY-MM-DD)'
complete -c crm-churn -l bands -x -d 'score, alive: risk bands name=upper,...'
complete -c crm-churn -l criterion -x -a 'gini entropy' -d 'tree: the impurity splits reduce'
complete -c crm-churn -l cv -x -d 'train: cross-validate on k folds first'
complete -c crm-churn -s d -l delimiter -x -a ', \; tab \|' -d 'field delimiter of the input'
complete -c crm-churn -l db -x -a '(__crm_dbfiles)' -d 'the store: to save to, or features, alive: to read'
complete -c crm-churn -l depth -x -d 'tree, gbt: the depth of the trees'
complete -c crm-churn -s e -l encoding -x -a 'UTF-8 GB18030 GBK UTF-16LE UTF-16BE BIG5 LATIN1' -d 'encoding of the input'
complete -c crm-churn -s h -l help -d 'print the usage and exit'
complete -c crm-churn -l horizon -x -d 'features: label horizon; alive: no-purchase horizon'
complete -c crm-churn -l ignore -x -d 'train: columns not to use'
complete -c crm-churn -l interactions -r -F -d 'features: interactions CSV file'
complete -c crm-churn -l l2 -x -d 'logit: weight penalty; gbt: leaf penalty'
complete -c crm-churn -l label -x -d 'train, evaluate: the label column'
complete -c crm-churn -l max-kinds -x -d 'features: interaction kind and channel columns'
complete -c crm-churn -l max-levels -x -d 'train: levels a category keeps'
complete -c crm-churn -l min-leaf -x -d 'tree, gbt: the fewest rows a leaf'
complete -c crm-churn -l model -r -F -a 'logit tree gbt' -d 'train: the model; score: the model file'
complete -c crm-churn -s o -l output -r -F -d 'the model file (train) or the output'
complete -c crm-churn -l excel-safe -d 'write CSV safe to open in a spreadsheet'
complete -c crm-churn -l redact -d 'write e-mail and phone, or --redact=list, as salted keys'
complete -c crm-churn -l salt-file -r -F -d 'the salt for --redact'
complete -c crm-churn -l params -r -F -d 'alive: BG/NBD model file instead of a fit'
complete -c crm-churn -l partition -x -d 'features, alive: keep partition k of n'
complete -c crm-churn -l patience -x -d 'gbt: rounds without improvement before stopping'
complete -c crm-churn -s q -l quiet -d 'print no warnings'
complete -c crm-churn -l rate -x -d 'gbt: the learning rate'
complete -c crm-churn -l rounds -x -d 'gbt: the most rounds'
complete -c crm-churn -l save -d 'score, alive: store the scores'
complete -c crm-churn -l score -x -d 'evaluate: the score column'
complete -c crm-churn -l seed -x -d 'train: seed of the validation split and folds'
complete -c crm-churn -l threads -x -d 'tree, gbt: histogram threads'
complete -c crm-churn -l threshold -x -d 'evaluate: predict churn at and above'
complete -c crm-churn -l valid -x -d 'gbt: validation share for early stopping'
complete -c crm-churn -l window -x -d 'features: the recent window'
complete -c crm-churn -s V -l version -d 'print the version and exit'

# crm-scorecard
complete -c crm-scorecard -f
complete -c crm-scorecard -a '(__crm_datafiles)' -d 'CSV file'
complete -c crm-scorecard -l as-of -x -d 'report the period that contains this day (YYYY-MM-DD)'
complete -c crm-scorecard -l by -x -a 'segment stage channel owner region city country source company' -d 'break the figures down by this dimension'
complete -c crm-scorecard -l compare -x -a 'previous year-ago' -d 'the period to compare with'
complete -c crm-scorecard -s d -l delimiter -x -a ', \; tab \|' -d 'field delimiter of the input'
complete -c crm-scorecard -l db -x -a '(__crm_dbfiles)' -d 'read this store'
complete -c crm-scorecard -s e -l encoding -x -a 'UTF-8 GB18030 GBK UTF-16LE UTF-16BE BIG5 LATIN1' -d 'encoding of the input'
complete -c crm-scorecard -l format -x -a 'text csv md json html' -d 'output format'
complete -c crm-scorecard -s h -l help -d 'print the usage and exit'
complete -c crm-scorecard -s o -l output -r -F -d 'write the output to a file'
complete -c crm-scorecard -l excel-safe -d 'write CSV safe to open in a spreadsheet'
complete -c crm-scorecard -l period -x -a 'month quarter year' -d 'the length of a period'
complete -c crm-scorecard -s q -l quiet -d 'print no warnings'
complete -c crm-scorecard -l sections -x -a 'customers money concentration trend breakdown migration cohorts service campaigns churn' -d 'the sections to give, separated by commas'
complete -c crm-scorecard -s V -l version -d 'print the version and exit'
