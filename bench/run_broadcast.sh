#!/usr/bin/env bash
# run_broadcast.sh — the broadcast benchmark: the Daihoi hall server against
# the bare Boost.Beast floor (bare_broadcast_server), same load client, same
# machine, alternating run by run.
#
# For each terminal count N and each run: start the floor server, run
# broadcast_load against it, stop it; create a fresh hall database
# (init-demo, 50 delegates), start hall-server, run the same load with a
# reconnect storm, stop it with SIGTERM. Prints every run's figures and a
# summary of medians with the hall/floor ratios. Builds nothing.
#
# Exit status: 0 when every run delivered everything, 1 otherwise, 2 on bad use.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: run_broadcast.sh [--build-dir DIR] [--terminals "1000 5000"] [--broadcasts 50] [--rate 5]
                        [--runs 3] [--storm-inflight K] [--out DIR] [--quick]

  --build-dir DIR     CMake build directory holding bench/ and hall-server/ binaries
                      (default: ../build-bench next to this script's folder)
  --terminals LIST    terminal counts, space separated (default "1000 5000")
  --broadcasts M      broadcasts per run (default 50)
  --rate R            broadcasts per second (default 5)
  --runs R            runs per server and terminal count (default 3)
  --storm-inflight K  reconnections opened at once in the storm (default: all terminals)
  --out DIR           keep logs and databases here (default: a new temporary folder)
  --quick             smoke run: 50 terminals, 5 broadcasts at 10/s, 1 run
EOF
}

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench_script=run_broadcast.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$script_dir/lib.sh"
build_dir="$script_dir/../build-bench"
terminal_counts="1000 5000"
broadcasts=50
rate=5
runs=3
storm_inflight=""
out_dir=""

while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build_dir="${2:?--build-dir needs a value}"; shift 2 ;;
    --terminals) terminal_counts="${2:?--terminals needs a value}"; shift 2 ;;
    --broadcasts) broadcasts="${2:?--broadcasts needs a value}"; shift 2 ;;
    --rate) rate="${2:?--rate needs a value}"; shift 2 ;;
    --runs) runs="${2:?--runs needs a value}"; shift 2 ;;
    --storm-inflight) storm_inflight="${2:?--storm-inflight needs a value}"; shift 2 ;;
    --out) out_dir="${2:?--out needs a value}"; shift 2 ;;
    --quick) terminal_counts=50; broadcasts=5; rate=10; runs=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "$bench_script: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

# shellcheck disable=SC2086  # the counts are a space-separated list
require_positive_numbers "$broadcasts" "$runs" $terminal_counts

load="$build_dir/bench/broadcast_load"
floor_server="$build_dir/bench/bare_broadcast_server"
hall_server="$build_dir/hall-server/app/hall-server"
require_binaries "broadcast_load, bare_broadcast_server and hall-server" "$load" "$floor_server" "$hall_server"
prepare_out_dir daihoi-bench
# Every terminal is a socket, on both sides.
# shellcheck disable=SC2086
raise_descriptor_limit 100 terminals $terminal_counts

# run_one floor|hall N RUN
run_one() {
  local kind="$1" n="$2" run="$3"
  local tag="$kind-n$n-r$run"
  local port_file="$out_dir/$tag.port" log="$out_dir/$tag.load.log" server_log="$out_dir/$tag.server.log"
  local -a load_args=(--port-file "$port_file" --terminals "$n" --broadcasts "$broadcasts" --rate "$rate"
                      --storm --label "$kind N=$n run $run")
  [ -n "$storm_inflight" ] && load_args+=(--storm-inflight "$storm_inflight")
  rm -f "$port_file"
  if [ "$kind" = floor ]; then
    "$floor_server" --port-file "$port_file" >"$server_log" 2>&1 &
    server_pid=$!
    load_args+=(--mode floor)
  else
    local db="$out_dir/$tag.db" credentials="$out_dir/$tag.credentials"
    remove_db "$db"
    rm -f "$credentials"
    "$hall_server" init-demo --db "$db" --credentials "$credentials" --delegates 50 >"$server_log" 2>&1
    "$hall_server" serve --db "$db" --port 0 --port-file "$port_file" --no-face >>"$server_log" 2>&1 &
    server_pid=$!
    load_args+=(--mode hall --credentials "$credentials")
  fi
  await_server "$tag" "$port_file" "$server_log" || return 0
  echo "== $kind server, $n terminals, run $run"
  local status=0
  "$load" "${load_args[@]}" --server-pid "$server_pid" >"$log" 2>&1 || status=$?
  finish_load_run "$status" "$log" broadcast_load '^(RESULT|METRICS) ' "$kind $n $run"
}

