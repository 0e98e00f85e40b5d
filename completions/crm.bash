# SPDX-License-Identifier: MIT
# bash completion for the crm toolkit: one function per tool.
#
# bash-completion loads a completion file by command name, so install this
# file once under each tool's name (crm-import, crm-rfm, ...), or source it
# from ~/.bashrc.  It needs bash 4 and works without bash-completion.
#
# To add a tool: write _crm_TOOL on the model of _crm_import, with its
# options in _crm_TOOL_opts, and register it at the end of the file.

# Splitting compgen's output into COMPREPLY is intended here.
# shellcheck disable=SC2207

# Data files for operands: CSV, gzipped CSV, TSV and text, and directories.
_crm_datafiles()
{
	local cur=$1 ext
	local IFS=$'\n'
	compopt -o filenames 2>/dev/null
	COMPREPLY+=($(compgen -d -- "$cur"))
	for ext in csv csv.gz tsv txt CSV CSV.GZ TSV TXT; do
		COMPREPLY+=($(compgen -f -X "!*.$ext" -- "$cur"))
	done
}

# Store files for --db: *.db and *.sqlite, and directories.
_crm_dbfiles()
{
	local cur=$1 ext
	local IFS=$'\n'
	compopt -o filenames 2>/dev/null
	COMPREPLY+=($(compgen -d -- "$cur"))
	for ext in db sqlite sqlite3; do
		COMPREPLY+=($(compgen -f -X "!*.$ext" -- "$cur"))
	done
}

# Any file, for output files.
_crm_anyfiles()
{
	local IFS=$'\n'
	compopt -o filenames 2>/dev/null
	COMPREPLY+=($(compgen -f -- "$1"))
}

# Fixed words, as in compgen -W.
_crm_words()
{
	COMPREPLY+=($(compgen -W "$1" -- "$2"))
}

