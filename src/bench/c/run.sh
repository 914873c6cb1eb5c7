#!/bin/sh
# `npm run bench:c`: compiles the C reference (reference.c) with the system's cc and runs it.
# Not part of the tests: it calibrates the engine benchmark on the machine at hand (docs/performance.md).
set -e
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cc -O2 -o "$dir/reference" "$(dirname "$0")/reference.c"
"$dir/reference"
