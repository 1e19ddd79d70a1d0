#!/bin/sh
# Tests `make install` and `make uninstall` (docs/INSTALL.md) on a built tree. Speaks TAP.
#
#   tests/install/test-install.sh BUILD        BUILD: a build folder, such as build-san
#
# Installs BUILD/bin (O=BUILD BIN=BUILD/bin: nothing is rebuilt that is up to date) into a
# DESTDIR in mktemp -d, then checks: the installed tree is exactly the expected files, with
# 0755 programs and 0644 data; no path of the build or the staging folder and no @NAME@
# placeholder is left in an installed text file, and the installed files name the installed
# paths; the installed `autosched` (check-config, init) and `autosched-web` (the sign-in page,
# as plain CGI) work from another folder with the installed configuration and templates;
# the installed schedd tells a stand-in for systemd's notify socket (a file socket and an
# abstract one) READY=1, RELOADING=1 and STOPPING=1 (tests/install/notify.py); the man pages
# are clean under `mandoc -Tlint -Wstyle` and `man --warnings`; the systemd units pass
# `systemd-analyze verify`; `make uninstall` leaves no file behind, but keeps a configuration
# that was edited (which a second `make install` keeps too); and a PREFIX=/usr install names
# /usr paths everywhere.
#
# mandoc's lint looks up every .Xr in a mandoc.db (Debian has none, and our pages are not
# installed system-wide): the pages are linted against a manpath in the temporary folder
# holding the installed pages and copies of the system pages they refer to, indexed with
# makewhatis. systemd-analyze verify checks that ExecStart programs exist: it runs on copies
# of the units whose paths point into DESTDIR, with MANPATH leading to the installed pages
# so that Documentation=man:... is checked too. Neither needs a running systemd.
set -u

