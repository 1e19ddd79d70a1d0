# autosched: the one Makefile.
#
#   make            build the programs (release flags, -Werror) into build/ and bin/
#   make check      the quick loop, no root and no services: ASan+UBSan build in build-san/,
#                   then the unit and command-line tests (tests/run -b build-san unit cli)
#   make test       install what is missing, build with ASan+UBSan into build-san/, run every
#                   test suite; ends with "N passed, N failed"
#   make soak       the soak suite alone for MINUTES minutes (default 30; make test runs it
#                   for 2), on the ASan+UBSan build: every-minute jobs, workers, readers,
#                   writers and dashboard readers at once (tests/soak/test_soak.py)
#   make bench      benchmarks (release build); figures go to docs/BENCHMARKS.md by hand
#   make fuzz       libFuzzer targets (clang), FUZZ_TIME seconds each (default 60)
#   make run        install what is missing, build, start everything on loopback
#   make install    the release build into PREFIX (default /usr/local) under DESTDIR
#   make uninstall  removes what make install put there (docs/INSTALL.md)
#   make clean
#
# Variables: CC, CFLAGS, WERROR= (to build without -Werror), O= (object folder), BIN= (binary
# folder), SANITIZE=1 (ASan+UBSan instead of the release hardening); for install and
# uninstall DESTDIR, PREFIX, BINDIR, SBINDIR, LIBEXECDIR, DATADIR, MANDIR, DOCDIR,
# SYSCONFDIR, SYSTEMDUNITDIR (below).

CC	?= cc
CXX	?= c++
CFLAGS	?= -O2 -g
CXXFLAGS ?= -O2 -g
CSTD	 = -std=c99 -D_POSIX_C_SOURCE=200809L
WARN	 = -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes \
	   -Wmissing-declarations -Wshadow -Wpointer-arith -Wwrite-strings \
	   -Wformat=2 -Wvla -Wdeclaration-after-statement -Wno-unused-parameter
CXXWARN	 = -Wall -Wextra -Wpointer-arith -Wformat=2 -Wno-unused-parameter
WERROR	?= -Werror
SAN	 = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HARDEN	 = -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
LDHARDEN = -pie -Wl,-z,relro,-z,now

O	?= build
BIN	?= bin

PKGS		 = jansson sqlite3 inih hiredis zlib
DEP_CFLAGS	:= $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
DEP_LIBS	:= $(shell pkg-config --libs $(PKGS) 2>/dev/null || \
		     echo -ljansson -lsqlite3 -linih -lhiredis -lz) -lcrypt
FCGI_LIBS	:= $(shell pkg-config --libs fcgi 2>/dev/null || echo -lfcgi)
CTEMPLATE_LIBS	:= $(shell pkg-config --libs libctemplate 2>/dev/null || echo -lctemplate)
CMOCKA_LIBS	:= $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

ifeq ($(SANITIZE),1)
MODE_CFLAGS	= $(SAN)
MODE_LDFLAGS	= $(SAN)
else
MODE_CFLAGS	= $(HARDEN)
MODE_LDFLAGS	= $(LDHARDEN)
endif

ALL_CFLAGS	= $(CSTD) $(WARN) $(WERROR) $(CFLAGS) $(MODE_CFLAGS) $(DEP_CFLAGS) -iquote lib -MMD -MP
ALL_CXXFLAGS	= -std=c++17 $(CXXWARN) $(WERROR) $(CXXFLAGS) $(MODE_CFLAGS) -iquote lib -MMD -MP
ALL_LDFLAGS	= $(LDFLAGS) $(MODE_LDFLAGS)
LIBS		= $(DEP_LIBS) -pthread

# By layer (docs/DECISIONS.md): base, time, model, store and queue, service.
LIB_SRCS	= lib/util.c lib/buf.c lib/log.c lib/utf8.c lib/uuid.c lib/sha256.c lib/valid.c \
		  lib/notify.c \
		  lib/cal.c lib/tz.c lib/cron.c lib/sched.c lib/plan.c lib/jsonw.c \
		  lib/conf.c lib/job.c lib/key.c lib/auth.c \
		  lib/db.c lib/rq.c lib/queue.c \
		  lib/jobs.c lib/pauses.c lib/crontab.c
