#!/usr/bin/env bash
# peers.sh: tidings and newsboat side by side on the same synthetic feeds,
# served on loopback, each in a home of its own. Prints one markdown table.
#
#   bench/peers.sh                       # refresh 50 200 1000 feeds, stores of 10k 50k 100k
#   STORES="10000 50000 100000 1000000" SLOW=300 NB_FILL=300 bench/peers.sh
#                                        # with a million: about 40 minutes on 2 idle
#                                        # cores, 10 of them tidings' fill; newsboat's
#                                        # fill of a million takes 20-30 min, so it
#                                        # times out there (NB_FILL=1800 measures it)
#   REFRESH="50 200" STORES="10000" RUNS=3 bench/peers.sh   # a quick run
#   REFRESH=none STORES=100000 bench/peers.sh                # one part only
#
# Every figure is the median of RUNS runs, but newsboat's slowest steps
# (named in the output's header) run SLOW_RUNS times. A program whose
# session dies or never shows its screen costs that measure ("timeout"),
# never the run.
#
# Stores are filled by each program from feeds of 100 items served on
# loopback by one server, generated before serving for the largest store.
# newsboat fills in two steps: its first 100 feeds (10,000 articles) stock,
# then sqlite3 ANALYZE, then all its feeds. Without statistics each feed's
# reload scans every stored item, and a stock fill of a million would take
# hours; what it writes is the same. The stock cache measured is that
# cache with the statistics dropped again, the other one is ANALYZEd anew.
#
# Needs: go, tmux, newsboat, sqlite3 and GNU time; what is missing is
# installed with apt-get (run as root, or have them already).
set -euo pipefail

REFRESH=${REFRESH:-"50 200 1000"}     # feeds of 50 items to refresh; "none" skips
STORES=${STORES:-"10000 50000 100000"} # stored articles for start, search, open; "none" skips
[ "$REFRESH" = none ] && REFRESH=""
[ "$STORES" = none ] && STORES=""
RUNS=${RUNS:-5}                       # runs of each interactive measure (median)
SLOW=${SLOW:-900}                     # seconds before newsboat's start or search times out
SLOW_RUNS=${SLOW_RUNS:-1}             # runs of newsboat's slow steps (see slow_runs)
NB_FILL=${NB_FILL:-1200}              # seconds before newsboat's fill of a store times out
WORD=${WORD:-harvest}                 # the word searched for
PORT=${PORT:-8765}

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
work=$(mktemp -d "${TMPDIR:-/tmp}/tidings-peers.XXXXXX")
began=$(date +%s)
export PATH="$PATH:/usr/local/go/bin"

log() { echo "peers: $*" >&2; }

need() { # command package
	command -v "$1" >/dev/null 2>&1 && return
	log "installing $2"
	apt-get install -y "$2" >"$work/apt-$2.log" 2>&1 || { log "apt-get install $2 failed: see $work/apt-$2.log"; exit 1; }
}
need tmux tmux
need newsboat newsboat
need sqlite3 sqlite3
[ -x /usr/bin/time ] || need /usr/bin/time time

log "building into $work"
(cd "$root" && go build -o "$work/tidings" . && go build -o "$work/serve" ./bench/serve)

server_pid=""
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
	tmux kill-session -t peers-keep 2>/dev/null || true
}
trap cleanup EXIT

# serve FEEDS ITEMS DIR: serve the feeds and write both subscription lists in DIR.
serve() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
	"$work/serve" -addr "127.0.0.1:$PORT" -feeds "$1" -items "$2" -tidings "$3/config.toml" -newsboat "$3/urls" >"$3/serve.log" 2>&1 &
	server_pid=$!
	# Generating a million articles takes a minute or two.
	while kill -0 "$server_pid" 2>/dev/null; do
		grep -q serving "$3/serve.log" 2>/dev/null && return
		sleep 0.1
	done
	log "the feed server did not start: see $3/serve.log"; exit 1
}

# home DIR: an empty home for one program.
home() { rm -rf "$1"; mkdir -p "$1/config" "$1/data"; touch "$1/newsboat.conf"; }

