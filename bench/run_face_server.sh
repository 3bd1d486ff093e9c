#!/usr/bin/env bash
# run_face_server.sh — the Face ID benchmark through a real hall server:
#
#   1. enrollment: the organizer enrolls --photos photos of ../shared/faces
#      (people, Yale, ORL; 2–3 photos of one identity per delegate) with
#      EnrollFaces, two requests in flight (one per face worker), then asks
#      GetFaceEnrollment (look-alike pairs, recommended threshold);
#   2. frames: K kiosks (K = 1 and 2, the demo's kiosk-1 and kiosk-2) send
#      640x480 JPEG frames of the shared video clip, each the next one as soon
#      as the previous one is answered (at most 20 a second per kiosk, the
#      server's per-kiosk limit), and time frame -> reply; the floor is
#      the same frames through the product's pipeline in the load client's
#      process, on one thread (OPENBLAS_NUM_THREADS=1), in the same run.
#
# Once: `hall-server init-demo --delegates D` (a pristine database and its
# credentials); per run: a fresh copy of it, hall-server on port 0 with
# --face-workers 2, face_load (enrollment, frames for every K, floor), SIGTERM.
# Prints every run and a summary of medians. Builds nothing.
#
# Exit status: 0 when every run succeeded (every request answered without an
# error, the floor measured) — or, with --smoke only, when the shared faces
# folder is absent (then it says SKIPPED); 1 otherwise, 2 on bad use.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: run_face_server.sh [--build-dir DIR] [--runs 3] [--out DIR] [--faces DIR] [--photos 500]
                          [--delegates 200] [--kiosks "1 2"] [--frames N] [--video-skip N] [--video-frames N]
                          [--face-workers 2] [--liveness on|off] [--min-photo-side PX] [--smoke|--quick]

  --build-dir DIR       CMake build directory holding bench/face_load and hall-server/app/hall-server
                        (default: ../build-bench next to this script's folder)
  --runs R              runs (default 3)
  --out DIR             keep logs and databases here (default: a new temporary folder)
  --faces DIR           the shared face folder (default: ../../shared/faces next to this script);
                        photos from DIR/people, DIR/datasets/yale, DIR/datasets/orl in that order,
                        frames from DIR/video/short_hamilton_clip.mp4
  --photos N            photos to enroll (default 500)
  --delegates D         init-demo delegates (default 200; 500 photos need about 200)
  --kiosks LIST         kiosk counts, space separated (default "1 2"; the demo has kiosk-1 and kiosk-2)
  --frames N            frames per kiosk (default 0: every frame of the clip twice)
  --video-skip N        leave out the first N frames of the clip (default 0)
  --video-frames N      use N frames of the clip after those (default 0: all 275)
  --face-workers W      the server's face workers (default 2, one per core); also the
                        EnrollFaces requests kept in flight
  --liveness on|off     the server's liveness check (default off: the replayed clip cannot answer a
                        head-turn challenge, so with it on no attempt reaches CHECKED_IN; off, recognised
                        frames go on to the check-in, durable before the reply. Latency does not depend
                        on it — liveness is pure logic over landmarks computed anyway —, the statuses do)
  --min-photo-side PX   scale photos with a shorter side below PX up to it before sending
                        (default 240: the ORL photos, 92x112 with 60-70 px faces, would all be
                        refused as too_small; 0 sends every file as it is)
  --smoke, --quick      CI smoke run: 20 photos, 1 kiosk, 30 frames (clip frames 150-179, where the
                        enrolled lin_manuel_miranda is recognised and checked in), one run
EOF
}

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench_script=run_face_server.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$script_dir/lib.sh"
build_dir="$script_dir/../build-bench"
faces="$script_dir/../../shared/faces"
runs=3
out_dir=""
photos=500
delegates=200
kiosks="1 2"
frames=0
video_skip=0
video_frames=0
face_workers=2
liveness=off
min_photo_side=240
smoke=0

