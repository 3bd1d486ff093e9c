#!/usr/bin/env bash
# run_fetch.sh — the document fetch benchmark (issue 6): N clients fetch the
# same big PDF at once from the Daihoi hall server (GET /documents/<sha256>
# with a session token), against a floor from the same run: the same file
# served by a plain static HTTP server (Python's http.server, see
# start_static_file_server in lib.sh), same client, same concurrency.
#
# Once: document_bench --write-pdf writes a Vietnamese PDF of --pages pages
# (a noise image on each makes it about 100 KB a page: 200 pages ≈ 20 MB);
# `hall-server init-demo` creates a database, the hall server starts on it and
# the secretary publishes the PDF with the product's CLI (`daihoi doc add …
# --kind other`, audience everyone); the server stops. Per run: a copy of
# that database and its file area, hall-server serve --no-face on port 0,
# fetch_load (signs in once as a delegate, then N connections GET the file,
# the server's RSS sampled every 20 ms), SIGTERM; then the floor serving the
# same file under the same path, fetch_load again. Prints every run and the
# medians with the hall/floor ratios. Builds nothing.
#
# Exit status: 0 when every client got the whole file in every run, 1
# otherwise, 2 on bad use.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: run_fetch.sh [--build-dir DIR] [--clients "1000"] [--pages 200] [--runs 3] [--floor-backlog 1024]
                    [--out DIR] [--quick]

  --build-dir DIR       CMake build directory holding bench/, hall-server/ and terminal-client/ binaries
                        (default: ../build-bench next to this script's folder)
  --clients LIST        concurrent clients, space separated (default "1000")
  --pages P             pages of the PDF, about 100 KB each (default 200: about 20 MB)
  --runs R              runs per client count (default 3), hall then floor in each
  --floor-backlog B     the floor's listen backlog (default 1024; python3 -m http.server has 5)
  --out DIR             keep logs, the PDF and databases here (default: a new temporary folder)
  --quick               smoke run: 20 clients, a 10-page PDF (about 1 MB), 1 run
EOF
}

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench_script=run_fetch.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$script_dir/lib.sh"
build_dir="$script_dir/../build-bench"
client_counts="1000"
pages=200
runs=3
floor_backlog=1024
out_dir=""

while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build_dir="${2:?--build-dir needs a value}"; shift 2 ;;
    --clients) client_counts="${2:?--clients needs a value}"; shift 2 ;;
    --pages) pages="${2:?--pages needs a value}"; shift 2 ;;
    --runs) runs="${2:?--runs needs a value}"; shift 2 ;;
    --floor-backlog) floor_backlog="${2:?--floor-backlog needs a value}"; shift 2 ;;
    --out) out_dir="${2:?--out needs a value}"; shift 2 ;;
    --quick) client_counts=20; pages=10; runs=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "$bench_script: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

# shellcheck disable=SC2086  # the counts are a space-separated list
require_positive_numbers "$pages" "$runs" "$floor_backlog" $client_counts
load="$build_dir/bench/fetch_load"
writer="$build_dir/bench/document_bench"
hall_server="$build_dir/hall-server/app/hall-server"
cli="$build_dir/terminal-client/cli/daihoi"
require_binaries "fetch_load, document_bench, hall-server and daihoi" "$load" "$writer" "$hall_server" "$cli"
if ! command -v python3 >/dev/null; then
  echo "$bench_script: python3 is missing (the floor is Python's http.server; deploy/daihoi installs it)" >&2
  exit 2
fi
prepare_out_dir daihoi-fetch
# Every client is a socket, on both sides.
# shellcheck disable=SC2086
raise_descriptor_limit 200 clients $client_counts

# ---- once: the PDF, a database with it published, the floor's folder
pdf="$out_dir/du-thao.pdf"
echo "== writing a $pages-page PDF (load average $(load_average))"
"$writer" --write-pdf "$pdf" --pdf-pages "$pages" >"$out_dir/pdf.log" 2>&1 || {
  cat "$out_dir/pdf.log" >&2
  echo "$bench_script: the PDF could not be written" >&2
  exit 1
}
sed 's/^/   /' "$out_dir/pdf.log"
sha="$(sha256sum "$pdf" | cut -d' ' -f1)"
size_bytes="$(stat -c %s "$pdf")"
size_mb="$(awk -v b="$size_bytes" 'BEGIN { printf "%.1f", b / 1048576 }')"

