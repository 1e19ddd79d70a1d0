# autosched: the one Makefile.
#
#   make            build everything (release flags, -Werror) into build/ and bin/
#   make test       install what is missing, build with ASan+UBSan into build-san/, run every
#                   test suite; ends with "N passed, N failed"
#   make bench      benchmarks (release build); figures go to docs/BENCHMARKS.md by hand
#   make fuzz       libFuzzer targets (clang), FUZZ_TIME seconds each (default 60)
#   make run        install what is missing, build, start everything on loopback
#   make clean
#
# Variables: CC, CFLAGS, WERROR= (to build without -Werror), O= (object folder), BIN= (binary
# folder), SANITIZE=1 (ASan+UBSan instead of the release hardening).

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

PKGS		 = jansson sqlite3 inih libcrypto hiredis zlib
DEP_CFLAGS	:= $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
DEP_LIBS	:= $(shell pkg-config --libs $(PKGS) 2>/dev/null || \
		     echo -ljansson -lsqlite3 -linih -lcrypto -lhiredis -lz) -lcrypt
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

ALL_CFLAGS	= $(CSTD) $(WARN) $(WERROR) $(CFLAGS) $(MODE_CFLAGS) $(DEP_CFLAGS) -Ilib -MMD -MP
ALL_CXXFLAGS	= -std=c++17 $(CXXWARN) $(WERROR) $(CXXFLAGS) $(MODE_CFLAGS) -Ilib -MMD -MP
ALL_LDFLAGS	= $(LDFLAGS) $(MODE_LDFLAGS)
LIBS		= $(DEP_LIBS) -pthread

LIB_SRCS	= lib/util.c lib/buf.c lib/log.c lib/valid.c lib/cal.c lib/tz.c lib/cron.c \
		  lib/sched.c lib/conf.c lib/db.c lib/key.c lib/model.c lib/json.c lib/rq.c \
		  lib/queue.c lib/auth.c
LIB_OBJS	= $(LIB_SRCS:%.c=$(O)/%.o) $(O)/lib/schema.o
CGI_OBJS	= $(O)/cgi/main.o $(O)/cgi/req.o
API_OBJS	= $(CGI_OBJS) $(O)/cgi/api.o
WEB_OBJS	= $(CGI_OBJS) $(O)/cgi/web.o $(O)/cgi/page_jobs.o $(O)/cgi/page_login.o \
		  $(O)/lib/tmpl.o
SCHEDD_OBJS	= $(O)/schedd/schedd.o $(O)/schedd/tick.o
LIBAPP		= $(O)/lib/libapp.a

PROGS		= $(BIN)/autosched $(BIN)/autosched-api $(BIN)/autosched-web $(BIN)/schedd
UNIT_TESTS	= $(O)/tests/unit/test-cal $(O)/tests/unit/test-tz $(O)/tests/unit/test-cron \
		  $(O)/tests/unit/test-conf $(O)/tests/unit/test-db $(O)/tests/unit/test-model \
		  $(O)/tests/unit/test-json $(O)/tests/unit/test-rq $(O)/tests/unit/test-tick \
		  $(O)/tests/unit/test-sched
BENCHES		= $(O)/bench/bench-cron $(O)/bench/fcgi-fixed

.PHONY: all deps test check bench fuzz fuzz-build run clean
.SUFFIXES:
.SECONDARY:

all: $(PROGS) $(UNIT_TESTS) $(BENCHES)

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

$(BIN)/autosched: $(O)/cli/autosched.o $(LIBAPP)
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

$(O)/tests/unit/test-tick: $(O)/tests/unit/test-tick.o $(O)/schedd/tick.o $(LIBAPP)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(LIBS)

$(O)/tests/unit/%: $(O)/tests/unit/%.o $(LIBAPP)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(LIBS)

$(O)/bench/%: $(O)/bench/%.o $(LIBAPP)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(O)/bench/fcgi-fixed: $(O)/bench/fcgi-fixed.o
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(FCGI_LIBS)

# Tests run under ASan+UBSan, in their own build folder.
test check: deps
	@$(MAKE) --no-print-directory O=build-san BIN=build-san/bin SANITIZE=1 all
	@tests/run build-san

bench: all
	@bench/run $(O) $(BIN)

# libFuzzer needs clang; the fuzz build has its own folder.
FUZZ_TIME	?= 60
FUZZ_CFLAGS	= $(CSTD) $(WARN) $(WERROR) -g -O1 -fsanitize=fuzzer,address,undefined \
		  -fno-sanitize-recover=all $(DEP_CFLAGS) -Ilib
FUZZERS		= build-fuzz/fuzz-cron build-fuzz/fuzz-sched build-fuzz/fuzz-job build-fuzz/fuzz-rq \
		  build-fuzz/fuzz-req

fuzz-build: $(FUZZERS)

build-fuzz/fuzz-%: tests/fuzz/fuzz-%.c $(LIB_SRCS) lib/app.h build-fuzz/schema.c
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRCS) build-fuzz/schema.c $(DEP_LIBS) -pthread

# The request parsers of cgi/req.c (query, form, cookies, routes).
build-fuzz/fuzz-req: tests/fuzz/fuzz-req.c cgi/req.c cgi/cgi.h $(LIB_SRCS) lib/app.h \
		build-fuzz/schema.c
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -Icgi -o $@ $< cgi/req.c $(LIB_SRCS) build-fuzz/schema.c $(FCGI_LIBS) \
	    $(DEP_LIBS) -pthread

build-fuzz/schema.c: lib/schema.sql
	@$(MAKE) --no-print-directory O=build-fuzz build-fuzz/lib/schema.c
	cp build-fuzz/lib/schema.c $@

fuzz: $(FUZZERS)
	@for f in $(FUZZERS); do \
		n=$${f##*/}; mkdir -p build-fuzz/corpus-$$n; \
		echo "fuzz: $$n for $(FUZZ_TIME) s"; \
		$$f -max_total_time=$(FUZZ_TIME) -timeout=10 -rss_limit_mb=1024 \
		    -print_final_stats=1 -artifact_prefix=build-fuzz/ build-fuzz/corpus-$$n tests/fuzz/seed-$$n \
		    2>&1 | tail -n 12 || exit 1; \
	done

run: deps all
	@scripts/run $(BIN)

clean:
	rm -rf build build-san build-fuzz bin

-include $(shell find $(O) -name '*.d' 2>/dev/null)
