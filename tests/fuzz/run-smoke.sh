#!/bin/sh
# Runs each libFuzzer target for a short while (default 20 s) from its seeds, and with its
# dictionary tests/fuzz/NAME.dict when there is one, so a crash the fuzzer finds quickly
# fails `make test`. TAP output. `make fuzz` runs them longer.
set -u
secs=${1:-20}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
n=0
if ! make --no-print-directory fuzz-build >build-fuzz.log 2>&1; then
	echo "not ok 1 - fuzz targets build"
	sed 's/^/# /' build-fuzz.log | tail -n 20
	rm -f build-fuzz.log
	echo "1..1"
	exit 1
fi
rm -f build-fuzz.log
for f in build-fuzz/fuzz-*; do
	[ -x "$f" ] || continue
	name=${f##*/}
	n=$((n + 1))
	corpus=$(mktemp -d)
	dict=
	[ -f "tests/fuzz/$name.dict" ] && dict=-dict=tests/fuzz/$name.dict
	if "$f" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -artifact_prefix=build-fuzz/ $dict \
	    "$corpus" "tests/fuzz/seed-$name" >"build-fuzz/$name.log" 2>&1; then
		runs=$(sed -n 's/^#\([0-9]*\).*DONE.*/\1/p' "build-fuzz/$name.log" | tail -n 1)
		echo "ok $n - $name: ${runs:-?} inputs in ${secs}s, no crash"
	else
		echo "not ok $n - $name crashed"
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "build-fuzz/$name.log" | \
		    head -n 10 | sed 's/^/# /'
	fi
	rm -rf "$corpus"
done
echo "1..$n"