pristine="$out_dir/pristine.db"
credentials="$out_dir/pristine.credentials"
remove_db "$pristine"
rm -rf "$pristine-files" "$credentials"
"$hall_server" init-demo --db "$pristine" --credentials "$credentials" --delegates 50 >"$out_dir/init.log" 2>&1
rm -f "$pristine.lock"
reader="$(first_credential delegate "$credentials")"
max_mb=$(( size_bytes / 1048576 + 1 > 50 ? size_bytes / 1048576 + 1 : 50 ))
port_file="$out_dir/publish.port"
rm -f "$port_file"
"$hall_server" serve --db "$pristine" --port 0 --port-file "$port_file" --no-face --max-document-mb "$max_mb" \
  >"$out_dir/publish.server.log" 2>&1 &
server_pid=$!
if ! await_server publish "$port_file" "$out_dir/publish.server.log"; then
  echo "FAILED: the hall server did not start to publish the PDF" >&2
  exit 1
fi
echo "== publishing it as the secretary: daihoi doc add (load average $(load_average))"
publish_start=$(date +%s%N)
publish_status=0
"$cli" --url "ws://127.0.0.1:$(cat "$port_file")/ws" --credentials "$credentials" --as secretary --timeout 300000 \
  doc add "$pdf" --title "Dự thảo Báo cáo chính trị (bản đầy đủ)" --kind other --note "Bản trình Đại hội" \
  >"$out_dir/publish.log" 2>&1 || publish_status=$?
publish_ms=$(( ($(date +%s%N) - publish_start) / 1000000 ))
stop_server "$server_pid"
rm -f "$pristine.lock"
sed 's/^/   /' "$out_dir/publish.log"
if [ "$publish_status" -ne 0 ] || [ ! -f "$pristine-files/${sha:0:2}/$sha" ]; then
  echo "FAILED: daihoi doc add exited with $publish_status or the file is not in $pristine-files; logs in $out_dir" >&2
  exit 1
fi
echo "   published $sha ($size_mb MB) in $publish_ms ms (upload, PDF text, commit); readers fetch it as $reader"
floor_root="$out_dir/floor-root"
rm -rf "$floor_root"
mkdir -p "$floor_root/documents"
cp "$pdf" "$floor_root/documents/$sha"

# run_one hall|floor N RUN
run_one() {
  local kind="$1" n="$2" run="$3"
  local tag="$kind-n$n-r$run"
  local port_file="$out_dir/$tag.port" log="$out_dir/$tag.load.log" server_log="$out_dir/$tag.server.log"
  local -a load_args=(--port-file "$port_file" --path "/documents/$sha" --expect-file "$pdf" --clients "$n"
                      --kind "$kind" --label "$kind N=$n run $run")
  rm -f "$port_file"
  if [ "$kind" = hall ]; then
    local db="$out_dir/$tag.db"
    remove_db "$db"
    rm -rf "$db-files"
    cp "$pristine" "$db"
    cp -r "$pristine-files" "$db-files"
    "$hall_server" serve --db "$db" --port 0 --port-file "$port_file" --no-face --max-document-mb "$max_mb" \
      >"$server_log" 2>&1 &
    server_pid=$!
    load_args+=(--credentials "$credentials" --as "$reader")
  else
    start_static_file_server "$floor_root" "$port_file" "$server_log" "$floor_backlog"
  fi
  await_server "$tag" "$port_file" "$server_log" || return 0
  echo "== $kind server, $n clients, run $run (load average $(load_average))"
  local status=0
  "$load" "${load_args[@]}" --server-pid "$server_pid" >"$log" 2>&1 || status=$?
  finish_load_run "$status" "$log" fetch_load '^METRICS ' "$kind $n $run"
  if [ "$kind" = hall ]; then
    remove_db "$out_dir/$tag.db"
    rm -rf "$out_dir/$tag.db-files"
  fi
  return 0
}