while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build_dir="${2:?--build-dir needs a value}"; shift 2 ;;
    --runs) runs="${2:?--runs needs a value}"; shift 2 ;;
    --out) out_dir="${2:?--out needs a value}"; shift 2 ;;
    --faces) faces="${2:?--faces needs a value}"; shift 2 ;;
    --photos) photos="${2:?--photos needs a value}"; shift 2 ;;
    --delegates) delegates="${2:?--delegates needs a value}"; shift 2 ;;
    --kiosks) kiosks="${2:?--kiosks needs a value}"; shift 2 ;;
    --frames) frames="${2:?--frames needs a value}"; shift 2 ;;
    --video-skip) video_skip="${2:?--video-skip needs a value}"; shift 2 ;;
    --video-frames) video_frames="${2:?--video-frames needs a value}"; shift 2 ;;
    --face-workers) face_workers="${2:?--face-workers needs a value}"; shift 2 ;;
    --liveness) liveness="${2:?--liveness needs a value}"; shift 2 ;;
    --min-photo-side) min_photo_side="${2:?--min-photo-side needs a value}"; shift 2 ;;
    --smoke|--quick) smoke=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "$bench_script: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
if [ "$smoke" -eq 1 ]; then
  photos=20 kiosks=1 frames=30 video_skip=150 video_frames=30 runs=1
fi

# shellcheck disable=SC2086  # the counts are a space-separated list
require_positive_numbers "$runs" "$photos" "$delegates" "$face_workers" $kiosks
for value in "$frames" "$video_skip" "$video_frames" "$min_photo_side"; do
  if ! [[ "$value" =~ ^[0-9]+$ ]]; then
    echo "$bench_script: '$value' is not a number" >&2
    exit 2
  fi
done
if [ "$liveness" != on ] && [ "$liveness" != off ]; then
  echo "$bench_script: --liveness is on or off" >&2
  exit 2
fi

load="$build_dir/bench/face_load"
hall_server="$build_dir/hall-server/app/hall-server"
require_binaries "face_load and hall-server" "$load" "$hall_server"

video="$faces/video/short_hamilton_clip.mp4"
photo_dirs=()
for d in people datasets/yale datasets/orl; do
  [ -d "$faces/$d" ] && photo_dirs+=(--faces "$faces/$d")
done
if [ ! -d "$faces" ] || [ ! -f "$video" ] || [ "${#photo_dirs[@]}" -eq 0 ]; then
  if [ "$smoke" -eq 1 ]; then
    echo "SKIPPED: ../shared/faces not found ($faces with people/, datasets/ and video/short_hamilton_clip.mp4): bench_face_server_smoke needs the shared face photos"
    exit 0
  fi
  echo "$bench_script: the shared faces are not found: $faces (people/, datasets/yale, datasets/orl, video/)" >&2
  exit 2
fi
prepare_out_dir daihoi-face
# One BLAS thread per face worker and for the floor: the workers are the parallelism.
export OPENBLAS_NUM_THREADS=1

# run_one RUN
run_one() {
  local run="$1"
  local tag="r$run"
  local db="$out_dir/$tag.db" port_file="$out_dir/$tag.port"
  local log="$out_dir/$tag.load.log" server_log="$out_dir/$tag.server.log"
  remove_db "$db"
  rm -f "$port_file"
  cp "$pristine" "$db"
  "$hall_server" serve --db "$db" --port 0 --port-file "$port_file" --face-workers "$face_workers" \
    --liveness "$liveness" >"$server_log" 2>&1 &
  server_pid=$!
  await_server "$tag" "$port_file" "$server_log" || return 0
  if ! await_face_models "$server_log"; then
    stop_server "$server_pid"
    failures=$((failures + 1))
    return 0
  fi
  echo "== hall server, run $run (load average $(load_average)): $(grep -m1 '^face ID' "$server_log" || echo 'face ID: ?')"
  if grep -q '^face ID is OFF' "$server_log"; then
    echo "   the face models are missing or wrong: they are produced by deploy/daihoi's face_models step into models/" >&2
  fi
  local status=0
  "$load" --port-file "$port_file" --server-pid "$server_pid" --credentials "$credentials" \
    "${photo_dirs[@]}" --photos "$photos" --enroll-inflight "$face_workers" --min-photo-side "$min_photo_side" \
    --video "$video" --video-skip "$video_skip" --video-frames "$video_frames" --kiosks "$kiosks" --frames "$frames" \
    --label "run $run" >"$log" 2>&1 || status=$?
  stop_server "$server_pid"
  grep -vE '^RESULT ' "$log" | sed 's/^/   /' || true
  grep '^RESULT ' "$log" | sed 's/^/   /' || true
  if [ "$status" -ne 0 ] || ! grep -q '^RESULT measurement=floor ' "$log"; then
    echo "   FAILED (face_load exit status $status); logs in $out_dir/$tag.*" >&2
    failures=$((failures + 1))
  fi
  grep '^RESULT ' "$log" | cut -d' ' -f2- | sed "s/^/$run /" >>"$results" || true
  return 0
}