tidings_cmd() { # DIR [args]: tidings with its files in DIR
	local d=$1; shift
	echo "env HOME=$d XDG_CONFIG_HOME=$d/config XDG_DATA_HOME=$d/data $work/tidings --config $d/config.toml --db $d/tidings.db $*"
}
newsboat_cmd() { # DIR CACHE [args]
	local d=$1 c=$2; shift 2
	echo "env HOME=$d newsboat -u $d/urls -c $d/$c -C $d/newsboat.conf $*"
}

# timed CMD...: runs CMD under GNU time; prints "wall cpu maxrss_mb", or
# "failed" three times when it fails.
timed() {
	if ! /usr/bin/time -f "%e %U %S %M" -o "$work/time.out" "$@" >/dev/null 2>&1; then
		echo "failed failed failed"
		return
	fi
	awk '{ printf "%.2f %.2f %.0f\n", $1, $2 + $3, $4 / 1024 }' "$work/time.out"
}

size_mb() { # files...: their total size in MB
	{ du -cb "$@" 2>/dev/null || true; } | awk 'END { printf "%.0f\n", $1 / 1048576 }'
}

now_ms() { date +%s%3N; }

# wait_for SESSION REGEX TIMEOUT: milliseconds from $t0 until the screen
# matches, or "timeout".
wait_for() {
	local deadline=$(($(now_ms) + $3 * 1000))
	while :; do
		if tmux capture-pane -p -t "$1" 2>/dev/null | grep -Eq "$2"; then
			echo $(($(now_ms) - t0))
			return 0
		fi
		if [ "$(now_ms)" -gt "$deadline" ]; then
			echo timeout
			return 1
		fi
		sleep 0.003
	done
}

# col FILE N WORD: the median of column N of FILE's runs; WORD ("timeout",
# "failed") when no run gave a figure and some said WORD.
col() {
	local v
	v=$(awk -v c="$2" '$c ~ /^[0-9.]+$/ { print $c }' "$1" | median)
	[ "$v" = - ] && grep -q "$3" "$1" && v=$3
	echo "$v"
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else print a[int((NR + 1) / 2)] }'; }

# interactive NAME CMD LIST_RE SEARCH_RE OPEN_RE: one run in an 80x24 tmux
# session: start until LIST_RE shows, search WORD until SEARCH_RE, open the
# first result until OPEN_RE. Prints "start search open rss_idle_mb rss_peak_mb".
interactive() {
	local s="peers-$1" start search open pid rss peak
	tmux kill-session -t "$s" 2>/dev/null || true
	t0=$(now_ms)
	tmux new-session -d -s "$s" -x 80 -y 24 "exec $2" || { echo "timeout - - - -"; return; }
	start=$(wait_for "$s" "$3" "$SLOW") || { tmux kill-session -t "$s" 2>/dev/null || true; echo "timeout - - - -"; return; }
	pid=$(tmux display -p -t "$s" '#{pane_pid}' 2>/dev/null) || pid=""
	sleep 1
	rss=$(status_mb "$pid" VmRSS)
	keys "$s" /
	sleep 0.3
	t0=$(now_ms)
	keys "$s" "$WORD" Enter
	search=$(wait_for "$s" "$4" "$SLOW") || true
	sleep 0.3
	t0=$(now_ms)
	keys "$s" Enter
	open=$(wait_for "$s" "$5" 60) || true
	peak=$(status_mb "$pid" VmHWM)
	tmux kill-session -t "$s" 2>/dev/null || true
	echo "$start $search $open $rss $peak"
}

# keys SESSION KEYS...: sends keys; a session that died is no error here,
# its next measure times out instead.
keys() { tmux send-keys -t "$@" 2>/dev/null || true; }

# status_mb PID FIELD: a memory figure of a running process in MB, "-"
# once it has gone.
status_mb() {
	awk -v f="$2:" '$1 == f { printf "%.0f", $2 / 1024; found = 1 } END { if (!found) print "-" }' "/proc/$1/status" 2>/dev/null || echo -
}

# For tidings at 80 columns: the list shows its cursor; a search shows
# its count of matches; an open article shows its scroll position.
T_LIST='▌'
# At a million the header has room for "search “ha…” · 1,000+ matches"
# only: the word may be cut to its first letters, the count end in a "+".
# The header names a search once it is kept (enter), never while it is
# typed, so any search it names is the finished one.
T_SEARCH="search “${WORD:0:1}[^”]*” · [0-9,]+\+? match"
T_OPEN='· [0-9]+%'
# For newsboat: its feed list, its search results, an article's header.
N_LIST='Your feeds \('
N_SEARCH='Search results \('
N_OPEN='^Title: '

