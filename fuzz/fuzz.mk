# fuzz/fuzz.mk — fuzzing, regression replay, broken captures and valgrind (included by Makefile).
#
#   make fuzz [FUZZ_SECONDS=60]   build the libFuzzer harnesses with clang and run each for
#                                 FUZZ_SECONDS; findings land in build/libfuzzer/findings/
#   make test-regressions         replay fuzz/regressions/ through the harnesses (ordinary
#                                 compiler, no libFuzzer) and the program
#   make test-broken              tests/broken/: every broken capture, its message and exit status
#   make test-valgrind            the program under valgrind, for leaks and memory errors, over
#                                 every sample and the broken captures
#
# The last three run in `make test`, the first two of them in its sanitizer half too.
# Details: fuzz/README.md, docs/bad-input.md.

FUZZ_CC      ?= $(shell command -v clang-14 2>/dev/null || command -v clang 2>/dev/null)
FUZZ_SECONDS ?= 60
FUZZ_MAX_LEN ?= 65536
FUZZ_BUILD   := build/libfuzzer
# float-cast-overflow is in clang's "undefined" group; named so that no one wonders.
FUZZ_SAN     := -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS  := -std=gnu11 -Wall -Wextra -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
                $(RENDER_INC) -Ifuzz $(DEPS_CFLAGS) -DPCAP2REPORT_VERSION='"$(VERSION)"' -MMD -MP
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)
FUZZERS      := decode capture json

.PHONY: fuzz fuzz-run fuzz-build fuzz-seeds test-regressions test-broken test-valgrind

TEST_EXTRA += test-regressions test-broken test-valgrind

# The sanitizer half of `make test` runs these too (one make for all of them: see test-sanitize).
SANITIZE_TESTS += test-regressions test-broken

# ---- libFuzzer build (clang only) ------------------------------------------------------------

$(FUZZ_BUILD)/%.o: %.c
	@test -n "$(FUZZ_CC)" || { echo "make fuzz needs clang (Debian: apt-get install clang-14 libclang-rt-14-dev)" >&2; exit 1; }
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/fuzz/fuzz_%.o $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(DEPS_LIBS)

$(FUZZ_BUILD)/mkseeds: fuzz/mkseeds.c fuzz/fuzz_check.h
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(RENDER_INC) $(DEPS_CFLAGS) -o $@ $< $(DEPS_LIBS)

fuzz-build: $(FUZZERS:%=$(FUZZ_BUILD)/fuzz_%)

.SECONDARY: $(FUZZ_LIB_OBJ) $(FUZZERS:%=$(FUZZ_BUILD)/fuzz/fuzz_%.o) $(FUZZERS:%=$(BUILD)/fuzz/fuzz_%.o)