# Values of the options that several tools share.
_crm_delimiters()
{
	local d
	for d in ',' '\;' tab '\|'; do
		[[ $d == "$1"* || ${d#\\} == "$1"* ]] && COMPREPLY+=("$d")
	done
}

_crm_encodings='UTF-8 GB18030 GBK UTF-16LE UTF-16BE BIG5 LATIN1'

# Set cur and prev for the word being completed, splitting --opt=value.
_crm_curprev()
{
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	if [[ $cur == = && $prev == --* ]]; then
		cur=
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $cur == --*=* ]]; then
		prev=${cur%%=*}
		cur=${cur#*=}
	fi
}

# crm-import
_crm_import_opts='-d --delimiter -e --encoding -f --force -h --help
	-m --map -n --dry-run -o --output -q --quiet -V --version
	--date-format --db --decimal-comma --dedupe --default-country --fields
	--max-block --max-errors --partition --prefer --rejects --threshold
	--excel-safe --redact --salt-file'
_crm_import_kinds='customers orders interactions responses merges'
_crm_import_fields='customer_id name email phone company address city region
	country signup_date source owner order_date amount order_id product
	quantity price cost channel at kind outcome note code responded_at
	response revenue'

_crm_import()
{
	local cur prev w t h i first= nargs=0 skip=0 dashdash=0
	COMPREPLY=()
	_crm_curprev

	# The last of a bundle of flags can take an argument: -qd ','.
	[[ $prev == -[fhnqV]*[demo] ]] && prev=-${prev: -1}

	case $prev in
	-d|--delimiter)
		_crm_delimiters "$cur"; return ;;
	-e|--encoding)
		_crm_words "$_crm_encodings" "$cur"; return ;;
	-m|--map)
		compopt -o nospace 2>/dev/null
		COMPREPLY=($(compgen -S = -W "$_crm_import_fields" -- "$cur"))
		return ;;
	-o|--output|--rejects|--salt-file)
		_crm_anyfiles "$cur"; return ;;
	--db)
		_crm_dbfiles "$cur"; return ;;
	--date-format)
		_crm_words 'dmy mdy' "$cur"; return ;;
	--prefer)
		_crm_words 'new existing' "$cur"; return ;;
	--default-country)
		_crm_words 'CN US CA GB HK MO TW SG JP KR DE FR AU' "$cur"
		return ;;
	--fields)
		_crm_words 'name email phone company address city:text' "$cur"
		return ;;
	--max-block|--max-errors|--partition|--threshold)
		return ;;
	esac

	# Count the operands before the current word, skipping options and
	# their arguments, to know whether the kind has been given.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if ((skip)); then
			skip=0
			continue
		fi
		case $w in
		--)	((nargs += COMP_CWORD - i - 1, dashdash = 1)); break ;;
		--delimiter|--encoding|--map|--output|--date-format|--db|\
		--default-country|--max-errors|--partition|--prefer|--rejects|\
		--fields|--max-block|--threshold)
			[[ ${COMP_WORDS[i + 1]} == = ]] && ((i++))
			skip=1 ;;
		--*)	[[ ${COMP_WORDS[i + 1]} == = ]] && ((i += 2)) ;;
		-?*)	# -d and -qd take the next word; -d, and -do do not
			t=${w#-}
			h=${t%%[demo]*}
			[[ $h != "$t" && ${#t} -eq $((${#h} + 1)) ]] && skip=1 ;;
		*)	((nargs == 0)) && first=$w
			((nargs++)) ;;
		esac
	done

	if [[ $cur == -* ]] && ((!dashdash)); then
		_crm_words "$_crm_import_opts" "$cur"
	elif ((nargs == 0)); then
		_crm_words "$_crm_import_kinds" "$cur"
	elif [[ $first == merges ]]; then
		((nargs == 1)) && _crm_words 'apply list undo' "$cur"
	else
		_crm_datafiles "$cur"
	fi
}

# crm-rfm
_crm_rfm_opts='-d --delimiter -e --encoding -h --help -o --output -q --quiet
	-V --version --as-of --bins --breaks --check-segments --clv --db
	--discount --frequency --horizon --params --partition --period --preset
	--save --segments --show-breaks --show-params --summary --excel-safe --redact --salt-file'

_crm_rfm()
{
	local cur prev w i skip=0 dashdash=0
	COMPREPLY=()
	_crm_curprev

	# The last of a bundle of flags can take an argument: -qd ','.
	[[ $prev == -[hqV]*[deo] ]] && prev=-${prev: -1}

	case $prev in
	-d|--delimiter)
		_crm_delimiters "$cur"; return ;;
	-e|--encoding)
		_crm_words "$_crm_encodings" "$cur"; return ;;
	-o|--output|--breaks|--params|--segments|--salt-file)
		_crm_anyfiles "$cur"; return ;;
	--db)
		_crm_dbfiles "$cur"; return ;;
	--frequency)
		_crm_words 'orders days' "$cur"; return ;;
	--period)
		_crm_words 'day week month' "$cur"; return ;;
	--preset)
		_crm_words 'rfm-grid rfm-package' "$cur"; return ;;
	--as-of|--bins|--discount|--horizon|--partition)
		return ;;
	esac

	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		[[ $w == -- ]] && dashdash=1
	done
	if [[ $cur == -* ]] && ((!dashdash)); then
		_crm_words "$_crm_rfm_opts" "$cur"
	else
		_crm_datafiles "$cur"
	fi
}

# crm-segment
_crm_segment_schemes='abc value lifecycle kmeans rules migrate'
_crm_segment_opts='-d --delimiter -e --encoding -h --help -o --output -q --quiet
	-V --version --as-of --centres --centres-out --check --column --columns
	--current --cut --db
	--default --engaged-days --from --interactions --k --lapsed-factor --log
	--lost-days --lost-factor
	--min-gap --names --new-days --partition --potential --risk-factor
	--rule --rules --save --scheme --seed --share --single-gap --summary
	--to --tol --top --value --excel-safe --redact --salt-file'