tmux new-session -d -s peers-keep "sleep 100000" # keep the tmux server up: no server start in the timings

# floor_screen / floor_key: tmux's own share of a measure, from programs
# that do nothing else: one that prints a line at once, one that prints a
# line at once when Enter comes.
floor_screen() {
	t0=$(now_ms)
	tmux new-session -d -s peers-base -x 80 -y 24 "echo ready; sleep 60"
	wait_for peers-base ready 10 || true
	tmux kill-session -t peers-base 2>/dev/null || true
}
floor_key() {
	tmux new-session -d -s peers-base -x 80 -y 24 "read -r _; echo opened; sleep 60"
	sleep 0.3
	t0=$(now_ms)
	keys peers-base Enter
	wait_for peers-base opened 10 || true
	tmux kill-session -t peers-base 2>/dev/null || true
}
tmux_base=$(for _ in $(seq "$RUNS"); do floor_screen; done | median)
key_base=$(for _ in $(seq "$RUNS"); do floor_key; done | median)
log "tmux: a screen in $tmux_base ms, a key's answer in $key_base ms; the table goes to $work/table.md as it comes"

rows=()
# row MEASURE TIDINGS NEWSBOAT RATIO: a line of the table, also written to
# table.md in the work directory as it comes, so that a run stopped
# halfway keeps its figures.
row() {
	rows+=("$(printf '| %s | %s | %s | %s |' "$@")")
	printf '%s\n' "${rows[-1]}" >>"$work/table.md"
}
# minus A B: A minus B, or A when it is no figure ("timeout", "-").
minus() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/) print a - b; else print a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.1f×", b / a; else print "-" }'; }

# refresh_once WHO DIR: a cold refresh of WHO in a fresh home in DIR, then
# an all-304 one; prints "wall cpu peak_mb database_mb wall304 cpu304".
refresh_once() {
	local who=$1 d=$2 cold warm size
	case $who in
	tidings) home "$d/t"; cp "$d/config.toml" "$d/t/"
		cold=$(timed $(tidings_cmd "$d/t" fetch)); warm=$(timed $(tidings_cmd "$d/t" fetch))
		size=$(size_mb "$d/t"/tidings.db*) ;;
	newsboat) home "$d/n"; cp "$d/urls" "$d/n/"
		cold=$(timed $(newsboat_cmd "$d/n" cache.db -x reload)); warm=$(timed $(newsboat_cmd "$d/n" cache.db -x reload))
		size=$(size_mb "$d/n"/cache.db*) ;;
	esac
	[ "${cold%% *}" = failed ] && size=failed
	read -r w c m <<<"$cold"
	read -r w2 c2 _ <<<"$warm"
	echo "$w $c $m $size $w2 $c2"
}

# slow_runs WHO WHAT SIZE: how many runs a measure gets. newsboat's slow
# steps run SLOW_RUNS times: a refresh of 1,000 feeds or more (a cold one
# and an all-304 one take minutes together), a stock start from 50,000
# stored (minutes: it grows with the square of the store), and any start
# from 1,000,000 stored.
slow_runs() {
	case $1:$2 in
	newsboat:refresh) [ "$3" -ge 1000 ] && { echo "$SLOW_RUNS"; return; } ;;
	newsboat:store) [ "$3" -ge 50000 ] && { echo "$SLOW_RUNS"; return; } ;;
	analyzed:store) [ "$3" -ge 1000000 ] && { echo "$SLOW_RUNS"; return; } ;;
	esac
	echo "$RUNS"
}

for feeds in $REFRESH; do
	d="$work/refresh-$feeds"
	mkdir -p "$d"
	serve "$feeds" 50 "$d"
	for who in tidings newsboat; do
		: >"$d/$who.refresh"
		for run in $(seq "$(slow_runs "$who" refresh "$feeds")"); do
			log "refresh $feeds feeds × 50: $who, run $run"
			refresh_once "$who" "$d" >>"$d/$who.refresh"
		done
	done
	for i in 1 2 3 4 5 6; do
		eval "t$i=\$(col $d/tidings.refresh $i failed); n$i=\$(col $d/newsboat.refresh $i failed)"
	done
	row "refresh $feeds × 50, cold: wall / CPU s" "$t1 / $t2" "$n1 / $n2" "$(ratio "$t1" "$n1")"
	row "refresh $feeds × 50, cold: peak memory / database MB" "$t3 / $t4" "$n3 / $n4" "$(ratio "$t3" "$n3")"
	row "refresh $feeds × 50, all 304: wall / CPU s" "$t5 / $t6" "$n5 / $n6" "$(ratio "$t5" "$n5")"
