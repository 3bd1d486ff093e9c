#!/usr/bin/env bash
# run_votes.sh — the vote benchmark: N delegates signed in over WebSocket vote
# in a ballot (spread over a second, then all at once) against the Daihoi hall
# server, compared with a floor from the same run: the same rows inserted
# straight into SQLite with the same durability and group commit (vote_floor).
#
# Per delegate count N: `hall-server init-demo --delegates N` once (a pristine
# database and its credentials); per run: a fresh copy of that database (the
# badge tokens are one-time), hall-server on port 0, vote_load (check-in,
# badge sign-ins, one ballot per pattern, close, publish), SIGTERM; then
# vote_floor with as many votes as the hall run had. Prints every run and a
# summary of medians with the hall/floor ratios. Builds nothing.
#
# Exit status: 0 when every vote was acknowledged and every terminal got every
# result in every run, 1 otherwise, 2 on bad use.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: run_votes.sh [--build-dir DIR] [--delegates "1000 5000"] [--runs 3] [--ballot-mode named|secret]
                    [--out DIR] [--quick]

  --build-dir DIR     CMake build directory holding bench/ and hall-server/ binaries
                      (default: ../build-bench next to this script's folder)
  --delegates LIST    delegate counts, space separated (default "1000 5000")
  --runs R            runs per delegate count (default 3)
  --ballot-mode MODE  named (default) or secret motions; the floor writes the matching rows
  --out DIR           keep logs and databases here (default: a new temporary folder)
  --quick             smoke run: 100 delegates, 1 run
EOF
}

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench_script=run_votes.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$script_dir/lib.sh"
build_dir="$script_dir/../build-bench"
delegate_counts="1000 5000"
runs=3
ballot_mode=named
out_dir=""

while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build_dir="${2:?--build-dir needs a value}"; shift 2 ;;
    --delegates) delegate_counts="${2:?--delegates needs a value}"; shift 2 ;;
    --runs) runs="${2:?--runs needs a value}"; shift 2 ;;
    --ballot-mode) ballot_mode="${2:?--ballot-mode needs a value}"; shift 2 ;;
    --out) out_dir="${2:?--out needs a value}"; shift 2 ;;
    --quick) delegate_counts=100; runs=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "$bench_script: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

# shellcheck disable=SC2086  # the counts are a space-separated list
require_positive_numbers "$runs" $delegate_counts
if [ "$ballot_mode" != named ] && [ "$ballot_mode" != secret ]; then
  echo "$bench_script: --ballot-mode is named or secret" >&2
  exit 2
fi

load="$build_dir/bench/vote_load"
floor="$build_dir/bench/vote_floor"
hall_server="$build_dir/hall-server/app/hall-server"
require_binaries "vote_load, vote_floor and hall-server" "$load" "$floor" "$hall_server"
prepare_out_dir daihoi-votes
# Every delegate is a socket, on both sides.
# shellcheck disable=SC2086
raise_descriptor_limit 200 delegates $delegate_counts