LIB_OBJS	= $(LIB_SRCS:%.c=$(O)/%.o) $(O)/lib/schema.o
CGI_OBJS	= $(O)/cgi/main.o $(O)/cgi/req.o $(O)/cgi/preview.o $(O)/cgi/status.o \
		  $(O)/cgi/cache.o
API_OBJS	= $(CGI_OBJS) $(O)/cgi/api.o
WEB_OBJS	= $(CGI_OBJS) $(O)/cgi/web.o $(O)/cgi/html.o $(O)/cgi/session.o \
		  $(O)/cgi/page_list.o $(O)/cgi/page_form.o $(O)/cgi/page_job.o \
		  $(O)/cgi/page_login.o $(O)/cgi/page_pause.o $(O)/cgi/tmpl.o
SCHEDD_OBJS	= $(O)/schedd/schedd.o $(O)/schedd/tick.o $(O)/schedd/guard.o
CLI_OBJS	= $(O)/cli/main.o $(O)/cli/cli.o $(O)/cli/table.o $(O)/cli/file.o \
		  $(O)/cli/next.o $(O)/cli/admin.o $(O)/cli/list.o $(O)/cli/export.o \
		  $(O)/cli/crontab.o $(O)/cli/backup.o $(O)/cli/pause.o
LIBAPP		= $(O)/lib/libapp.a

PROGS		= $(BIN)/autosched $(BIN)/autosched-api $(BIN)/autosched-web $(BIN)/schedd
# One cmocka suite per file under test (tests/unit/test-FILE.c).
UNIT		= buf log utf8 uuid cal tz cron sched plan jsonw conf job key crontab db rq jobs tick req
UNIT_TESTS	= $(UNIT:%=$(O)/tests/unit/test-%)
BENCHES		= $(O)/bench/bench-cron $(O)/bench/fcgi-fixed

.PHONY: all deps tests test check soak bench fuzz fuzz-build run clean install uninstall
.SUFFIXES:
.SECONDARY:

all: $(PROGS)

# What the test suites run: the programs and the unit tests.
tests: $(PROGS) $(UNIT_TESTS)

deps:
	@scripts/deps

$(O)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The one C++ file: the C face of ctemplate.
$(O)/%.o: %.cc
	@mkdir -p $(@D)
	$(CXX) $(ALL_CXXFLAGS) -c -o $@ $<

# lib/schema.sql, embedded as a C string.
$(O)/lib/schema.c: lib/schema.sql
	@mkdir -p $(@D)
	{ echo 'const char schema_sql[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	  echo ';'; } >$@

$(O)/lib/schema.o: $(O)/lib/schema.c
	$(CC) $(CSTD) $(CFLAGS) $(MODE_CFLAGS) -c -o $@ $<

$(LIBAPP): $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $(LIB_OBJS)

$(BIN)/autosched: $(CLI_OBJS) $(LIBAPP)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BIN)/autosched-api: $(API_OBJS) $(LIBAPP)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(FCGI_LIBS) $(LIBS)

$(BIN)/autosched-web: $(WEB_OBJS) $(LIBAPP)
	@mkdir -p $(@D)
	$(CXX) $(ALL_LDFLAGS) -o $@ $^ $(FCGI_LIBS) $(CTEMPLATE_LIBS) $(LIBS)

$(BIN)/schedd: $(SCHEDD_OBJS) $(LIBAPP)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(O)/tests/unit/test-tick: $(O)/tests/unit/test-tick.o $(O)/schedd/tick.o $(O)/schedd/guard.o $(LIBAPP)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(LIBS)

$(O)/tests/unit/test-req.o: ALL_CFLAGS += -iquote cgi
$(O)/tests/unit/test-req: $(O)/tests/unit/test-req.o $(O)/cgi/req.o $(LIBAPP)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(FCGI_LIBS) $(LIBS)

$(O)/tests/unit/%: $(O)/tests/unit/%.o $(LIBAPP)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(LIBS)

$(O)/bench/%: $(O)/bench/%.o $(LIBAPP)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(O)/bench/fcgi-fixed: $(O)/bench/fcgi-fixed.o
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(FCGI_LIBS)

