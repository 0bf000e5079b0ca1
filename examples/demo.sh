#!/usr/bin/env bash
# A short run of the built-in Samarinda SOP in a throw-away data directory:
# import the sample cooperatives' data keragaan, open two cases by hand,
# return one at the step 2 decision, advance, and print the supervisor's
# status table, one case's timeline and the recap per kecamatan.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release
bin=target/release/koperasi-sop
export KOPERASI_SOP_DATA="$(mktemp -d)"
trap 'rm -rf "$KOPERASI_SOP_DATA"' EXIT
export KOPERASI_SOP_NOW="2026-12-08 10:00"   # a pinned clock: the same output every run

run() { echo "\$ koperasi-sop $*"; "$bin" "$@"; echo; }

a=$("$bin" open --nik 6472010000123 --nama "Koperasi Maju Bersama" --at "2026-12-07 08:00")
b=$("$bin" open --nik "6472 0200 00456" --nama "KSU Mahakam Sejahtera" --at "2026-12-07 13:00")
echo "opened $a and $b"; echo
run advance "$a" --role jfu --officer "Siti Rahmah" --at "2026-12-07 08:25"
run advance "$a" --role kepala_bidang --decision tidak --note "rekapitulasi sektor belum ada" --at "2026-12-07 08:30"
run advance "$a" --role jfu --officer "Siti Rahmah" --at "2026-12-07 09:00"
run advance "$a" --role kepala_bidang --decision ya --at "2026-12-07 09:05"
run advance "$b" --role jfu --at "2026-12-07 14:10"
run import examples/data/koperasi-samarinda.csv --at "2026-12-08 07:30"
run status --role kepala_bidang
run show "$a"
run rekap --by kecamatan
run check "$b" || true   # exit 1: its running step is overdue