# Seeds: the samples, the generated broken captures, and every saved regression; for json,
# the golden reports and a shard index and a batch index of the samples.
fuzz-seeds: $(FUZZ_BUILD)/mkseeds $(PROGRAM)
	@mkdir -p $(FUZZ_BUILD)/corpus/decode $(FUZZ_BUILD)/corpus/capture $(FUZZ_BUILD)/corpus/json $(FUZZ_BUILD)/findings
	cp tests/golden/*.json $(FUZZ_BUILD)/corpus/json/
	rm -rf $(FUZZ_BUILD)/seed-index && $(PROGRAM) -q --shard 1/1 --format json -o $(FUZZ_BUILD)/seed-index samples/*.pcap samples/*.pcapng
	$(PROGRAM) -q --format json -o $(FUZZ_BUILD)/seed-index samples/*.pcap samples/*.pcapng /nonexistent.pcap || true
	cp $(FUZZ_BUILD)/seed-index/index.shard-1-of-1.json $(FUZZ_BUILD)/seed-index/index.json $(FUZZ_BUILD)/corpus/json/
	$(FUZZ_BUILD)/mkseeds $(FUZZ_BUILD)/corpus/decode samples/*.pcap samples/*.pcapng
	cp samples/*.pcap samples/*.pcapng $(FUZZ_BUILD)/corpus/capture/
	sh tests/broken/make-broken.sh $(FUZZ_BUILD)/broken >/dev/null
	find $(FUZZ_BUILD)/broken -maxdepth 1 -type f -size -$(FUZZ_MAX_LEN)c -exec cp {} $(FUZZ_BUILD)/corpus/capture/ \;

# Runs each harness for FUZZ_SECONDS; fails when one found something (a crash, a sanitizer
# report, a hang over 10 s or memory over 2 GB). The number of executions of each run is
# printed at the end (libFuzzer's stat::number_of_executed_units).
# clang is needed only here, so `make fuzz` installs it rather than `make test`.
fuzz:
	@sh scripts/install-deps.sh clang-14 libclang-rt-14-dev
	@$(MAKE) fuzz-run

fuzz-run: fuzz-build fuzz-seeds
	@rm -rf $(FUZZ_BUILD)/findings && mkdir -p $(FUZZ_BUILD)/findings
	@status=0; for h in $(FUZZERS); do \
	    echo "fuzz: $$h for $(FUZZ_SECONDS) s"; \
	    mkdir -p fuzz/regressions/$$h; \
	    dict=; [ -f fuzz/$$h.dict ] && dict=-dict=fuzz/$$h.dict; \
	    $(FUZZ_BUILD)/fuzz_$$h $$dict -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	        -max_len=$(FUZZ_MAX_LEN) -print_final_stats=1 \
	        -artifact_prefix=$(FUZZ_BUILD)/findings/$$h- \
	        $(FUZZ_BUILD)/corpus/$$h fuzz/regressions/$$h >$(FUZZ_BUILD)/$$h.log 2>&1 || status=1; \
	    execs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $(FUZZ_BUILD)/$$h.log); \
	    echo "fuzz: $$h: $${execs:-?} executions, log in $(FUZZ_BUILD)/$$h.log"; \
	done; \
	if [ $$status -ne 0 ]; then \
	    ls -l $(FUZZ_BUILD)/findings/ >&2; \
	    echo "fuzz: FINDINGS (above, and at the end of the logs): fix, then copy each input into fuzz/regressions/<harness>/" >&2; \
	    exit 1; \
	fi; echo "fuzz: no findings"

# ---- regression replay (any compiler, any sanitizer build) --------------------------------------

REPLAY := $(FUZZERS:%=$(BUILD)/fuzz/replay-%)

$(BUILD)/fuzz/replay-%: fuzz/replay.c $(BUILD)/fuzz/fuzz_%.o $(LIBRARY)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ fuzz/replay.c $(BUILD)/fuzz/fuzz_$*.o $(LIBRARY) $(DEPS_LIBS)

# The JSON readers turn doubles into integers: in a sanitizer build their replay checks those
# conversions too (float-cast-overflow is not part of GCC's -fsanitize=undefined). Their
# objects, built so, come before the library, which then adds only what they do not define.
JSON_FCO     := $(if $(SANITIZE),-fsanitize=float-cast-overflow)
JSON_FCO_OBJ := $(BUILD)/fuzz/fco/render/json_read.o $(BUILD)/fuzz/fco/render/index.o \
                $(BUILD)/fuzz/fco/render/index_merge.o

$(BUILD)/fuzz/fco/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(JSON_FCO) -c $< -o $@

$(BUILD)/fuzz/replay-json: fuzz/replay.c $(BUILD)/fuzz/fuzz_json.o $(JSON_FCO_OBJ) $(LIBRARY)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $(JSON_FCO) -o $@ fuzz/replay.c $(BUILD)/fuzz/fuzz_json.o $(JSON_FCO_OBJ) \
	    $(LIBRARY) $(DEPS_LIBS)

# The harnesses sit on top of analysis/ and render/ (they write the JSON), as the fuzz build does.
$(BUILD)/fuzz/%.o: ALL_CFLAGS += $(RENDER_INC) -Ifuzz

test-regressions: $(REPLAY) $(PROGRAM)
	PROGRAM=$(PROGRAM) BUILD=$(BUILD) sh fuzz/replay.sh $(FUZZERS)

# ---- broken captures and valgrind ---------------------------------------------------------------

test-broken: $(PROGRAM)
	PROGRAM=$(PROGRAM) sh tests/broken/test-broken.sh

test-valgrind: $(PROGRAM)
	PROGRAM=$(PROGRAM) sh fuzz/valgrind.sh

-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZERS:%=$(FUZZ_BUILD)/fuzz/fuzz_%.d) $(FUZZERS:%=$(BUILD)/fuzz/fuzz_%.d)
