# SPDX-License-Identifier: MIT
# The crm toolkit: one library, six programs.  See README.md.

VERSION = 0.1.0
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share

CC ?= cc
CFLAGS ?= -O2 -g
WARN = -std=c99 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wwrite-strings -Wformat=2
ifeq ($(WERROR),1)
WARN += -Werror
endif

BUILD ?= build
ifeq ($(SAN),1)
BUILD := build/san
CFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

PKGS = sqlite3 zlib
ALL_CPPFLAGS = -D_POSIX_C_SOURCE=200809L -DCRM_VERSION='"$(VERSION)"' \
	-Iinclude $(CPPFLAGS)
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lsqlite3 -lz)
LIBS = $(PKG_LIBS) -lcsv -lm -pthread

TOOLS = crm-import crm-rfm crm-segment crm-lists crm-churn crm-scorecard
LIB_SRC = $(wildcard lib/*.c)
LIB_OBJ = $(LIB_SRC:lib/%.c=$(BUILD)/lib/%.o) $(BUILD)/gen/crm_pinyin_tab.o
# The character -> pinyin table is generated from Unihan (package unicode-data).
UNIHAN ?= /usr/share/unicode/Unihan_Readings.txt.bz2
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_BIN = $(TOOLS:%=$(BUILD)/%)
AUX_BIN = $(BUILD)/crm-sample $(BUILD)/crm-gen-names $(BUILD)/crm-gen-churn
HELPER_BIN = $(BUILD)/tests/sqlq

.PHONY: all deps check golden demo bench lint install uninstall clean \
	fuzz fuzz-build fuzz-ci

all: $(TOOL_BIN) $(AUX_BIN)

deps:
	@CC="$(CC)" sh tools/deps.sh

$(BUILD)/.deps: tools/deps.sh
	@CC="$(CC)" sh tools/deps.sh
	@mkdir -p $(@D) && touch $@

$(BUILD)/lib/%.o: lib/%.c include/*.h lib/*.h $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(WARN) $(ALL_CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/gen/crm_pinyin_tab.c: tools/gen-pinyin.sh $(BUILD)/.deps
	@mkdir -p $(@D)
	sh tools/gen-pinyin.sh $(UNIHAN) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/crm_pinyin_tab.o: $(BUILD)/gen/crm_pinyin_tab.c lib/crm_match_int.h
	$(CC) $(WARN) $(ALL_CPPFLAGS) -Ilib $(CFLAGS) -c -o $@ $<

$(BUILD)/libcrm.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(BUILD)/crm-%: cmd/crm-%.c $(BUILD)/libcrm.a include/*.h
	$(CC) $(WARN) $(ALL_CPPFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/libcrm.a \
		$(LDFLAGS) $(LIBS)

$(BUILD)/crm-sample: tools/crm-sample.c $(BUILD)/libcrm.a include/*.h
	$(CC) $(WARN) $(ALL_CPPFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/libcrm.a \
		$(LDFLAGS) $(LIBS)

$(BUILD)/crm-gen-churn: tools/crm-gen-churn.c $(BUILD)/libcrm.a include/*.h
	$(CC) $(WARN) $(ALL_CPPFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/libcrm.a \
		$(LDFLAGS) $(LIBS)

$(BUILD)/crm-gen-names: tools/crm-gen-names.c $(BUILD)/libcrm.a include/*.h
	$(CC) $(WARN) $(ALL_CPPFLAGS) -Ilib $(CFLAGS) -o $@ $< $(BUILD)/libcrm.a \
		$(LDFLAGS) $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/*.h $(BUILD)/libcrm.a include/*.h
	@mkdir -p $(@D)
	$(CC) $(WARN) $(ALL_CPPFLAGS) -Ilib -Itests/unit $(CFLAGS) -o $@ $< \
		$(BUILD)/libcrm.a $(LDFLAGS) $(LIBS)

$(BUILD)/tests/sqlq: tests/helpers/sqlq.c $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(WARN) $(ALL_CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -o $@ $< \
		$(LDFLAGS) $(LIBS)

# make check runs every unit and end-to-end test and ends with the line
# "N passed, N failed".  SAN=1 builds and runs under ASan and UBSan;
# VALGRIND=1 runs the programs under valgrind.
check: all $(UNIT_BIN) $(HELPER_BIN)
	@BUILD=$(BUILD) VALGRIND=$(VALGRIND) SAN=$(SAN) sh tests/run.sh

# Rewrite the expected outputs of the end-to-end tests from the programs'
# current behaviour; review the diff before committing it.
golden: all $(HELPER_BIN)
	@BUILD=$(BUILD) GOLDEN=1 sh tests/run.sh cli

# libFuzzer harnesses (fuzz/fuzz_*.c), built with clang under ASan and
# UBSan.  make fuzz runs each in turn for FUZZ_TIME seconds, starting from
# its seed corpus fuzz/corpus/NAME and keeping what it learns in
# build/fuzz/corpus/NAME; an input that crashes is written to
# build/fuzz/crash-NAME-* and stops the run.  make fuzz-ci: 30 s each.
FUZZ_CC ?= clang
FUZZ_TIME ?= 60
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS = -O1 -g -fno-omit-frame-pointer -Wno-format-nonliteral $(FUZZ_SAN)
FUZZ_NAMES = $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_LIB_OBJ = $(LIB_SRC:lib/%.c=build/fuzz/lib/%.o) \
	build/fuzz/gen/crm_pinyin_tab.o
FUZZ_BIN = $(FUZZ_NAMES:%=build/fuzz/fuzz_%)

build/fuzz/lib/%.o: lib/%.c include/*.h lib/*.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(WARN) $(ALL_CPPFLAGS) $(PKG_CFLAGS) $(FUZZ_CFLAGS) \
		-fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/gen/crm_pinyin_tab.o: $(BUILD)/gen/crm_pinyin_tab.c lib/crm_match_int.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(WARN) $(ALL_CPPFLAGS) -Ilib $(FUZZ_CFLAGS) \
		-fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz.h $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(WARN) -Wno-missing-prototypes $(ALL_CPPFLAGS) -Ilib \
		$(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB_OBJ) \
		$(LIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: fuzz-build
	@set -e; for f in $(FUZZ_NAMES); do \
		mkdir -p build/fuzz/corpus/$$f; \
		echo "fuzz_$$f: $(FUZZ_TIME) s"; \
		build/fuzz/fuzz_$$f -max_total_time=$(FUZZ_TIME) -timeout=10 \
		    -print_final_stats=1 -artifact_prefix=build/fuzz/crash-$$f- \
		    build/fuzz/corpus/$$f fuzz/corpus/$$f 2>build/fuzz/$$f.log \
		    || { tail -60 build/fuzz/$$f.log; exit 1; }; \
		grep -E '^stat::number_of_executed_units' build/fuzz/$$f.log; \
	done

fuzz-ci:
	@$(MAKE) -s fuzz FUZZ_TIME=30

demo: all
	@BUILD=$(BUILD) sh tools/demo.sh

# Time the programs against their peers on generated data and write
# bench/results.md and bench/results.csv; BENCH_SIZE=small|large.
bench: all
	@BUILD=$(BUILD) sh bench/run.sh

lint:
	mandoc -Tlint -Wwarning man/*/*.[1-9]
	cppcheck --quiet --error-exitcode=1 -Iinclude lib cmd

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(DATADIR)/bash-completion/completions \
		$(DESTDIR)$(DATADIR)/zsh/site-functions \
		$(DESTDIR)$(DATADIR)/fish/vendor_completions.d
	for t in $(TOOLS); do \
		cp $(BUILD)/$$t $(DESTDIR)$(BINDIR)/$$t; \
		cp completions/crm.bash \
		    $(DESTDIR)$(DATADIR)/bash-completion/completions/$$t; \
	done
	cp man/man1/*.1 $(DESTDIR)$(MANDIR)/man1/
	cp man/man5/*.5 $(DESTDIR)$(MANDIR)/man5/
	cp man/man7/*.7 $(DESTDIR)$(MANDIR)/man7/
	cp completions/_crm $(DESTDIR)$(DATADIR)/zsh/site-functions/_crm
	cp completions/crm.fish $(DESTDIR)$(DATADIR)/fish/vendor_completions.d/crm.fish

uninstall:
	for t in $(TOOLS); do \
		rm -f $(DESTDIR)$(BINDIR)/$$t \
		    $(DESTDIR)$(DATADIR)/bash-completion/completions/$$t \
		    $(DESTDIR)$(MANDIR)/man1/$$t.1; \
	done
	rm -f $(DESTDIR)$(MANDIR)/man5/crm-store.5 \
		$(DESTDIR)$(MANDIR)/man5/crm-csv.5 $(DESTDIR)$(MANDIR)/man7/crm.7 \
		$(DESTDIR)$(DATADIR)/zsh/site-functions/_crm \
		$(DESTDIR)$(DATADIR)/fish/vendor_completions.d/crm.fish

clean:
	rm -rf build