# run_one N RUN
run_one() {
  local n="$1" run="$2"
  local tag="n$n-r$run"
  local pristine="$out_dir/pristine-n$n.db" credentials="$out_dir/pristine-n$n.credentials"
  local db="$out_dir/$tag.db" port_file="$out_dir/$tag.port"
  local log="$out_dir/$tag.load.log" server_log="$out_dir/$tag.server.log" floor_log="$out_dir/$tag.floor.log"
  remove_db "$db"
  rm -f "$port_file"
  cp "$pristine" "$db"
  "$hall_server" serve --db "$db" --port 0 --port-file "$port_file" --no-face >"$server_log" 2>&1 &
  server_pid=$!
  await_server "$tag" "$port_file" "$server_log" || return 0
  echo "== hall server, $n delegates, run $run (load average $(load_average))"
  local status=0
  "$load" --port-file "$port_file" --credentials "$credentials" --server-pid "$server_pid" \
    --ballot-mode "$ballot_mode" --seed "$run" --label "N=$n run $run" >"$log" 2>&1 || status=$?
  stop_server "$server_pid"
  grep -vE '^METRICS ' "$log" | sed 's/^/   /' || true
  if [ "$status" -ne 0 ] || ! grep -q '^METRICS ' "$log"; then
    echo "   FAILED (vote_load exit status $status); logs in $out_dir/$tag.*" >&2
    failures=$((failures + 1))
  fi
  grep '^METRICS ' "$log" | cut -d' ' -f2- | sed "s/^/hall $n $run /" >>"$results" || true

  # The floor, with as many votes as the hall run cast (the demo's guests do not vote).
  local votes
  votes="$(grep -o '^METRICS pattern=[a-z]* ok=[01] terminals=[0-9]* votes=[0-9]*' "$log" | head -n 1 | sed 's/.*votes=//')"
  if [ -z "$votes" ]; then
    echo "   no vote count from the hall run: the floor is skipped" >&2
    return 0
  fi
  remove_db "$out_dir/$tag.floor.db"
  status=0
  "$floor" --db "$out_dir/$tag.floor.db" --votes "$votes" --contents "$ballot_mode" --seed "$run" \
    --label "N=$n run $run" >"$floor_log" 2>&1 || status=$?
  grep -vE '^FLOOR ' "$floor_log" | sed 's/^/   /' || true
  if [ "$status" -ne 0 ]; then
    echo "   FLOOR FAILED (vote_floor exit status $status); log in $floor_log" >&2
    failures=$((failures + 1))
  fi
  grep '^FLOOR ' "$floor_log" | cut -d' ' -f2- | sed "s/^/floor $n $run /" >>"$results" || true
  remove_db "$out_dir/$tag.floor.db"
  return 0
}

echo "vote benchmark: N = $delegate_counts; $ballot_mode motions; $runs run(s) each; logs in $out_dir"
echo "$(nproc) CPUs; open file limit $(ulimit -n); load average $(load_average)"
for n in $delegate_counts; do
  pristine="$out_dir/pristine-n$n.db"
  remove_db "$pristine"
  rm -f "$out_dir/pristine-n$n.credentials"
  echo "== init-demo: $n delegates (argon2id PINs: about 5 ms each)"
  "$hall_server" init-demo --db "$pristine" --credentials "$out_dir/pristine-n$n.credentials" \
    --delegates "$n" >"$out_dir/pristine-n$n.log" 2>&1
  rm -f "$pristine.lock"
  for run in $(seq 1 "$runs"); do
    run_one "$n" "$run"
  done
done