if [ $# -ne 1 ]; then
	echo "usage: $0 BUILD" >&2
	exit 2
fi
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
build=$1
python=/usr/bin/python3
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/autosched-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

n=0
failed=0
echo "1..34"

# pass NAME / fail NAME [FILE]: one test line; FILE's lines follow as diagnostics.
pass() {
	n=$((n + 1))
	echo "ok $n - $1"
}
fail() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	if [ $# -gt 1 ] && [ -s "$2" ]; then
		head -n 40 "$2" | awk '{ print "#   " $0 }'
	fi
}
# check NAME COMMAND...: passes when COMMAND succeeds; its output is the diagnostic.
check() {
	name=$1
	shift
	if "$@" >"$tmp/out" 2>&1; then
		pass "$name"
	else
		fail "$name" "$tmp/out"
	fi
}

# A sanitizer build stays one: make must not relink it with the release flags.
san=""
if grep -q __asan_init "$build/bin/autosched" 2>/dev/null; then
	san="SANITIZE=1"
fi
# make_in DESTDIR LOG ARGS...: make with this build's folders.
make_in() {
	d=$1
	log=$2
	shift 2
	make --no-print-directory O="$build" BIN="$build/bin" $san DESTDIR="$d" "$@" >"$log" 2>&1
}

dest=$tmp/dest
p=/usr/local
progs="$p/bin/autosched $p/sbin/schedd $p/lib/autosched/autosched-api
    $p/lib/autosched/autosched-web"
units="schedd.service autosched-api.service autosched-web.service autosched-rq-worker@.service"

# The files an install must make, from the source tree: one path a line, sorted.
expected() {
	pre=$1
	sys=$2
	{
		echo "$sys/autosched/autosched.conf"
		echo "$pre/bin/autosched"
		echo "$pre/sbin/schedd"
		echo "$pre/lib/autosched/autosched-api"
		echo "$pre/lib/autosched/autosched-web"
		for f in templates/*.tpl $(find static -type f); do
			echo "$pre/share/autosched/$f"
		done
		echo "$pre/share/man/man1/autosched.1"
		echo "$pre/share/man/man5/autosched.conf.5"
		echo "$pre/share/man/man8/schedd.8"
		for u in $units $(cd deploy/systemd && ls -- *.service); do
			echo "$pre/lib/systemd/system/$u"
		done
		for f in deploy/*.conf; do
			echo "$pre/share/doc/autosched/examples/${f##*/}"
		done
		for f in examples/bots/*.py; do
			echo "$pre/share/doc/autosched/$f"
		done
		echo "$pre/share/doc/autosched/INSTALL.md"
		echo "$pre/share/doc/autosched/OPERATIONS.md"
	} | sort -u
}
# installed DIR: the files under DIR, as absolute paths inside it, sorted.
installed() {
	(cd "$1" 2>/dev/null && find . \( -type f -o -type l \) | sed 's|^\.||' | sort)
}
# textfiles DIR: the installed files that are not programs.
textfiles() {
	find "$1" -type f ! -perm -u+x
}

# 1-8: the tree
if make_in "$dest" "$tmp/install.log" install PREFIX=$p; then
	pass "make install DESTDIR=... PREFIX=$p"
else
	fail "make install DESTDIR=... PREFIX=$p" "$tmp/install.log"
fi

expected $p /etc >"$tmp/expected"
installed "$dest" >"$tmp/installed"
# Checks over every installed file would pass on an empty tree: they fail instead.
echo "nothing was installed" >"$tmp/none"
nothing() {
	[ -z "$(installed "$1")" ]
}
if diff -u "$tmp/expected" "$tmp/installed" >"$tmp/diff"; then
	pass "the installed files are exactly the expected $(wc -l <"$tmp/expected") files"
else
	fail "the installed files are exactly the expected ones (- missing, + unexpected)" \
	    "$tmp/diff"
fi

: >"$tmp/bad"
for f in $progs; do
	m=$(stat -c %a "$dest$f" 2>/dev/null || echo missing)
	[ "$m" = 755 ] || echo "$f: $m" >>"$tmp/bad"
done
if [ -s "$tmp/bad" ]; then fail "the programs are 0755" "$tmp/bad"; else pass "the programs are 0755"; fi

: >"$tmp/bad"
nothing "$dest" && cat "$tmp/none" >"$tmp/bad"
for f in $(installed "$dest"); do
	case " $(echo $progs) " in *" $f "*) continue ;; esac
	m=$(stat -c %a "$dest$f")
	[ "$m" = 644 ] || echo "$f: $m" >>"$tmp/bad"
done
if [ -s "$tmp/bad" ]; then fail "the data files are 0644" "$tmp/bad"; else pass "the data files are 0644"; fi

# No path of the build or the staging folder in what was installed.
textfiles "$dest" | xargs grep -n -F -e "$top" -e "$tmp" -e "build-san" -e "${build%/}/" \
    >"$tmp/bad" 2>/dev/null
nothing "$dest" && cat "$tmp/none" >"$tmp/bad"
if [ -s "$tmp/bad" ]; then
	fail "no build or staging path in an installed text file" "$tmp/bad"
else
	pass "no build or staging path in an installed text file"
fi
textfiles "$dest" | xargs grep -n -E '@[A-Z][A-Z_]*@' >"$tmp/bad" 2>/dev/null
nothing "$dest" && cat "$tmp/none" >"$tmp/bad"
if [ -s "$tmp/bad" ]; then
	fail "every @NAME@ placeholder is filled in" "$tmp/bad"
else
	pass "every @NAME@ placeholder is filled in"
fi

check "the installed autosched.conf names the installed templates" \
    grep -x "templates = $p/share/autosched/templates" "$dest/etc/autosched/autosched.conf"

# has FILE LINE...: every LINE is a whole line of FILE (else says which are not).
has() {
	f=$1
	shift
	rc=0
	for l in "$@"; do
		if ! grep -q -x -F -e "$l" "$f" 2>/dev/null; then
			echo "${f#$tmp/}: no line '$l'"
			rc=1
		fi
	done
	return $rc
}
sd=$dest$p/lib/systemd/system
rc=0
has "$sd/schedd.service" "ExecStart=$p/sbin/schedd -d" \
    "Environment=AUTOSCHED_CONF=/etc/autosched/autosched.conf" >"$tmp/bad" || rc=1
has "$sd/autosched-api.service" "    $p/lib/autosched/autosched-api" \
    "Environment=AUTOSCHED_CONF=/etc/autosched/autosched.conf" >>"$tmp/bad" || rc=1
has "$sd/autosched-web.service" "    $p/lib/autosched/autosched-web" >>"$tmp/bad" || rc=1
has "$sd/autosched-rq-worker@.service" \
    "Environment=PYTHONPATH=$p/share/doc/autosched/examples" \
    "EnvironmentFile=-/etc/autosched/rq-worker.env" >>"$tmp/bad" || rc=1
if [ $rc = 0 ]; then
	pass "the units run the installed programs with the installed configuration"
else
	fail "the units run the installed programs with the installed configuration" "$tmp/bad"
fi

# 9-12: the installed programs, from another folder, with the installed configuration
# (its database, notify socket and templates moved into the temporary folder).
mkdir -p "$tmp/var" "$tmp/run" "$tmp/elsewhere" "$tmp/empty"
conf=$tmp/autosched.conf
sed -e "s|^path = .*|path = $tmp/var/autosched.db|" \
    -e "s|^notify_socket = .*|notify_socket = $tmp/run/schedd.sock|" \
    -e "s|^templates = |templates = $dest|" "$dest/etc/autosched/autosched.conf" >"$conf"
export AUTOSCHED_CONF="$conf"
cd "$tmp/elsewhere" || exit 1

"$dest$p/bin/autosched" check-config >"$tmp/out" 2>&1
rc=$?
if [ $rc = 0 ] && head -n 1 "$tmp/out" | grep -q -x -F "$conf: ok"; then
	pass "the installed autosched check-config reads the installed configuration"
else
	echo "exit status $rc" >>"$tmp/out"
	fail "the installed autosched check-config reads the installed configuration" "$tmp/out"
fi

"$dest$p/bin/autosched" init >"$tmp/out" 2>&1
rc=$?
if [ $rc = 0 ] && grep -q "schema version" "$tmp/out" && [ -s "$tmp/var/autosched.db" ]; then
	pass "the installed autosched init creates the database"
else
	echo "exit status $rc" >>"$tmp/out"
	fail "the installed autosched init creates the database" "$tmp/out"
fi

# cgi CONF: runs the installed dashboard as plain CGI (stdin is not a socket): GET /login.
cgi() {
	env -i PATH=/usr/bin:/bin ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" \
	    AUTOSCHED_CONF="$1" GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET \
	    SCRIPT_NAME=/automation PATH_INFO=/login QUERY_STRING= SERVER_NAME=localhost \
	    SERVER_PORT=80 SERVER_PROTOCOL=HTTP/1.1 REMOTE_ADDR=127.0.0.1 \
	    "$dest$p/lib/autosched/autosched-web" </dev/null >"$tmp/page" 2>"$tmp/err"
}
cgi "$conf"
rc=$?
if [ $rc = 0 ] && head -n 1 "$tmp/page" | grep -q '^Status: 200' &&
    grep -q '<form method="post" action="/automation/login"' "$tmp/page" &&
    grep -q 'name="password"' "$tmp/page" && grep -q '/static/app.css' "$tmp/page"; then
	pass "the installed autosched-web, as plain CGI, renders the sign-in page"
else
	{ echo "exit status $rc"; cat "$tmp/err"; head -n 20 "$tmp/page"; } >"$tmp/out"
	fail "the installed autosched-web, as plain CGI, renders the sign-in page" "$tmp/out"
fi

# The same with [web] templates naming an empty folder: the templates above came from there.
sed -e "s|^templates = .*|templates = $tmp/empty|" "$conf" >"$tmp/empty.conf"
cgi "$tmp/empty.conf"
rc=$?
if [ $rc != 0 ] && head -n 1 "$tmp/page" | grep -q '^Status: 503'; then
	pass "without its templates the dashboard answers 503 (they come from [web] templates)"
else
	{ echo "exit status $rc"; cat "$tmp/err"; head -n 5 "$tmp/page"; } >"$tmp/out"
	fail "without its templates the dashboard answers 503 (they come from [web] templates)" \
	    "$tmp/out"
fi

# 13-15: schedd and a service manager's notify socket
schedd=$dest$p/sbin/schedd
check "schedd says READY=1, RELOADING=1 and STOPPING=1 on a file \$NOTIFY_SOCKET" \
    "$python" "$top/tests/install/notify.py" "$tmp/run/notify.sock" -- "$schedd" -d -c "$conf"
check "and on an abstract one (@name)" \
    "$python" "$top/tests/install/notify.py" "@autosched-test-$$" -- "$schedd" -d -c "$conf"
sed -e "s|^path = .*|path = $tmp/var/none/autosched.db|" "$conf" >"$tmp/nodb.conf"
check "schedd without its database exits 1 and never says READY=1" \
    "$python" "$top/tests/install/notify.py" "$tmp/run/notify2.sock" --no-start -- \
    "$schedd" -d -c "$tmp/nodb.conf"
cd "$top" || exit 1
unset AUTOSCHED_CONF

# 16-21: man pages. The lint manpath: the installed pages and the system pages they name.
lint=$tmp/lintman
mkdir -p "$lint"
for f in "$dest$p"/share/man/man*/*; do
	d=$lint/${f#"$dest$p"/share/man/}
	mkdir -p "${d%/*}"
	cp "$f" "$d"
done
# A system page this machine lacks (an image without /usr/share/man) is noted, and only the
# lint line about that very page is set aside; our own pages must all be found.
: >"$tmp/absent"
awk '$1 == ".Xr" { print $3, $2 }' "$dest$p"/share/man/man*/* | sort -u |
while read -r sec name; do
	[ -e "$lint/man$sec/$name.$sec" ] && continue
	if f=$(man -w "$sec" "$name" 2>/dev/null); then
		mkdir -p "$lint/man$sec"
		cp "$f" "$lint/man$sec/"
	else
		echo "# this machine has no $name($sec) page to check references against"
		echo "referenced manual not found: Xr $name $sec" >>"$tmp/absent"
	fi
done
makewhatis "$lint" >"$tmp/makewhatis.log" 2>&1
for page in man1/autosched.1 man5/autosched.conf.5 man8/schedd.8; do
	MANPATH=$lint mandoc -Tlint -Wstyle "$dest$p/share/man/$page" 2>&1 |
	    grep -v -F -f "$tmp/absent" >"$tmp/out"
	if [ ! -s "$tmp/out" ]; then
		pass "mandoc -Tlint -Wstyle ${page#*/}: nothing to say"
	else
		fail "mandoc -Tlint -Wstyle ${page#*/}: nothing to say" "$tmp/out"
	fi
done
for page in man1/autosched.1 man5/autosched.conf.5 man8/schedd.8; do
	man --warnings -l -Tutf8 "$dest$p/share/man/$page" 2>"$tmp/out" >/dev/null
	if [ ! -s "$tmp/out" ]; then
		pass "man --warnings -l -Tutf8 ${page#*/}: no warning"
	else
		fail "man --warnings -l -Tutf8 ${page#*/}: no warning" "$tmp/out"
	fi
done

# 22-25: systemd units, their paths pointed into DESTDIR so that ExecStart is checked.
mkdir -p "$tmp/units"
for u in $units; do
	v=$(echo "$u" | sed 's/@\./@default./')
	sed -e "s|$p/|$dest$p/|g" "$sd/$u" >"$tmp/units/$v" 2>/dev/null
	(cd "$tmp/units" && MANPATH="$dest$p/share/man:" systemd-analyze verify --man=yes \
	    "$v") >"$tmp/out" 2>&1
	rc=$?
	if [ $rc = 0 ] && [ ! -s "$tmp/out" ]; then
		pass "systemd-analyze verify $u"
	else
		echo "exit status $rc" >>"$tmp/out"
		fail "systemd-analyze verify $u" "$tmp/out"
	fi
done

# 26: the worker unit's queue is its instance name up to a dot: @default and @default.2 both
# serve `default`. Its ExecStart as systemd expands it (%i, then %% and $$), rq echoed.
cmd=$(sed -n 's/^ExecStart=//p' "$sd/autosched-rq-worker@.service")
: >"$tmp/out"
for inst in default default.2; do
	line=$(printf '%s\n' "$cmd" | sed -e "s/%i/$inst/g" -e 's/%%/%/g' -e 's/\$\$/$/g' \
	    -e 's|/usr/bin/rq|echo|')
	got=$(RQ_SERIALIZER=rq.serializers.JSONSerializer sh -c "$line" 2>&1)
	want="worker --serializer rq.serializers.JSONSerializer --job-monitoring-interval 30 default"
	[ "$got" = "$want" ] || echo "@$inst: got '$got', want '$want'" >>"$tmp/out"
done
if [ ! -s "$tmp/out" ]; then
	pass "the worker unit serves the queue before the dot: @default and @default.2"
else
	fail "the worker unit serves the queue before the dot: @default and @default.2" "$tmp/out"
fi

# 27-30: uninstall, and the configuration that was changed
nothing "$dest"
was_empty=$?
make_in "$dest" "$tmp/uninstall.log" uninstall PREFIX=$p
rc=$?
installed "$dest" >"$tmp/left"
[ $was_empty = 0 ] && cat "$tmp/none" >>"$tmp/left"
if [ $rc = 0 ] && [ ! -s "$tmp/left" ]; then
	pass "make uninstall leaves no file behind"
else
	{ echo "exit status $rc"; cat "$tmp/left"; tail -n 5 "$tmp/uninstall.log"; } >"$tmp/out"
	fail "make uninstall leaves no file behind" "$tmp/out"
fi
(cd "$dest" && find . -type d -name '*autosched*') >"$tmp/left"
[ $was_empty = 0 ] && cat "$tmp/none" >>"$tmp/left"
if [ ! -s "$tmp/left" ]; then
	pass "and removes autosched's own folders"
else
	fail "and removes autosched's own folders" "$tmp/left"
fi

make_in "$dest" "$tmp/install2.log" install PREFIX=$p
echo "; edited by hand" >>"$dest/etc/autosched/autosched.conf"
cp "$dest/etc/autosched/autosched.conf" "$tmp/edited.conf"
make_in "$dest" "$tmp/install3.log" install PREFIX=$p
rc=$?
if [ $rc = 0 ] && cmp -s "$tmp/edited.conf" "$dest/etc/autosched/autosched.conf" &&
    grep -q "keeping .*/etc/autosched/autosched.conf" "$tmp/install3.log"; then
	pass "make install again keeps an edited configuration, and says so"
else
	{ echo "exit status $rc"; diff "$tmp/edited.conf" "$dest/etc/autosched/autosched.conf"
	  tail -n 3 "$tmp/install3.log"; } >"$tmp/out" 2>&1
	fail "make install again keeps an edited configuration, and says so" "$tmp/out"
fi
make_in "$dest" "$tmp/uninstall2.log" uninstall PREFIX=$p
installed "$dest" >"$tmp/left"
if [ "$(cat "$tmp/left")" = /etc/autosched/autosched.conf ] &&
    cmp -s "$tmp/edited.conf" "$dest/etc/autosched/autosched.conf" &&
    grep -q "keeping .*autosched.conf" "$tmp/uninstall2.log"; then
	pass "make uninstall keeps the edited configuration, and only it"
else
	{ cat "$tmp/left"; tail -n 3 "$tmp/uninstall2.log"; } >"$tmp/out"
	fail "make uninstall keeps the edited configuration, and only it" "$tmp/out"
fi

# 31-34: PREFIX=/usr
dest2=$tmp/dest-usr
make_in "$dest2" "$tmp/install-usr.log" install PREFIX=/usr
rc=$?
expected /usr /etc >"$tmp/expected"
installed "$dest2" >"$tmp/installed"
if [ $rc = 0 ] && diff -u "$tmp/expected" "$tmp/installed" >"$tmp/diff"; then
	pass "make install PREFIX=/usr: the same files under /usr"
else
	{ echo "exit status $rc"; tail -n 5 "$tmp/install-usr.log"; cat "$tmp/diff"; } >"$tmp/out"
	fail "make install PREFIX=/usr: the same files under /usr" "$tmp/out"
fi

# /usr/local is left only where a man page gives a compiled-in default, written /usr\&/local,
# and in INSTALL.md and OPERATIONS.md, which describe the default layout.
textfiles "$dest2" | grep -v -E '/(INSTALL|OPERATIONS)\.md$' | xargs grep -n -F /usr/local >"$tmp/bad" 2>/dev/null
nothing "$dest2" && cat "$tmp/none" >"$tmp/bad"
if [ ! -s "$tmp/bad" ] &&
    grep -q -F '/usr\&/local/share/autosched/templates' "$dest2/usr/share/man/man5/autosched.conf.5"
then
	pass "PREFIX=/usr: no /usr/local left (but the compiled-in defaults of the man pages)"
else
	echo "(autosched.conf.5 must keep the default /usr\\&/local/share/autosched/templates)" \
	    >>"$tmp/bad"
	fail "PREFIX=/usr: no /usr/local left (but the compiled-in defaults of the man pages)" \
	    "$tmp/bad"
fi

ex=$dest2/usr/share/doc/autosched/examples
sd2=$dest2/usr/lib/systemd/system
rc=0
has "$dest2/etc/autosched/autosched.conf" "templates = /usr/share/autosched/templates" \
    >"$tmp/bad" || rc=1
has "$ex/lighttpd.conf" 'var.autosched_bin    = "/usr/lib/autosched"' \
    'var.autosched_static = "/usr/share/autosched/static"' >>"$tmp/bad" || rc=1
has "$sd2/schedd.service" "ExecStart=/usr/sbin/schedd -d" >>"$tmp/bad" || rc=1
has "$sd2/autosched-api.service" "    /usr/lib/autosched/autosched-api" >>"$tmp/bad" || rc=1
has "$dest2/usr/share/man/man8/schedd.8" ".It Pa /usr/lib/systemd/system/schedd.service" \
    >>"$tmp/bad" || rc=1
if [ $rc = 0 ]; then
	pass "PREFIX=/usr: the configuration, examples, units and man pages name /usr paths"
else
	fail "PREFIX=/usr: the configuration, examples, units and man pages name /usr paths" \
	    "$tmp/bad"
fi

nothing "$dest2"
was_empty=$?
make_in "$dest2" "$tmp/uninstall-usr.log" uninstall PREFIX=/usr
rc=$?
installed "$dest2" >"$tmp/left"
[ $was_empty = 0 ] && cat "$tmp/none" >>"$tmp/left"
if [ $rc = 0 ] && [ ! -s "$tmp/left" ]; then
	pass "make uninstall PREFIX=/usr leaves no file behind"
else
	{ echo "exit status $rc"; cat "$tmp/left"; } >"$tmp/out"
	fail "make uninstall PREFIX=/usr leaves no file behind" "$tmp/out"
fi

[ "$n" = 34 ] || echo "# ran $n tests, planned 34"
[ "$failed" = 0 ]
