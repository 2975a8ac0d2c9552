# pcap2report — build, test and install.
#
#   make                 build build/pcap2report
#   make demo            install missing Debian packages, convert samples/ into report/
#   make test            install missing Debian packages, run the whole test suite
#   make test-sanitize   the unit and program tests under ASan + UBSan (part of make test)
#   make test-cluster    as root: the README's GNU parallel and Slurm recipes on this machine
#   make install PREFIX=/usr/local [DESTDIR=...]
#
# The user's CFLAGS are kept; warnings are always errors. SANITIZE=address,undefined builds
# everything with those sanitizers into build-san/.

VERSION   := 0.1.0
CC        ?= cc
CFLAGS    ?= -O2 -g
PREFIX    ?= /usr/local
PKG_CONFIG ?= pkg-config
SANITIZE  ?=
TEST_EXTRA :=

BUILD     := build
ifneq ($(SANITIZE),)
BUILD     := build-san
SANFLAGS  := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

WARN      := -std=gnu11 -Wall -Wextra -Werror
DEPS_CFLAGS := $(shell $(PKG_CONFIG) --cflags libpcap libcjson libcrypto freetype2 libarchive libqpdf 2>/dev/null)
DEPS_LIBS   := $(shell $(PKG_CONFIG) --libs libpcap libcjson libcrypto freetype2 libarchive libqpdf 2>/dev/null) -lhpdf -lz -lm -pthread
TEST_CFLAGS := $(shell $(PKG_CONFIG) --cflags criterion 2>/dev/null)
TEST_LIBS   := $(shell $(PKG_CONFIG) --libs criterion 2>/dev/null)
# The layers see only the headers below them, so that a wrong include fails to compile:
# analysis/ its own; render/ analysis/ and its own; grade/ (an application on top) all three.
ANALYSIS_INC := -Ianalysis -Ianalysis/tcp
RENDER_INC   := $(ANALYSIS_INC) -Irender -Irender/pdf
GRADE_INC    := $(RENDER_INC) -Igrade
ALL_CFLAGS := $(WARN) $(CFLAGS) $(SANFLAGS) $(DEPS_CFLAGS) \
              -DPCAP2REPORT_VERSION='"$(VERSION)"' -MMD -MP
ALL_LDFLAGS := $(LDFLAGS) $(SANFLAGS)