# Tests run under ASan+UBSan, in their own build folder. `make check` installs nothing and
# starts no service: it needs the build packages only (scripts/deps --list).
NPROC		:= $(shell nproc 2>/dev/null || echo 2)
SAN_MAKE	= $(MAKE) --no-print-directory -j$(NPROC) O=build-san BIN=build-san/bin SANITIZE=1

test: deps
	@$(SAN_MAKE) tests
	@tests/run -b build-san

check:
	@$(SAN_MAKE) tests
	@tests/run -b build-san -j $(NPROC) unit cli

MINUTES ?= 30
soak: deps
	@$(SAN_MAKE) tests
	@SOAK_MINUTES='$(MINUTES)' tests/run -b build-san soak

bench: all $(BENCHES)
	@bench/run $(O) $(BIN)

# libFuzzer needs clang; the fuzz build has its own folder.
FUZZ_TIME	?= 60
FUZZ_CFLAGS	= $(CSTD) $(WARN) $(WERROR) -g -O1 -fsanitize=fuzzer,address,undefined \
		  -fno-sanitize-recover=all $(DEP_CFLAGS) -iquote lib
FUZZERS		= build-fuzz/fuzz-cron build-fuzz/fuzz-sched build-fuzz/fuzz-job build-fuzz/fuzz-rq \
		  build-fuzz/fuzz-req

fuzz-build: $(FUZZERS)

build-fuzz/fuzz-%: tests/fuzz/fuzz-%.c $(LIB_SRCS) $(wildcard lib/*.h) build-fuzz/schema.c
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRCS) build-fuzz/schema.c $(DEP_LIBS) -pthread

# The request parsers of cgi/req.c (query, form, cookies, routes).
build-fuzz/fuzz-req: tests/fuzz/fuzz-req.c cgi/req.c cgi/cgi.h $(LIB_SRCS) $(wildcard lib/*.h) \
		build-fuzz/schema.c
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -iquote cgi -o $@ $< cgi/req.c $(LIB_SRCS) build-fuzz/schema.c \
	    $(FCGI_LIBS) $(DEP_LIBS) -pthread

build-fuzz/schema.c: lib/schema.sql
	@$(MAKE) --no-print-directory O=build-fuzz build-fuzz/lib/schema.c
	cp build-fuzz/lib/schema.c $@

fuzz: $(FUZZERS)
	@for f in $(FUZZERS); do \
		n=$${f##*/}; mkdir -p build-fuzz/corpus-$$n; \
		echo "fuzz: $$n for $(FUZZ_TIME) s"; \
		d=; if [ -f tests/fuzz/$$n.dict ]; then d=-dict=tests/fuzz/$$n.dict; fi; \
		$$f -max_total_time=$(FUZZ_TIME) -timeout=10 -rss_limit_mb=1024 $$d \
		    -print_final_stats=1 -artifact_prefix=build-fuzz/ build-fuzz/corpus-$$n tests/fuzz/seed-$$n \
		    2>&1 | tail -n 12 || exit 1; \
	done

# make run WORKERS=N: N RQ workers (default 1)
WORKERS ?= 1
run: deps all
	@WORKERS='$(WORKERS)' scripts/run $(BIN)

clean:
	rm -rf build build-san build-fuzz bin

# Installation: GNU-style folders, each overridable; DESTDIR is prepended to every one (for
# packages and staged installs) and appears in no installed file. LIBEXECDIR holds the
# FastCGI programs, which the web server starts (deploy/lighttpd.conf) or spawn-fcgi does
# (deploy/systemd/). SYSCONFDIR is /etc whatever PREFIX, since the programs look for
# /etc/autosched/autosched.conf when $AUTOSCHED_CONF is unset; the systemd units set
# AUTOSCHED_CONF to CONFDIR's file. docs/INSTALL.md has the layout and the setup.
PREFIX		?= /usr/local
BINDIR		?= $(PREFIX)/bin
SBINDIR		?= $(PREFIX)/sbin
LIBEXECDIR	?= $(PREFIX)/lib/autosched
DATADIR		?= $(PREFIX)/share
MANDIR		?= $(DATADIR)/man
DOCDIR		?= $(DATADIR)/doc/autosched
SYSCONFDIR	?= /etc
SYSTEMDUNITDIR	?= $(PREFIX)/lib/systemd/system
PKGDATADIR	 = $(DATADIR)/autosched
CONFDIR		 = $(SYSCONFDIR)/autosched
INSTALL		?= install