done

# nb_reload DIR SECONDS: one newsboat reload of DIR/n/urls into cache.db,
# killed after SECONDS; prints "wall_s peak_mb", "timeout" or "failed".
nb_reload() {
	local t rc=0
	t=$(now_ms)
	[ "$2" -gt 0 ] || { echo timeout; return; }
	/usr/bin/time -f "%M" -o "$work/nb.time" timeout -k 10 "$2" $(newsboat_cmd "$1/n" cache.db -x reload) >/dev/null 2>&1 || rc=$?
	case $rc in
	0) echo "$(($(now_ms) - t)) $(tail -1 "$work/nb.time")" | awk '{ printf "%.1f %.0f\n", $1 / 1000, $2 / 1024 }' ;;
	124 | 137) echo timeout ;;
	*) echo failed ;;
	esac
}

# nb_fill DIR FEEDS: fills newsboat's cache in DIR/n with its first 100
# feeds, ANALYZEs it, then reloads all FEEDS, within NB_FILL seconds in
# all; leaves cache.db without statistics (stock) and analyzed.db with
# them. Prints "wall_s peak_mb" (ANALYZE included), or why it failed.
nb_fill() {
	local d=$1 t first second="0 0"
	t=$(now_ms)
	head -n 100 "$d/urls" >"$d/n/urls"
	first=$(nb_reload "$d" "$NB_FILL")
	case $first in timeout | failed) echo "$first"; return ;; esac
	if [ "$2" -gt 100 ]; then
		sqlite3 "$d/n/cache.db" ANALYZE || { echo failed; return; }
		cp "$d/urls" "$d/n/urls"
		second=$(nb_reload "$d" $((NB_FILL - ($(now_ms) - t) / 1000)))
		case $second in timeout | failed) echo "$second"; return ;; esac
	fi
	cp "$d/n/cache.db" "$d/n/analyzed.db" && sqlite3 "$d/n/analyzed.db" ANALYZE &&
		sqlite3 "$d/n/cache.db" "DROP TABLE IF EXISTS sqlite_stat1; DROP TABLE IF EXISTS sqlite_stat4" ||
		{ echo failed; return; }
	echo "$(($(now_ms) - t)) ${first#* } ${second#* }" | awk '{ m = $2 > $3 ? $2 : $3; printf "%.1f %.0f\n", $1 / 1000, m }'
}

# One server for every store: the feeds of a smaller store are the first
# ones of the largest.
most=0
for stored in $STORES; do [ "$stored" -gt "$most" ] && most=$stored; done
if [ "$most" -gt 0 ]; then
	mkdir -p "$work/stores"
	log "generating $((most / 100)) feeds of 100 items"
	serve $((most / 100)) 100 "$work/stores"
fi