echo "fetch benchmark: N = $client_counts; a $size_mb MB PDF; $runs run(s) each; logs in $out_dir"
echo "$(nproc) CPUs; open file limit $(ulimit -n); load average $(load_average)"
for n in $client_counts; do
  for run in $(seq 1 "$runs"); do
    run_one hall "$n" "$run"
    run_one floor "$n" "$run"
  done
done

echo
echo "summary (medians over runs; time = first connect -> last byte of the last client; RSS growth = peak VmRSS"
echo " during the run - VmRSS before it, sampled every 20 ms; anon: the same of RssAnon; CPU: the server's utime+stime,"
echo " client: fetch_load's own)"
awk "$awk_summary_functions"'
  function ratio(a, b) { return (a == "-" || b == "-" || b == 0) ? "-" : sprintf("%.2f", a / b) }
  function m(kind, n, name) { return median(kind SUBSEP n SUBSEP name) }
  {
    kind = $1; n = $2
    if (!(n in seen)) { seen[n] = 1; order[++orders] = n }
    runs[kind, n]++
    for (f = 4; f <= NF; f++) {
      split($f, kv, "=")
      values[kind, n, kv[1]] = values[kind, n, kv[1]] " " kv[2]
      if (kv[1] == "ok" && kv[2] == "1") okruns[kind, n]++
    }
  }
  END {
    printf "%-6s %-6s %-5s %8s %8s %9s %9s %9s %10s %10s %10s %10s %9s %9s\n", "N", "server", "ok", "total s", "GB/s", \
      "client p50", "p99 s", "max s", "RSS before", "RSS peak", "growth MB", "anon MB", "CPU s", "client s"
    for (o = 1; o <= orders; o++) {
      n = order[o]
      for (k = 1; k <= 2; k++) {
        kind = (k == 1) ? "hall" : "floor"
        if (!((kind, n) in runs)) continue
        printf "%-6s %-6s %-5s %8s %8s %9s %9s %9s %10s %10s %10s %10s %9s %9s\n", n, kind, \
          (okruns[kind, n] + 0) "/" runs[kind, n], fmt(m(kind, n, "total_s"), 2), fmt(m(kind, n, "gb_per_s"), 2), \
          fmt(m(kind, n, "client_p50_s"), 2), fmt(m(kind, n, "client_p99_s"), 2), fmt(m(kind, n, "client_max_s"), 2), \
          fmt(m(kind, n, "rss_before_mb"), 1), fmt(m(kind, n, "rss_peak_mb"), 1), fmt(m(kind, n, "rss_growth_mb"), 1), \
          fmt(m(kind, n, "anon_growth_mb"), 1), fmt(m(kind, n, "server_cpu_s"), 2), fmt(m(kind, n, "client_cpu_s"), 2)
      }
      if ((("floor", n) in runs) && (("hall", n) in runs)) {
        printf "%-6s hall/floor: total time %s, client p99 %s, server CPU %s; RSS growth hall %s MB, floor %s MB\n", n, \
          ratio(m("hall", n, "total_s"), m("floor", n, "total_s")), \
          ratio(m("hall", n, "client_p99_s"), m("floor", n, "client_p99_s")), \
          ratio(m("hall", n, "server_cpu_s"), m("floor", n, "server_cpu_s")), \
          fmt(m("hall", n, "rss_growth_mb"), 1), fmt(m("floor", n, "rss_growth_mb"), 1)
      }
    }
  }
' "$results"

echo
echo "per run (total s / RSS growth MB / server CPU s / client CPU s)"
awk '
  {
    delete kv_
    for (f = 4; f <= NF; f++) { split($f, kv, "="); kv_[kv[1]] = kv[2] }
    printf "%-6s %-5s run %s: %s / %s / %s / %s\n", $2, $1, $3, kv_["total_s"], kv_["rss_growth_mb"], kv_["server_cpu_s"], \
      kv_["client_cpu_s"]
  }
' "$results" | sort -s -k1,1n -k2,2

if [ "$failures" -ne 0 ]; then
  echo "FAILED: $failures run(s) did not deliver the whole file to every client or did not run; logs in $out_dir" >&2
  exit 1
fi
echo "every client got the whole file in every run; logs in $out_dir"