INST_MAN	 = man/autosched.1 man/autosched.conf.5 man/schedd.8
INST_UNITS	 = $(wildcard deploy/systemd/*.service)
INST_CONFS	 = $(filter-out deploy/autosched.conf,$(wildcard deploy/*.conf))
INST_DATA	 = $(wildcard templates/*.tpl) $(shell find static -type f 2>/dev/null)
INST_BOTS	 = $(wildcard examples/bots/*.py)
INST_DOCS	 = docs/INSTALL.md docs/OPERATIONS.md

# The shipped text files (configuration examples, man pages) name the default layout's
# paths; installing rewrites them to this layout, then fills in the @NAME@ placeholders of
# the systemd units. Compiled-in defaults in the man pages are written /etc\&/... so they
# stay as they are. One sed, the specific paths before /usr/local itself.
INST_SED	 = sed -e 's|/usr/local/lib/autosched|@LIBEXECDIR@|g' \
		       -e 's|/usr/local/lib/systemd/system|@SYSTEMDUNITDIR@|g' \
		       -e 's|/usr/local/share/autosched|@PKGDATADIR@|g' \
		       -e 's|/usr/local/share/doc/autosched|@DOCDIR@|g' \
		       -e 's|/usr/local/share/man|@MANDIR@|g' \
		       -e 's|/usr/local/sbin|@SBINDIR@|g' \
		       -e 's|/usr/local/bin|@BINDIR@|g' \
		       -e 's|/etc/autosched|@CONFDIR@|g' \
		       -e 's|/usr/local|@PREFIX@|g' \
		       -e 's|@LIBEXECDIR@|$(LIBEXECDIR)|g' \
		       -e 's|@SYSTEMDUNITDIR@|$(SYSTEMDUNITDIR)|g' \
		       -e 's|@PKGDATADIR@|$(PKGDATADIR)|g' \
		       -e 's|@DOCDIR@|$(DOCDIR)|g' \
		       -e 's|@MANDIR@|$(MANDIR)|g' \
		       -e 's|@SBINDIR@|$(SBINDIR)|g' \
		       -e 's|@BINDIR@|$(BINDIR)|g' \
		       -e 's|@CONFDIR@|$(CONFDIR)|g' \
		       -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		       -e 's|@PREFIX@|$(PREFIX)|g'

# The configuration is installed only where there is none, and removed by uninstall only
# while it is still the installed example; the example itself is always in DOCDIR.
install: all
	@rm -rf $(O)/install
	@mkdir -p $(O)/install/man $(O)/install/deploy/systemd
	@for f in $(INST_MAN) $(INST_UNITS) $(INST_CONFS) deploy/autosched.conf; do \
		$(INST_SED) $$f >$(O)/install/$$f || exit 1; \
	done
	$(INSTALL) -D -m 0755 $(BIN)/autosched $(DESTDIR)$(BINDIR)/autosched
	$(INSTALL) -D -m 0755 $(BIN)/schedd $(DESTDIR)$(SBINDIR)/schedd
	$(INSTALL) -D -m 0755 $(BIN)/autosched-api $(DESTDIR)$(LIBEXECDIR)/autosched-api
	$(INSTALL) -D -m 0755 $(BIN)/autosched-web $(DESTDIR)$(LIBEXECDIR)/autosched-web
	@for f in $(INST_DATA); do \
		echo "$(INSTALL) -D -m 0644 $$f $(DESTDIR)$(PKGDATADIR)/$$f"; \
		$(INSTALL) -D -m 0644 $$f $(DESTDIR)$(PKGDATADIR)/$$f || exit 1; \
	done
	@for f in $(INST_MAN); do \
		d=$(DESTDIR)$(MANDIR)/man$${f##*.}/$${f#man/}; \
		echo "$(INSTALL) -D -m 0644 $$f $$d"; \
		$(INSTALL) -D -m 0644 $(O)/install/$$f $$d || exit 1; \
	done
	@for f in $(INST_UNITS); do \
		echo "$(INSTALL) -D -m 0644 $$f $(DESTDIR)$(SYSTEMDUNITDIR)/$${f##*/}"; \
		$(INSTALL) -D -m 0644 $(O)/install/$$f $(DESTDIR)$(SYSTEMDUNITDIR)/$${f##*/} || exit 1; \
	done
	@for f in $(INST_CONFS) deploy/autosched.conf; do \
		echo "$(INSTALL) -D -m 0644 $$f $(DESTDIR)$(DOCDIR)/examples/$${f##*/}"; \
		$(INSTALL) -D -m 0644 $(O)/install/$$f $(DESTDIR)$(DOCDIR)/examples/$${f##*/} || exit 1; \
	done
	@for f in $(INST_BOTS); do \
		echo "$(INSTALL) -D -m 0644 $$f $(DESTDIR)$(DOCDIR)/$$f"; \
		$(INSTALL) -D -m 0644 $$f $(DESTDIR)$(DOCDIR)/$$f || exit 1; \
	done
	@for f in $(INST_DOCS); do \
		echo "$(INSTALL) -D -m 0644 $$f $(DESTDIR)$(DOCDIR)/$${f##*/}"; \
		$(INSTALL) -D -m 0644 $$f $(DESTDIR)$(DOCDIR)/$${f##*/} || exit 1; \
	done
	@if [ -e $(DESTDIR)$(CONFDIR)/autosched.conf ]; then \
		echo "install: keeping $(DESTDIR)$(CONFDIR)/autosched.conf (the new example is" \
		    "$(DESTDIR)$(DOCDIR)/examples/autosched.conf)"; \
	else \
		echo "$(INSTALL) -D -m 0644 deploy/autosched.conf $(DESTDIR)$(CONFDIR)/autosched.conf"; \
		$(INSTALL) -D -m 0644 $(O)/install/deploy/autosched.conf \
		    $(DESTDIR)$(CONFDIR)/autosched.conf; \
	fi

uninstall:
	@c=$(DESTDIR)$(CONFDIR)/autosched.conf; \
	if [ -e $$c ] && cmp -s $$c $(DESTDIR)$(DOCDIR)/examples/autosched.conf; then \
		echo "rm -f $$c"; rm -f $$c; \
	elif [ -e $$c ]; then \
		echo "uninstall: keeping $$c (changed since it was installed)"; \
	fi
	rm -f $(DESTDIR)$(BINDIR)/autosched $(DESTDIR)$(SBINDIR)/schedd \
	    $(DESTDIR)$(LIBEXECDIR)/autosched-api $(DESTDIR)$(LIBEXECDIR)/autosched-web
	rm -f $(INST_DATA:%=$(DESTDIR)$(PKGDATADIR)/%)
	rm -f $(foreach f,$(INST_MAN),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(f)))/$(notdir $(f)))
	rm -f $(INST_UNITS:deploy/systemd/%=$(DESTDIR)$(SYSTEMDUNITDIR)/%)
	rm -f $(INST_CONFS:deploy/%=$(DESTDIR)$(DOCDIR)/examples/%) \
	    $(DESTDIR)$(DOCDIR)/examples/autosched.conf
	rm -f $(INST_BOTS:%=$(DESTDIR)$(DOCDIR)/%) $(INST_DOCS:docs/%=$(DESTDIR)$(DOCDIR)/%)
	@# autosched's own folders go too when nothing is left in them (deepest first)
	@for d in $$(printf '%s\n' $(dir $(INST_DATA:%=$(DESTDIR)$(PKGDATADIR)/%)) \
	    $(DESTDIR)$(PKGDATADIR)/ $(DESTDIR)$(DOCDIR)/examples/bots/ \
	    $(DESTDIR)$(DOCDIR)/examples/ $(DESTDIR)$(DOCDIR)/ $(DESTDIR)$(LIBEXECDIR)/ \
	    $(DESTDIR)$(CONFDIR)/ | sort -ru); do \
		case $$d in *autosched*) rmdir $$d 2>/dev/null || true ;; esac; \
	done

-include $(shell find $(O) -name '*.d' 2>/dev/null)