_crm_segment()
{
	local cur prev w i scheme= dashdash=0
	COMPREPLY=()
	_crm_curprev

	[[ $prev == -[hqV]*[deo] ]] && prev=-${prev: -1}

	case $prev in
	-d|--delimiter)
		_crm_delimiters "$cur"; return ;;
	-e|--encoding)
		_crm_words "$_crm_encodings" "$cur"; return ;;
	-o|--output|--rules|--centres|--centres-out|--interactions|--salt-file)
		_crm_anyfiles "$cur"; return ;;
	--db)
		_crm_dbfiles "$cur"; return ;;
	--k)
		_crm_words 'auto 2 3 4 5 6 7 8' "$cur"; return ;;
	--scheme)
		_crm_words 'abc value lifecycle kmeans rules' "$cur"; return ;;
	--as-of|--column|--columns|--current|--cut|--default|--engaged-days|--from|\
	--lapsed-factor|--lost-days|--lost-factor|--min-gap|--names|\
	--new-days|--partition|--potential|--risk-factor|--rule|--seed|\
	--share|--single-gap|--to|--tol|--top|--value)
		return ;;
	esac

	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		[[ $w == -- ]] && dashdash=1
		[[ -z $scheme && $w != -* && " $_crm_segment_schemes " == *" $w "* ]] &&
		    scheme=$w
	done
	if [[ $cur == -* ]] && ((!dashdash)); then
		_crm_words "$_crm_segment_opts" "$cur"
	elif [[ -z $scheme ]]; then
		_crm_words "$_crm_segment_schemes" "$cur"
	else
		_crm_datafiles "$cur"
	fi
}

# crm-lists
_crm_lists_opts='-d --delimiter -e --encoding -h --help -n --count -o --output
	-q --quiet -V --version -v --verbose --against --by --campaign --cell-column --cells
	--columns --control --country --date-column --db --desc --drop-invalid
	--explain --fields --files --format --fraction --fuzzy --id-column --keep
	--key --limit --list --max-block --on --order-by --pairs --per-stratum
	--program --replace --report --seed --source-priority --threshold
	--where --excel-safe --redact --salt-file'
_crm_lists_verbs='select clean dedupe suppress sample split code diff
	intersect union save show ls rm responses'

_crm_lists()
{
	local cur prev w i nargs=0 skip=0 dashdash=0
	COMPREPLY=()
	_crm_curprev

	[[ $prev == -[hqVv]*[deno] ]] && prev=-${prev: -1}

	case $prev in
	-d|--delimiter)
		_crm_delimiters "$cur"; return ;;
	-e|--encoding)
		_crm_words "$_crm_encodings" "$cur"; return ;;
	-o|--output|--report|--files|--pairs|--salt-file)
		_crm_anyfiles "$cur"; return ;;
	--against)
		_crm_datafiles "$cur"; return ;;
	--db)
		_crm_dbfiles "$cur"; return ;;
	--keep)
		_crm_words 'first last most-complete survivor' "$cur"; return ;;
	--country)
		_crm_words 'CN US CA GB HK MO TW SG JP KR DE FR AU' "$cur"
		return ;;
	-n|--count|--by|--campaign|--cell-column|--cells|--columns|--control|\
	--format|--fraction|--key|--limit|--list|--on|--order-by|\
	--per-stratum|--program|--seed|--where|--date-column|--explain|\
	--fields|--id-column|--max-block|--source-priority|--threshold)
		return ;;
	esac

	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if ((skip)); then
			skip=0
			continue
		fi
		case $w in
		--)	((nargs += COMP_CWORD - i - 1, dashdash = 1)); break ;;
		-d|-e|-n|-o|--delimiter|--encoding|--count|--output|--against|\
		--by|--campaign|--cell-column|--cells|--columns|--control|\
		--country|--db|--files|--format|--fraction|--keep|--key|\
		--limit|--list|--on|--order-by|--per-stratum|--program|\
		--report|--seed|--where|--date-column|--fields|--id-column|\
		--max-block|--pairs|--source-priority|--threshold)
			skip=1 ;;
		--explain)
			skip=1
			((i++)) ;;
		-*)	;;
		*)	((nargs++)) ;;
		esac
	done
	if [[ $cur == -* ]] && ((!dashdash)); then
		_crm_words "$_crm_lists_opts" "$cur"
	elif ((nargs == 0)); then
		_crm_words "$_crm_lists_verbs" "$cur"
	else
		_crm_datafiles "$cur"
	fi
}

