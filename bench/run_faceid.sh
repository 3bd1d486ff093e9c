#!/usr/bin/env bash
# run_faceid.sh — the Face ID benchmark (faceid_bench) on the shared face sets,
# or a smoke run on a tiny dataset built from ../shared/faces/people.
#
#   run_faceid.sh [--bench PATH] [--faces DIR]            people, ORL and Yale with K = 1 and 3
#   run_faceid.sh --smoke [--bench PATH] [--faces DIR]    tiny dataset, K = 1 (ctest bench_faceid_smoke)
#
# Exit status: 0 when every run succeeded (or, in smoke mode only, when the
# shared faces folder is absent: then it says SKIPPED), 1 on a failed run, 2 on bad use.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench="$script_dir/../build-bench/bench/faceid_bench"
faces="$script_dir/../../shared/faces"
smoke=0
while [ $# -gt 0 ]; do
  case "$1" in
    --bench) bench="$2"; shift 2 ;;
    --faces) faces="$2"; shift 2 ;;
    --smoke) smoke=1; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "run_faceid.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
if [ ! -x "$bench" ]; then
  echo "run_faceid.sh: $bench is missing; build the target faceid_bench" >&2
  exit 2
fi
export OPENBLAS_NUM_THREADS=1

if [ "$smoke" -eq 1 ]; then
  if [ ! -d "$faces/people" ]; then
    echo "SKIPPED: bench_faceid_smoke needs $faces/people (the shared face photos), which is absent"
    exit 0
  fi
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  work="$tmp/smoke"
  # Four identities with 2 photos each, one with a single photo (impostor only),
  # and a file that is not an image (must be skipped and counted).
  for who in biden kit_harington obama rose_leslie; do
    mkdir -p "$work/$who"
    find "$faces/people/$who" -maxdepth 1 -type f | sort | head -n 2 | while read -r f; do
      cp "$f" "$work/$who/"
    done
  done
  mkdir -p "$work/lin_manuel_miranda"
  cp "$faces/people/lin_manuel_miranda/"* "$work/lin_manuel_miranda/"
  echo "not an image" > "$work/obama/notes.txt"
  out="$tmp/out.txt"
  status=0
  "$bench" --dataset "$work" --gallery-k 1 --impostor-share 0.2 > "$out" 2>&1 || status=$?
  cat "$out"
  if [ "$status" -ne 0 ]; then
    echo "FAILED: faceid_bench exited with $status" >&2
    exit 1
  fi
  result="$(grep '^RESULT ' "$out" || true)"
  for key in images=9 skipped_files=1 k1_rank1= k1_wrong= loo_rank1= loo_wrong= search5k_ms=; do
    case " $result" in
      *" $key"*) ;;
      *) echo "FAILED: the RESULT line lacks '$key'" >&2; exit 1 ;;
    esac
  done
  echo "bench_faceid_smoke: passed"
  exit 0
fi

failures=0
run() {
  echo "== $*"
  "$bench" "$@" || failures=$((failures + 1))
  echo
}
run --dataset "$faces/people" --gallery-k 1,3
run --dataset "$faces/datasets/orl" --gallery-k 1,3 --min-face 40
run --dataset "$faces/datasets/yale" --gallery-k 1,3 --min-face 40
[ "$failures" -eq 0 ]