for stored in $STORES; do
	d="$work/store-$stored"
	mkdir -p "$d"
	feeds=$((stored / 100))
	head -n $((3 * feeds)) "$work/stores/config.toml" >"$d/config.toml" # three lines a feed
	head -n "$feeds" "$work/stores/urls" >"$d/urls"
	home "$d/t"; cp "$d/config.toml" "$d/t/"
	home "$d/n"
	log "store $stored articles: tidings fills"
	read -r tfill _ tfillmem <<<"$(timed $(tidings_cmd "$d/t" fetch))"
	log "store $stored articles: newsboat fills (at most $NB_FILL s)"
	read -r nfill nfillmem <<<"$(nb_fill "$d" "$feeds")"
	tsize=$(size_mb "$d/t"/tidings.db*)
	nsize=-
	[ -f "$d/n/analyzed.db" ] && nsize=$(size_mb "$d/n/cache.db")
	for who in tidings newsboat analyzed; do
		: >"$d/$who.runs"
		case $who in
		tidings) cmd=$(tidings_cmd "$d/t" --offline); res=("$T_LIST" "$T_SEARCH" "$T_OPEN") ;;
		newsboat) cmd=$(newsboat_cmd "$d/n" cache.db); res=("$N_LIST" "$N_SEARCH" "$N_OPEN") ;;
		analyzed) cmd=$(newsboat_cmd "$d/n" analyzed.db); res=("$N_LIST" "$N_SEARCH" "$N_OPEN") ;;
		esac
		[ "$who" != tidings ] && [ "$nsize" = - ] && continue # no cache to start from: "-"
		for _ in $(seq "$(slow_runs "$who" store "$stored")"); do
			log "store $stored: $who"
			interactive "$who" "$cmd" "${res[@]}" >>"$d/$who.runs"
		done
	done
	for i in 1 2 3 4 5; do
		eval "t$i=\$(col $d/tidings.runs $i timeout); n$i=\$(col $d/newsboat.runs $i timeout); a$i=\$(col $d/analyzed.runs $i timeout)"
	done
	row "fill $stored stored: wall s / peak MB" "$tfill / $tfillmem" "$nfill / ${nfillmem:--}" "$(ratio "$tfill" "$nfill")"
	row "first screen, $stored stored (ms)" "$t1" "$n1 / $a1" "$(ratio "$t1" "$n1") / $(ratio "$t1" "$a1")"
	row "search \"$WORD\", $stored stored (ms)" "$t2" "$n2 / $a2" "$(ratio "$t2" "$n2") / $(ratio "$t2" "$a2")"
	row "open an article, $stored stored (ms)" "$t3" "$n3 / $a3" "$(ratio "$t3" "$n3") / $(ratio "$t3" "$a3")"
	row "first screen less tmux's $tmux_base ms, $stored stored (ms)" "$(minus "$t1" "$tmux_base")" "$(minus "$n1" "$tmux_base") / $(minus "$a1" "$tmux_base")" "$(ratio "$(minus "$t1" "$tmux_base")" "$(minus "$n1" "$tmux_base")") / $(ratio "$(minus "$t1" "$tmux_base")" "$(minus "$a1" "$tmux_base")")"
	row "open less tmux's $key_base ms, $stored stored (ms)" "$(minus "$t3" "$key_base")" "$(minus "$n3" "$key_base") / $(minus "$a3" "$key_base")" "$(ratio "$(minus "$t3" "$key_base")" "$(minus "$n3" "$key_base")") / $(ratio "$(minus "$t3" "$key_base")" "$(minus "$a3" "$key_base")")"
	row "resident memory after start / peak, $stored stored (MB)" "$t4 / $t5" "$n4 / $n5, $a4 / $a5" ""
	row "database, $stored stored (MB)" "$tsize" "$nsize" "$(ratio "$tsize" "$nsize")"
done

echo "tidings and newsboat $(newsboat --version | head -1 | awk '{ print $2 }') on $(nproc) cores, $(date -u +%Y-%m-%d), $(( ($(date +%s) - began + 30) / 60 )) min in all."
echo "Settings: REFRESH=\"${REFRESH:-none}\" STORES=\"${STORES:-none}\" RUNS=$RUNS SLOW_RUNS=$SLOW_RUNS SLOW=$SLOW NB_FILL=$NB_FILL."
echo "Each figure is the median of $RUNS runs, but of $SLOW_RUNS for newsboat's refresh of 1,000 feeds or more, its stock start from 50,000 stored and its starts from 1,000,000."
echo "Interactive figures are from tmux at 80x24, polling the screen; tmux alone shows a screen in $tmux_base ms and a program's answer to a key in $key_base ms (medians of $RUNS), included; the rows \"less tmux's\" take them out."
echo "timeout: newsboat showed no screen (start, search) within $SLOW s, no article within 60 s, or did not fill its store within $NB_FILL s (fill; nothing measured)."
echo "Stores: filled from feeds of 100 items; newsboat's with its first 100 feeds, sqlite3 ANALYZE, then all (fill time includes it)."
echo "newsboat: stock (those statistics dropped) / with its cache after sqlite3 ANALYZE. Ratio: how many times tidings' figure the other is."
echo
echo "| measure | tidings | newsboat (stock / ANALYZE) | ratio |"
echo "| --- | --- | --- | --- |"
printf '%s\n' "${rows[@]}"
log "work files kept in $work"