LIB_SRC   := $(wildcard analysis/*.c analysis/tcp/*.c render/*.c render/pdf/*.c grade/*.c)
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
CMD_SRC   := $(wildcard cmd/*.c)
CMD_OBJ   := $(CMD_SRC:%.c=$(BUILD)/%.o)
SUPPORT_SRC := $(wildcard tests/support/*.c)
SUPPORT_OBJ := $(SUPPORT_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC  := $(wildcard tests/unit/*.c)
UNIT_OBJ  := $(UNIT_SRC:%.c=$(BUILD)/%.o)

PROGRAM   := $(BUILD)/pcap2report
LIBRARY   := $(BUILD)/libpcap2report.a
UNIT      := $(BUILD)/unit-tests
MKSAMPLE  := $(BUILD)/mksample

.PHONY: FORCE all deps demo test test-unit test-layers test-cli test-samples test-batch test-reproducible test-sanitize golden-update install uninstall clean

all: $(PROGRAM)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/analysis/%.o: ALL_CFLAGS += $(ANALYSIS_INC)
$(BUILD)/render/%.o: ALL_CFLAGS += $(RENDER_INC)
$(BUILD)/grade/%.o: ALL_CFLAGS += $(GRADE_INC)
$(BUILD)/cmd/%.o: ALL_CFLAGS += $(GRADE_INC) -DPCAP2REPORT_PREFIX='"$(PREFIX)"'
$(BUILD)/tests/%.o: ALL_CFLAGS += $(GRADE_INC) $(TEST_CFLAGS) -Itests/support

# The program looks for its templates under PREFIX (cmd/paths.c), so the prefix is compiled
# in: cmd/ is rebuilt when it changes (`make install PREFIX=...` after a build for another
# prefix). The stamp holds the prefix and is rewritten only when it differs.
PREFIX_STAMP := $(BUILD)/prefix.stamp
$(PREFIX_STAMP): FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' '$(PREFIX)' | cmp -s - $@ 2>/dev/null || printf '%s\n' '$(PREFIX)' > $@
$(CMD_OBJ): $(PREFIX_STAMP)

$(LIBRARY): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(PROGRAM): $(CMD_OBJ) $(LIBRARY)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CMD_OBJ) $(LIBRARY) $(DEPS_LIBS)

$(UNIT): $(UNIT_OBJ) $(SUPPORT_OBJ) $(LIBRARY)
	$(CC) $(ALL_LDFLAGS) -o $@ $(UNIT_OBJ) $(SUPPORT_OBJ) $(LIBRARY) $(DEPS_LIBS) $(TEST_LIBS)

$(MKSAMPLE): tests/tools/mksample.c $(SUPPORT_OBJ) $(LIBRARY)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(GRADE_INC) $(TEST_CFLAGS) -Itests/support $(ALL_LDFLAGS) -o $@ $< $(SUPPORT_OBJ) $(LIBRARY) $(DEPS_LIBS)

deps:
	@sh scripts/install-deps.sh

demo: deps
	$(MAKE) all
	$(PROGRAM) -o report samples/*.pcap samples/*.pcapng
	@echo "Reports are in report/"

# The whole suite: unit tests, the program on real and generated captures, the JSON schema,
# then everything again under the sanitizers.
test: deps
	$(MAKE) test-unit test-layers test-cli test-samples test-batch test-reproducible $(TEST_EXTRA)
	$(MAKE) test-sanitize

test-unit: $(UNIT)
	sh tests/run-unit.sh $(UNIT)

# No layer includes one above it, and no include or call circle between modules.
test-layers: $(PROGRAM) $(UNIT)
	python3 tests/layers.py $(BUILD)

test-cli: $(PROGRAM) $(MKSAMPLE)
	PROGRAM=$(PROGRAM) MKSAMPLE=$(MKSAMPLE) sh tests/cli.sh

test-samples: $(PROGRAM)
	sh tests/samples.sh $(PROGRAM)

test-batch: $(PROGRAM)
	PROGRAM=$(PROGRAM) sh tests/batch.sh

test-reproducible: $(PROGRAM)
	PROGRAM=$(PROGRAM) sh tests/reproducible.sh

# Regenerates tests/golden/ after a deliberate change of output; review the diff before committing.
golden-update: $(PROGRAM)
	sh tests/samples.sh $(PROGRAM) --update

# One make for every sanitized target, so that parallel jobs share one build-san/ (the .mk
# files add theirs to SANITIZE_TESTS).
test-sanitize:
	$(MAKE) SANITIZE=address,undefined CFLAGS="-O1 -g" test-unit test-cli test-samples test-batch $(SANITIZE_TESTS)

install: $(PROGRAM)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/pcap2report
	install -m 755 $(PROGRAM) $(DESTDIR)$(PREFIX)/bin/pcap2report
	install -m 644 docs/pcap2report.1 $(DESTDIR)$(PREFIX)/share/man/man1/pcap2report.1
	install -m 644 docs/schema/pcap2report.schema.json docs/schema/index.schema.json \
	    docs/schema/grades.schema.json $(DESTDIR)$(PREFIX)/share/pcap2report/
	install -d $(DESTDIR)$(PREFIX)/share/pcap2report/templates/rubrics
	install -m 644 templates/*.txt templates/README.md $(DESTDIR)$(PREFIX)/share/pcap2report/templates/
	install -m 644 templates/rubrics/* $(DESTDIR)$(PREFIX)/share/pcap2report/templates/rubrics/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/pcap2report $(DESTDIR)$(PREFIX)/share/man/man1/pcap2report.1
	rm -rf $(DESTDIR)$(PREFIX)/share/pcap2report

clean:
	rm -rf build build-san report

# Benchmarks, fuzzing, grading, language, encapsulation and cluster tests live in their own
# makefiles; they may add targets to TEST_EXTRA.
-include bench/bench.mk fuzz/fuzz.mk tests/grade.mk tests/lang.mk tests/encap.mk tests/cluster.mk \
         tests/hostile.mk tests/peers.mk tests/views.mk tests/options.mk tests/spill.mk

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d) $(UNIT_OBJ:.o=.d) $(SUPPORT_OBJ:.o=.d)
