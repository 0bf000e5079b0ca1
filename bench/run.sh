#!/usr/bin/env bash
# The scale benchmark (issue 5): builds the release binary, generates stores
# of 100 to 100,000 cases, times every operation and prints a table of
# medians against the targets. Options: `bash bench/run.sh --help`.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 bench/bench.py "$@"
