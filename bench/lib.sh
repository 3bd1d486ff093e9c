# shellcheck shell=bash
# lib.sh — what the benchmark run scripts share; sourced, not run. The script
# sets `bench_script` (its name, for messages) before sourcing it.
# Uses and sets the globals out_dir, results, server_pid and failures.
bench_script="${bench_script:-${0##*/}}"

# load_average: the 1, 5 and 15 minute load, for the run headers.
load_average() {
  cut -d' ' -f1-3 /proc/loadavg
}

# require_positive_numbers VALUE...: exits 2 unless every value is a whole number above 0.
require_positive_numbers() {
  local value
  for value in "$@"; do
    if ! [[ "$value" =~ ^[0-9]+$ ]] || [ "$value" -eq 0 ]; then
      echo "$bench_script: '$value' is not a positive number" >&2
      exit 2
    fi
  done
}

# require_binaries TARGETS BINARY...: exits 2 when a binary is not built; TARGETS names them for the message.
require_binaries() {
  local targets="$1" binary
  shift
  for binary in "$@"; do
    if [ ! -x "$binary" ]; then
      echo "$bench_script: $binary is missing; build the targets $targets" >&2
      exit 2
    fi
  done
}

# prepare_out_dir PREFIX: out_dir as given (created) or a new temporary folder;
# an empty $out_dir/results.txt in `results`.
prepare_out_dir() {
  if [ -z "$out_dir" ]; then
    out_dir="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
  else
    mkdir -p "$out_dir"
  fi
  results="$out_dir/results.txt"
  : >"$results"
}

# raise_descriptor_limit SPARE NOUN COUNT...: every terminal is a socket, on
# both sides, so as many descriptors as allowed; exits 2 when the largest
# count plus SPARE does not fit.
raise_descriptor_limit() {
  local spare="$1" noun="$2" n largest=0 descriptors
  shift 2
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  for n in "$@"; do [ "$n" -gt "$largest" ] && largest=$n; done
  descriptors="$(ulimit -n)"
  if [ "$descriptors" != unlimited ] && [ "$descriptors" -lt $((largest + spare)) ]; then
    echo "$bench_script: the open file limit is $descriptors; $largest $noun need about $((largest + spare))" >&2
    exit 2
  fi
}

# The server of the current run, killed if the script ends while it runs.
server_pid=""
failures=0
kill_server_on_exit() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
}
trap kill_server_on_exit EXIT

# wait_for_port FILE PID: waits until the server wrote its port, or gives up when it died.
wait_for_port() {
  local file="$1" pid="$2"
  for _ in $(seq 1 400); do
    if grep -qE '^[0-9]+$' "$file" 2>/dev/null; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.05
  done
  return 1
}

# stop_server PID: SIGTERM, then SIGKILL after 10 s; the server's own shutdown is part of every run.
stop_server() {
  local pid="$1"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "$bench_script: server $pid did not stop within 10 s of SIGTERM; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  server_pid=""
}

# await_server TAG PORT_FILE SERVER_LOG: waits for $server_pid's port; when it
# does not come, shows the server's log, stops it, counts a failure and returns 1.
await_server() {
  local tag="$1" port_file="$2" server_log="$3"
  wait_for_port "$port_file" "$server_pid" && return 0
  echo "== $tag: the server did not start; its log:" >&2
  cat "$server_log" >&2
  stop_server "$server_pid"
  failures=$((failures + 1))
  return 1
}

# await_face_models SERVER_LOG: the hall server loads its face models after it
# listens; waits (up to 180 s) for its "face ID: …" or "face ID is OFF: …" line.
await_face_models() {
  local server_log="$1" waited=0
  while ! grep -q '^face ID' "$server_log"; do
    if [ "$waited" -ge 1800 ] || ! kill -0 "$server_pid" 2>/dev/null; then
      echo "== the server did not load its face models; its log:" >&2
      cat "$server_log" >&2
      return 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

# finish_load_run STATUS LOG CLIENT HIDDEN RECORD: after a load client ran
# against $server_pid with exit status STATUS: stops the server, shows the
# client's LOG indented (without lines matching the regex HIDDEN), counts a
# failure when the client failed or printed no METRICS line, and appends its
# last METRICS line to $results after RECORD (e.g. "hall 1000 2").
finish_load_run() {
  local status="$1" log="$2" client="$3" hidden="$4" record="$5" metrics
  stop_server "$server_pid"
  grep -vE "$hidden" "$log" | sed 's/^/   /' || true
  metrics="$(grep '^METRICS ' "$log" | tail -n 1 | cut -d' ' -f2- || true)"
  if [ "$status" -ne 0 ] || [ -z "$metrics" ]; then
    echo "   FAILED ($client exit status $status); logs in ${log%.load.log}.*" >&2
    failures=$((failures + 1))
  fi
  [ -n "$metrics" ] && echo "$record $metrics" >>"$results"
  return 0
}

# remove_db FILE: a SQLite database with its WAL, shared memory and lock files.
remove_db() {
  rm -f "$1" "$1-wal" "$1-shm" "$1.lock"
}

# Awk functions for the summaries: median(key) of the space-separated numbers
# in values[key] ("-" entries are not measured; "-" when none is), and
# fmt(value, digits).
# shellcheck disable=SC2034  # used by the scripts that source this file
awk_summary_functions='
  function median(key,    n, i, j, v, t, count, x) {
    n = split(values[key], v, " ")
    count = 0
    for (i = 1; i <= n; i++) if (v[i] != "-" && v[i] != "") { count++; t[count] = v[i] + 0 }
    if (count == 0) return "-"
    for (i = 2; i <= count; i++) { x = t[i]; for (j = i - 1; j >= 1 && t[j] > x; j--) t[j + 1] = t[j]; t[j + 1] = x }
    if (count % 2) return t[(count + 1) / 2]
    return (t[count / 2] + t[count / 2 + 1]) / 2
  }
  function fmt(value, digits) { return value == "-" ? "-" : sprintf("%." digits "f", value) }
'

# start_static_file_server ROOT PORT_FILE LOG [BACKLOG]: the plain static HTTP
# floor of the fetch benchmark in the background, in `server_pid`: Python's
# http.server (ThreadingHTTPServer, SimpleHTTPRequestHandler: a thread per
# connection, HTTP/1.0, Content-Length) serving ROOT on 127.0.0.1, an
# ephemeral port written to PORT_FILE. Only the listen backlog differs from
# `python3 -m http.server` (its request_queue_size is 5, so a thousand
# simultaneous connects would wait for SYN retransmits): BACKLOG, 1024 by
# default. Requests are not logged.
start_static_file_server() {
  local root="$1" port_file="$2" log="$3" backlog="${4:-1024}"
  python3 - "$root" "$port_file" "$backlog" >"$log" 2>&1 <<'PYTHON' &
import functools
import http.server
import sys

root, port_file, backlog = sys.argv[1], sys.argv[2], int(sys.argv[3])


class Server(http.server.ThreadingHTTPServer):
    request_queue_size = backlog
    daemon_threads = True


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


server = Server(("127.0.0.1", 0), functools.partial(Handler, directory=root))
with open(port_file, "w") as out:
    out.write(f"{server.server_address[1]}\n")
server.serve_forever()
PYTHON
  server_pid=$!
}

# first_credential KIND FILE: the name of the first account of KIND (delegate,
# staff, device) in a credentials file written by `hall-server init-demo`.
first_credential() {
  awk -F '\t' -v kind="$1" '$0 !~ /^#/ && $2 == kind { print $1; exit }' "$2"
}