echo "Face ID benchmark through the hall server: $photos photos, kiosks \"$kiosks\", $runs run(s); liveness $liveness;" \
  "$face_workers face workers; logs in $out_dir"
echo "$(nproc) CPUs; load average $(load_average)"
pristine="$out_dir/pristine.db"
credentials="$out_dir/pristine.credentials"
remove_db "$pristine"
rm -f "$credentials"
echo "== init-demo: $delegates delegates"
"$hall_server" init-demo --db "$pristine" --credentials "$credentials" --delegates "$delegates" \
  >"$out_dir/pristine.log" 2>&1 || { cat "$out_dir/pristine.log" >&2; exit 1; }
rm -f "$pristine.lock"
for run in $(seq 1 "$runs"); do
  run_one "$run"
done

echo
echo "summary (medians over runs)"
awk "$awk_summary_functions"'
  function m(key, name) { return median(key SUBSEP name) }
  {
    run = $1; kind = ""; k = ""
    for (f = 2; f <= NF; f++) {
      split($f, kv, "=")
      if (kv[1] == "measurement") kind = kv[2]
      if (kv[1] == "kiosks") k = kv[2]
    }
    key = kind (k == "" ? "" : " " k)
    if (!(key in seen)) { seen[key] = 1; order[++orders] = key }
    runs_[key]++
    for (f = 2; f <= NF; f++) {
      split($f, kv, "=")
      values[key, kv[1]] = values[key, kv[1]] " " kv[2]
      if (kv[1] == "ok" && kv[2] == "1") okruns[key]++
    }
  }
  END {
    if ("enroll" in seen) {
      key = "enroll"
      printf "enrollment (%s/%s runs ok): %s photos for %s delegates in %s s = %s photos/s; per photo %s ms of a worker, %s ms of server CPU\n", \
        okruns[key] + 0, runs_[key], fmt(m(key, "photos"), 0), fmt(m(key, "delegates"), 0), fmt(m(key, "wall_s"), 1), \
        fmt(m(key, "photos_per_s"), 2), fmt(m(key, "worker_ms_per_photo"), 0), fmt(m(key, "server_cpu_ms_per_photo"), 0)
      printf "   photos ok %s, refused %s; EnrollFaces round trip p50 %s ms, p99 %s ms\n", \
        fmt(m(key, "photos_ok"), 0), fmt(m(key, "photos_refused"), 0), fmt(m(key, "request_p50_ms"), 0), fmt(m(key, "request_p99_ms"), 0)
      printf "   GetFaceEnrollment %s ms: %s enrolled, %s look-alike pairs (%s of one identity, %s of two), recommended threshold %s\n", \
        fmt(m(key, "get_enrollment_ms"), 1), fmt(m(key, "enrolled"), 0), fmt(m(key, "look_alikes"), 0), \
        fmt(m(key, "look_alikes_same_identity"), 0), fmt(m(key, "look_alikes_other_identity"), 0), fmt(m(key, "recommended_threshold"), 3)
      wall = m(key, "wall_s")
      printf "   target: %s photos under 2 minutes: %s\n", fmt(m(key, "photos"), 0), \
        (wall == "-" ? "not measured" : (wall < 120 ? "met (" fmt(wall, 1) " s)" : "NOT met (" fmt(wall, 1) " s)"))
    }
    if ("floor" in seen) {
      printf "floor (%s/%s runs ok): %s frames through FacePipeline on one thread: p50 %s ms, p99 %s ms (detect %s ms, descriptor %s ms)\n", \
        okruns["floor"] + 0, runs_["floor"], fmt(m("floor", "frames"), 0), fmt(m("floor", "p50_ms"), 1), \
        fmt(m("floor", "p99_ms"), 1), fmt(m("floor", "detect_ms"), 1), fmt(m("floor", "descriptor_ms"), 1)
    }
    header = 0
    for (o = 1; o <= orders; o++) {
      key = order[o]
      if (key !~ /^frames /) continue
      if (!header++) {
        printf "%-7s %5s %7s %8s %8s %8s %8s %8s %9s %9s %9s %9s %7s\n", "kiosks", "ok", "frames", "frames/s", \
          "p50 ms", "p90 ms", "p99 ms", "max ms", "analysis", "overhead", "floor p50", "ratio p50", "p50<=150"
      }
      split(key, parts, " ")
      p50 = m(key, "p50_ms")
      printf "%-7s %5s %7s %8s %8s %8s %8s %8s %9s %9s %9s %9s %7s\n", parts[2], (okruns[key] + 0) "/" runs_[key], \
        fmt(m(key, "frames"), 0), fmt(m(key, "frames_per_s"), 1), fmt(p50, 1), fmt(m(key, "p90_ms"), 1), \
        fmt(m(key, "p99_ms"), 1), fmt(m(key, "max_ms"), 1), fmt(m(key, "analysis_p50_ms"), 0), \
        fmt(m(key, "overhead_p50_ms"), 1), fmt(m(key, "floor_p50_ms"), 1), fmt(m(key, "ratio_p50"), 2), \
        (p50 == "-" ? "-" : (p50 <= 150 ? "met" : "NOT met"))
    }
    if (header) {
      print "(frames: client round trip of one FaceFrame, closed loop per kiosk; analysis: the reply'"'"'s analysis_ms (p50);"
      print " overhead: round trip - analysis_ms (p50); ratio: server p50 / floor p50, what the network, protobuf,"
      print " queueing and the hall add to the pipeline alone)"
    }
  }