echo
echo "summary (medians over runs; hall: CastVote sent -> its reply (durable); floor: submit -> COMMIT returned)"
awk "$awk_summary_functions"'
  function ratio(a, b) { return (a == "-" || b == "-" || b == 0) ? "-" : sprintf("%.1f", a / b) }
  function m(kind, n, pattern, name) { return median(kind SUBSEP n SUBSEP pattern SUBSEP name) }
  {
    kind = $1; n = $2; pattern = ""
    for (f = 4; f <= NF; f++) { split($f, kv, "="); if (kv[1] == "pattern") pattern = kv[2] }
    if (!((n, pattern) in seen)) { seen[n, pattern] = 1; order[++orders] = n SUBSEP pattern }
    runs[kind, n, pattern]++
    for (f = 4; f <= NF; f++) {
      split($f, kv, "=")
      values[kind, n, pattern, kv[1]] = values[kind, n, pattern, kv[1]] " " kv[2]
      if (kv[1] == "ok" && kv[2] == "1") okruns[kind, n, pattern]++
    }
  }
  END {
    printf "%-5s %-6s %-6s %5s %7s %8s %8s %8s %9s %9s %8s %8s %8s %6s %8s %7s %7s\n", \
      "N", "pattern", "kind", "ok", "votes", "p50 ms", "p99 ms", "max ms", "last ms", "votes/s", \
      "res p50", "res p99", "res max", "live/s", "cpu us/v", "RSS MB", "sign s"
    for (o = 1; o <= orders; o++) {
      split(order[o], key, SUBSEP); n = key[1]; pattern = key[2]
      for (k = 1; k <= 2; k++) {
        kind = (k == 1) ? "floor" : "hall"
        if (!((kind, n, pattern) in runs)) continue
        if (kind == "floor") {
          printf "%-5s %-6s %-6s %5s %7s %8s %8s %8s %9s %9s\n", n, pattern, kind, \
            (okruns[kind, n, pattern] + 0) "/" runs[kind, n, pattern], fmt(m(kind, n, pattern, "votes"), 0), \
            fmt(m(kind, n, pattern, "p50_ms"), 2), fmt(m(kind, n, pattern, "p99_ms"), 2), \
            fmt(m(kind, n, pattern, "max_ms"), 2), fmt(m(kind, n, pattern, "total_ms"), 1), \
            fmt(m(kind, n, pattern, "votes_per_s"), 0)
        } else {
          printf "%-5s %-6s %-6s %5s %7s %8s %8s %8s %9s %9s %8s %8s %8s %6s %8s %7s %7s\n", n, pattern, kind, \
            (okruns[kind, n, pattern] + 0) "/" runs[kind, n, pattern], fmt(m(kind, n, pattern, "acked"), 0), \
            fmt(m(kind, n, pattern, "ack_p50_ms"), 2), fmt(m(kind, n, pattern, "ack_p99_ms"), 2), \
            fmt(m(kind, n, pattern, "ack_max_ms"), 2), fmt(m(kind, n, pattern, "last_ack_ms"), 1), \
            fmt(m(kind, n, pattern, "votes_per_s"), 0), fmt(m(kind, n, pattern, "result_p50_ms"), 1), \
            fmt(m(kind, n, pattern, "result_p99_ms"), 1), fmt(m(kind, n, pattern, "result_max_ms"), 1), \
            fmt(m(kind, n, pattern, "live_max_per_s"), 0), fmt(m(kind, n, pattern, "cpu_us_per_vote"), 0), \
            fmt(m(kind, n, pattern, "rss_end_mb"), 1), fmt(m(kind, n, pattern, "signin_s"), 2)
        }
      }
      if ((("floor", n, pattern) in runs) && (("hall", n, pattern) in runs)) {
        printf "%-5s %-6s hall/floor: p50 %s, p99 %s, max %s, first send -> last acknowledgement %s, votes/s %s\n", \
          n, pattern, \
          ratio(m("hall", n, pattern, "ack_p50_ms"), m("floor", n, pattern, "p50_ms")), \
          ratio(m("hall", n, pattern, "ack_p99_ms"), m("floor", n, pattern, "p99_ms")), \
          ratio(m("hall", n, pattern, "ack_max_ms"), m("floor", n, pattern, "max_ms")), \
          ratio(m("hall", n, pattern, "last_ack_ms"), m("floor", n, pattern, "total_ms")), \
          ratio(m("hall", n, pattern, "votes_per_s"), m("floor", n, pattern, "votes_per_s"))
      }
    }
    print "(last ms: first send -> last acknowledgement, floor: first submit -> last durable; votes/s: durable votes per"
    print " second over that time; res: PublishBallot sent -> BallotPublished at each terminal; live/s: most LiveUpdate"
    print " frames one terminal got in any second of the voting; cpu us/v: server CPU (schedstat) per acknowledged vote)"
  }
' "$results"

echo
echo "per run (hall: ack p99 ms / last ack ms / result p99 ms; floor: p99 ms / last durable ms)"
awk '
  {
    kind = $1; n = $2; run = $3; pattern = ""; delete kv_
    for (f = 4; f <= NF; f++) { split($f, kv, "="); kv_[kv[1]] = kv[2] }
    pattern = kv_["pattern"]
    if (kind == "hall") text = sprintf("%s / %s / %s", kv_["ack_p99_ms"], kv_["last_ack_ms"], kv_["result_p99_ms"])
    else text = sprintf("%s / %s", kv_["p99_ms"], kv_["total_ms"])
    printf "%-5s %-6s %-5s run %s: %s\n", n, pattern, kind, run, text
  }
' "$results" | sort -s -k1,1n -k2,2 -k3,3

if [ "$failures" -ne 0 ]; then
  echo "FAILED: $failures run(s) lost a vote or a result, or did not run; logs in $out_dir" >&2
  exit 1
fi
echo "every vote acknowledged and every result delivered in every run; logs in $out_dir"
