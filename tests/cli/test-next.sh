#!/bin/bash
# autosched tests: `autosched next`, both the human form and the batch protocol of
# docs/CLI.md, run as other programs run it. TAP output.
#
#   tests/cli/test-next.sh BIN
set -u
bin=${1:?usage: test-next.sh path/to/autosched}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

# expect NAME WANT GOT
expect() {
	if [ "$2" == "$3" ]; then ok "$1"; else notok "$1" "want: $2" "got:  $3"; fi
}

# run CMD...: sets out, err, rc
run() {
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# The human form: words, local time with zone and offset, UTC, and what DST did.
run "$bin" next '30 2 * * *' --tz Europe/Paris --from 2026-03-28T12:00:00Z --count 2
expect "next: exit status 0" 0 "$rc"
expect "next: spring-forward run at the jump, flagged" "At 02:30, every day (Europe/Paris)
  Sun 2026-03-29 03:00 CEST (+02:00)   2026-03-29T01:00:00Z   DST: 02:30 is skipped that day; runs at the jump
  Mon 2026-03-30 02:30 CEST (+02:00)   2026-03-30T00:30:00Z" "$out"

run "$bin" next '30 * * * *' --tz=Europe/Paris --from=2026-10-25T02:00+02:00 --count 3
expect "next: the fold repeats a non-fixed schedule" "At minute 30 of every hour (Europe/Paris)
  Sun 2026-10-25 02:30 CEST (+02:00)   2026-10-25T00:30:00Z
  Sun 2026-10-25 02:30 CET (+01:00)   2026-10-25T01:30:00Z   DST: the second 02:30 (clocks went back)
  Sun 2026-10-25 03:30 CET (+01:00)   2026-10-25T02:30:00Z" "$out"

# --from without a zone is wall-clock time in --tz
run "$bin" next '0 9 * * 1-5' --tz America/New_York --from 2026-11-27T08:00 --count 2
expect "next: --from in local time" "At 09:00, Monday through Friday (America/New_York)
  Fri 2026-11-27 09:00 EST (-05:00)   2026-11-27T14:00:00Z
  Mon 2026-11-30 09:00 EST (-05:00)   2026-11-30T14:00:00Z" "$out"

run "$bin" next '*/15 * * * *' --from 2026-01-01T00:00:00Z --count 1
expect "next: UTC by default" "Every 15 minutes (UTC)
  Thu 2026-01-01 00:15 UTC (+00:00)   2026-01-01T00:15:00Z" "$out"

run "$bin" next '0 0 1 1 *' --tz Asia/Kolkata --count 3
expect "next: no --from means now (3 lines + words)" 4 "$(echo "$out" | wc -l)"

# Errors: exit status 2 and a message that says what is wrong.
run "$bin" next '0 24 * * *'
expect "next: bad expression exits 2" 2 "$rc"
expect "next: bad expression message" "autosched: hour: 24 is out of range 0-23" "$err"
run "$bin" next '0 0 30 2 *'
expect "next: never-firing expression exits 2" 2 "$rc"
expect "next: never-firing message" "autosched: expression: never fires: the days of the month it names do not occur in the months it names" "$err"
run "$bin" next '0 8 * * *' --tz Europe
expect "next: folder as zone exits 2" 2 "$rc"
expect "next: folder as zone message" "autosched: timezone: 'Europe' is not a known IANA zone" "$err"
run "$bin" next '0 8 * * *' --tz ../../etc/passwd
expect "next: path as zone exits 2" 2 "$rc"
run "$bin" next '0 8 * * *' --from yesterday
expect "next: bad --from exits 2" 2 "$rc"
run "$bin" next '0 8 * * *' --count 0
expect "next: --count 0 exits 2" 2 "$rc"
run "$bin" next '0 8 * * *' --count 1001
expect "next: --count over 1000 exits 2" 2 "$rc"
run "$bin" next '0 8 * * *' --count
expect "next: --count without value exits 2" 2 "$rc"
run "$bin" next 0 8 '*' '*' '*'
expect "next: unquoted expression exits 2" 2 "$rc"
run "$bin" next
expect "next: no expression exits 2" 2 "$rc"
run "$bin" next --stdin '0 8 * * *'
expect "next: --stdin with an expression exits 2" 2 "$rc"
run "$bin" frobnicate
expect "unknown command exits 2" 2 "$rc"
run "$bin"
expect "no command exits 2" 2 "$rc"
run "$bin" next --help
expect "next --help exits 0" 0 "$rc"

# The batch protocol: one line out per line in, in order.
printf '30 2 * * *\tEurope/Paris\t1774699200\n0 0 30 2 *\tUTC\t0\n0 24 * * *\tUTC\t0\n0 0 * * *\tEurope\t0\n*/15 * * * *\tAsia/Kolkata\t1774699201\n@yearly\tUTC\t-1\n' >"$tmp/in"
run "$bin" next --stdin <"$tmp/in"
expect "batch: answers" "1774746000 1774830600 1774917000 1775003400 1775089800
NEVER
ERR hour: 24 is out of range 0-23
ERR timezone: 'Europe' is not a known IANA zone
1774700100 1774701000 1774701900 1774702800 1774703700
0 31536000 63072000 94694400 126230400" "$out"
expect "batch: exit status 0" 0 "$rc"

printf 'no tabs here\n\n0 8 * * *\tUTC\n0 8 * * *\tUTC\t12\textra\n0 8 * * *\tUTC\tnoon\n0 8 * * *\tUTC\t1e9\n0 8 * * *\tUTC\t 5\n0 8 * * *\tUTC\t99999999999999999999\n0 8 * * *\tUTC\t253402300800\n' >"$tmp/in"
run "$bin" next --stdin <"$tmp/in"
expect "batch: malformed lines each get ERR" "ERR expected 3 tab-separated fields: expression, zone, start
ERR expected 3 tab-separated fields: expression, zone, start
ERR expected 3 tab-separated fields: expression, zone, start
ERR expected 3 tab-separated fields: expression, zone, start
ERR start: must be Unix seconds in the years 1 to 9999
ERR start: must be Unix seconds in the years 1 to 9999
ERR start: must be Unix seconds in the years 1 to 9999
ERR start: must be Unix seconds in the years 1 to 9999
ERR start: must be Unix seconds in the years 1 to 9999" "$out"

# CRLF, a last line without newline, a NUL byte, an over-long line.
printf '0 8 * * *\tUTC\t0\r\n0 8 * * *\tUTC\t0' | "$bin" next --stdin >"$tmp/out"
expect "batch: CRLF and unterminated last line" "28800 115200 201600 288000 374400
28800 115200 201600 288000 374400" "$(cat "$tmp/out")"
printf '0 8 * * *\tUTC\t0\x00junk\n' | "$bin" next --stdin >"$tmp/out"
expect "batch: NUL byte" "ERR line contains a NUL byte" "$(cat "$tmp/out")"
{ head -c 5000 /dev/zero | tr '\0' 'x'; printf '\n0 8 * * *\tUTC\t0\n'; } | "$bin" next --stdin >"$tmp/out"
expect "batch: over-long line, then the next line still answered" "ERR line longer than 4096 bytes
28800 115200 201600 288000 374400" "$(cat "$tmp/out")"
"$bin" next --stdin </dev/null >"$tmp/out"
expect "batch: no input, no output" "" "$(cat "$tmp/out")"

# Near the end of the calendar: fewer than 5 instants.
printf '0 0 31 12 *\tUTC\t253370764800\n' | "$bin" next --stdin >"$tmp/out"
expect "batch: only what exists before the year 10000" "253402214400" "$(cat "$tmp/out")"

# No instant at all after start is NEVER: 02:xx on a Sunday 29 March never exists in Paris.
printf '* 2 29 3 */7\tEurope/Paris\t1774699200\n0 0 1 1 *\tUTC\t253402300000\n' | "$bin" next --stdin >"$tmp/out"
expect "batch: NEVER when DST or the calendar leaves no instant" "NEVER
NEVER" "$(cat "$tmp/out")"
run "$bin" next '* 2 29 3 */7' --tz Europe/Paris
expect "next: says when DST skips every run" "Every minute, between 02:00 and 02:59 on day 29 of the month, if it is a Sunday, in March (Europe/Paris)
  never fires in this time zone (daylight saving time skips every time it names)" "$out"

# 10,000 lines, all answered, in order.
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "*/5 * * * *\tEurope/Paris\t%d\n", 1774699200 + i * 60 }' >"$tmp/big"
"$bin" next --stdin <"$tmp/big" >"$tmp/out"
expect "batch: 10000 lines in, 10000 out" 10000 "$(wc -l <"$tmp/out")"
expect "batch: line 10000 answers its own start" "1775299200 1775299500 1775299800 1775300100 1775300400" "$(tail -n 1 "$tmp/out")"

# A program may also talk line by line: each answer comes before the next question.
coproc NEXT { "$bin" next --stdin; }
next_pid=$NEXT_PID
printf '0 8 * * *\tUTC\t0\n' >&"${NEXT[1]}"
if read -r -t 10 line <&"${NEXT[0]}"; then
	expect "batch: answers a line before the input ends" "28800 115200 201600 288000 374400" "$line"
else
	notok "batch: answers a line before the input ends" "no answer within 10 s"
fi
printf '@hourly\tUTC\t0\n' >&"${NEXT[1]}"
read -r -t 10 line <&"${NEXT[0]}"
expect "batch: and the next one" "3600 7200 10800 14400 18000" "${line:-}"
exec {NEXT[1]}>&-
wait "$next_pid"
expect "batch: exits 0 at the end of input" 0 "$?"

echo "1..$n"