echo "broadcast benchmark: N = $terminal_counts; $broadcasts broadcasts at $rate/s; $runs run(s) each; logs in $out_dir"
echo "load client: $load; open file limit $(ulimit -n); $(nproc) CPUs; load average $(load_average)"
for n in $terminal_counts; do
  for run in $(seq 1 "$runs"); do
    run_one floor "$n" "$run"
    run_one hall "$n" "$run"
  done
done

echo
echo "summary (medians over runs; latency = trigger send -> terminal receipt; CPU = server utime+stime per delivery)"
awk "$awk_summary_functions"'
  function ratio(a, b) { return (a == "-" || b == "-" || b == 0) ? "-" : sprintf("%.2f", a / b) }
  {
    kind = $1; n = $2
    if (!(n in seen)) { seen[n] = 1; order[++orders] = n }
    runs[kind, n]++
    for (f = 4; f <= NF; f++) {
      split($f, kv, "=")
      values[kind, n, kv[1]] = values[kind, n, kv[1]] " " kv[2]
      if (kv[1] == "ok" && kv[2] == "1") okruns[kind, n]++
      if (kv[1] == "missing") missing[kind, n] += kv[2]
    }
  }
  END {
    printf "%-6s %-6s %-5s %8s %9s %8s %8s %8s %10s %10s %8s %8s %9s %8s %8s\n", \
      "N", "server", "ok", "missing", "conn/s", "p50 ms", "p99 ms", "max ms", "last med", "last max", \
      "cpu us", "cpu us*", "RSS in MB", "RSS end", "storm s"
    for (o = 1; o <= orders; o++) {
      n = order[o]
      for (k = 1; k <= 2; k++) {
        kind = (k == 1) ? "floor" : "hall"
        if (!((kind, n) in runs)) continue
        printf "%-6s %-6s %-5s %8d %9s %8s %8s %8s %10s %10s %8s %8s %9s %8s %8s\n", n, kind, \
          (okruns[kind, n] + 0) "/" runs[kind, n], missing[kind, n], \
          fmt(median(kind SUBSEP n SUBSEP "connect_per_s"), 0), \
          fmt(median(kind SUBSEP n SUBSEP "p50_ms"), 2), fmt(median(kind SUBSEP n SUBSEP "p99_ms"), 2), \
          fmt(median(kind SUBSEP n SUBSEP "max_ms"), 2), fmt(median(kind SUBSEP n SUBSEP "last_median_ms"), 2), \
          fmt(median(kind SUBSEP n SUBSEP "last_max_ms"), 2), fmt(median(kind SUBSEP n SUBSEP "cpu_us"), 2), \
          fmt(median(kind SUBSEP n SUBSEP "cpu_us_sched"), 2), fmt(median(kind SUBSEP n SUBSEP "rss_signed_in_mb"), 1), \
          fmt(median(kind SUBSEP n SUBSEP "rss_end_mb"), 1), fmt(median(kind SUBSEP n SUBSEP "storm_s"), 3)
      }
      if (((("floor", n) in runs)) && ((("hall", n) in runs))) {
        printf "%-6s hall/floor: p99 %s, last-terminal median %s, CPU per delivery %s (schedstat %s)\n", n, \
          ratio(median("hall" SUBSEP n SUBSEP "p99_ms"), median("floor" SUBSEP n SUBSEP "p99_ms")), \
          ratio(median("hall" SUBSEP n SUBSEP "last_median_ms"), median("floor" SUBSEP n SUBSEP "last_median_ms")), \
          ratio(median("hall" SUBSEP n SUBSEP "cpu_us"), median("floor" SUBSEP n SUBSEP "cpu_us")), \
          ratio(median("hall" SUBSEP n SUBSEP "cpu_us_sched"), median("floor" SUBSEP n SUBSEP "cpu_us_sched"))
      }
    }
    print "(cpu us*: the same from per-thread schedstat, ns resolution; storm s: all terminals dropped at once until"
    print " every one has its SignIn reply again: resume for the hall, plain reconnect for the floor)"
  }
' "$results"

if [ "$failures" -ne 0 ]; then
  echo "FAILED: $failures run(s) did not deliver everything or did not run; logs in $out_dir" >&2
  exit 1
fi
echo "all runs delivered every broadcast; RESULT lines in $out_dir/*.load.log"