' "$results"

echo
echo "per run"
awk '
  {
    run = $1; delete kv_
    for (f = 2; f <= NF; f++) { split($f, kv, "="); kv_[kv[1]] = kv[2] }
    if (kv_["measurement"] == "enroll") {
      printf "run %s enrollment: %s s, %s photos/s, ok %s, refused %s; GetFaceEnrollment %s ms, %s enrolled, %s look-alikes, recommended %s\n", \
        run, kv_["wall_s"], kv_["photos_per_s"], kv_["photos_ok"], kv_["photos_refused"], kv_["get_enrollment_ms"], \
        kv_["enrolled"], kv_["look_alikes"], kv_["recommended_threshold"]
    } else if (kv_["measurement"] == "frames") {
      printf "run %s frames K=%s: p50 %s ms, p99 %s ms, %s frames/s, analysis p50 %s ms, ratio p50 %s\n", \
        run, kv_["kiosks"], kv_["p50_ms"], kv_["p99_ms"], kv_["frames_per_s"], kv_["analysis_p50_ms"], kv_["ratio_p50"]
    } else if (kv_["measurement"] == "floor") {
      printf "run %s floor: p50 %s ms, p99 %s ms\n", run, kv_["p50_ms"], kv_["p99_ms"]
    }
  }
' "$results"

if [ "$failures" -ne 0 ]; then
  echo "FAILED: $failures run(s) failed or did not run; logs in $out_dir" >&2
  exit 1
fi
echo "every request answered without an error in every run; logs in $out_dir"
