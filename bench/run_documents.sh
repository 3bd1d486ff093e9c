#!/usr/bin/env bash
# run_documents.sh — the documents benchmark, in-process part (issue 6):
# document_bench generates a corpus of Vietnamese congress documents from
# bench/corpus/, then per run times the index build (the store's commit of
# every publication, FTS5 with the Vietnamese tokenizer) against a floor from
# the same run (the same paragraph rows into a plain SQLite table with the same
# transactions and durability), searches typed without diacritics (p50/p99)
# and the diff of two 200-page versions. Prints every run and the medians;
# $out_dir/results.txt gets the METRICS lines. Builds nothing.
#
# Exit status: 0 when every check held (every query found something, every
# diff rebuilt its texts), 1 otherwise, 2 on bad use.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: run_documents.sh [--build-dir DIR] [--runs 3] [--documents 500] [--paragraphs 100] [--queries 300]
                        [--batch 1] [--diff-paragraphs 1600] [--out DIR] [--quick]

  --build-dir DIR        CMake build directory holding bench/document_bench
                         (default: ../build-bench next to this script's folder)
  --runs R               runs (default 3); the summary gives the medians
  --documents N          documents in the corpus (default 500)
  --paragraphs M         at least M paragraphs per document (default 100)
  --queries Q            searches per run (default 300)
  --batch K              documents per transaction, hall and floor (default 1)
  --diff-paragraphs P    paragraphs of each diffed version (default 1600: 200 pages x 8)
  --out DIR              keep the log and results here (default: a new temporary folder)
  --quick                smoke run: 20 documents x 20 paragraphs, 20 queries, a 160-paragraph diff, 1 run
EOF
}

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench_script=run_documents.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$script_dir/lib.sh"
build_dir="$script_dir/../build-bench"
runs=3
documents=500
paragraphs=100
queries=300
batch=1
diff_paragraphs=1600
quick=0
out_dir=""

while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build_dir="${2:?--build-dir needs a value}"; shift 2 ;;
    --runs) runs="${2:?--runs needs a value}"; shift 2 ;;
    --documents) documents="${2:?--documents needs a value}"; shift 2 ;;
    --paragraphs) paragraphs="${2:?--paragraphs needs a value}"; shift 2 ;;
    --queries) queries="${2:?--queries needs a value}"; shift 2 ;;
    --batch) batch="${2:?--batch needs a value}"; shift 2 ;;
    --diff-paragraphs) diff_paragraphs="${2:?--diff-paragraphs needs a value}"; shift 2 ;;
    --out) out_dir="${2:?--out needs a value}"; shift 2 ;;
    --quick) quick=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "$bench_script: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

require_positive_numbers "$runs" "$documents" "$paragraphs" "$queries" "$batch" "$diff_paragraphs"
bench="$build_dir/bench/document_bench"
require_binaries document_bench "$bench"
prepare_out_dir daihoi-documents

args=(--runs "$runs" --documents "$documents" --paragraphs "$paragraphs" --queries "$queries" --batch "$batch"
      --diff-paragraphs "$diff_paragraphs" --dir "$out_dir/db")
[ "$quick" -eq 1 ] && args=(--quick --dir "$out_dir/db")

echo "documents benchmark: $(nproc) CPUs; load average $(load_average); log in $out_dir/documents.log"
status=0
"$bench" "${args[@]}" >"$out_dir/documents.log" 2>&1 || status=$?
grep -v '^METRICS ' "$out_dir/documents.log" || true
grep '^METRICS ' "$out_dir/documents.log" | cut -d' ' -f2- >>"$results" || true
rm -rf "$out_dir/db"
echo "load average at the end: $(load_average)"
if [ "$status" -ne 0 ] || ! grep -q '^SUMMARY .*checks_failed=0' "$out_dir/documents.log"; then
  echo "FAILED: document_bench exit status $status; log in $out_dir/documents.log" >&2
  exit 1
fi
echo "every query found its words and every diff rebuilt its texts; METRICS in $results"