# crm-churn
_crm_churn_verbs='train score evaluate explain features alive'
_crm_churn_opts='-d --delimiter -e --encoding -h --help -o --output -q --quiet
	-V --version --as-of --bands --criterion --cv --db --depth --horizon
	--ignore --interactions --l2 --label --max-kinds --max-levels
	--min-leaf --model --params --partition --patience --rate --rounds
	--save --score --seed --threads --threshold --valid --window --excel-safe --redact --salt-file'

_crm_churn()
{
	local cur prev w i verb= dashdash=0
	COMPREPLY=()
	_crm_curprev

	[[ $prev == -[hqV]*[deo] ]] && prev=-${prev: -1}

	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		[[ $w == -- ]] && dashdash=1
		[[ -z $verb && $w != -* && " $_crm_churn_verbs " == *" $w "* ]] &&
		    verb=$w
	done
	case $prev in
	-d|--delimiter)
		_crm_delimiters "$cur"; return ;;
	-e|--encoding)
		_crm_words "$_crm_encodings" "$cur"; return ;;
	-o|--output|--salt-file)
		_crm_anyfiles "$cur"; return ;;
	--db)
		_crm_dbfiles "$cur"; return ;;
	--model)
		if [[ $verb == train ]]; then
			_crm_words 'logit tree gbt' "$cur"
		else
			_crm_anyfiles "$cur"
		fi
		return ;;
	--criterion)
		_crm_words 'gini entropy' "$cur"; return ;;
	--interactions)
		_crm_datafiles "$cur"; return ;;
	--params)
		_crm_anyfiles "$cur"; return ;;
	--as-of|--bands|--cv|--depth|--horizon|--ignore|--l2|--label|\
	--max-kinds|--max-levels|--min-leaf|--partition|--patience|--rate|\
	--rounds|--score|--seed|--threads|--threshold|--valid|--window)
		return ;;
	esac

	if [[ $cur == -* ]] && ((!dashdash)); then
		_crm_words "$_crm_churn_opts" "$cur"
	elif [[ -z $verb ]]; then
		_crm_words "$_crm_churn_verbs" "$cur"
	elif [[ $verb == explain ]]; then
		_crm_anyfiles "$cur"
	else
		_crm_datafiles "$cur"
	fi
}

# crm-scorecard
_crm_scorecard_opts='-d --delimiter -e --encoding -h --help -o --output
	-q --quiet -V --version --as-of --by --compare --db --format --period
	--sections --excel-safe'
_crm_scorecard_sections='customers money concentration trend breakdown
	migration cohorts service campaigns churn'

_crm_scorecard()
{
	local cur prev w i dashdash=0
	COMPREPLY=()
	_crm_curprev

	# The last of a bundle of flags can take an argument: -qd ','.
	[[ $prev == -[hqV]*[deo] ]] && prev=-${prev: -1}

	case $prev in
	-d|--delimiter)
		_crm_delimiters "$cur"; return ;;
	-e|--encoding)
		_crm_words "$_crm_encodings" "$cur"; return ;;
	-o|--output)
		_crm_anyfiles "$cur"; return ;;
	--db)
		_crm_dbfiles "$cur"; return ;;
	--by)
		_crm_words 'segment stage channel owner region city country
		    source company' "$cur"; return ;;
	--compare)
		_crm_words 'previous year-ago' "$cur"; return ;;
	--format)
		_crm_words 'text csv md json html' "$cur"; return ;;
	--period)
		_crm_words 'month quarter year' "$cur"; return ;;
	--sections)
		# A comma list: complete the word after the last comma.
		local pre=${cur%"${cur##*,}"}
		COMPREPLY=($(compgen -P "$pre" -W "$_crm_scorecard_sections" \
		    -- "${cur##*,}"))
		compopt -o nospace 2>/dev/null
		return ;;
	--as-of)
		return ;;
	esac

	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		[[ $w == -- ]] && dashdash=1
	done
	if [[ $cur == -* ]] && ((!dashdash)); then
		_crm_words "$_crm_scorecard_opts" "$cur"
	else
		_crm_datafiles "$cur"
	fi
}

complete -F _crm_import crm-import
complete -F _crm_rfm crm-rfm
complete -F _crm_segment crm-segment
complete -F _crm_lists crm-lists
complete -F _crm_churn crm-churn
complete -F _crm_scorecard crm-scorecard
