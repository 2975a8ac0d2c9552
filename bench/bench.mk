# bench/bench.mk — the benchmark (docs/benchmark.md); included by the top-level Makefile.
#
#   make bench          quick size (20,000 sessions, 360,000 packets): pcap2report against the
#                       reference loop, the PDF and -j when the program has them, tshark and
#                       tcptrace when installed; then the SYN flood (3 million SYNs, one every
#                       10 us: bench/flood.c), 200,000 short sessions, and `grade` on 1,000
#                       identical hand-ins (bench-grade), each with its peak memory, and `index`
#                       merging a shard index of 1 million entries (bench-index)
#   make bench-flood    the SYN flood alone (FLOOD_SYNS=N for another size)
#   make bench-short    the million short sessions alone (SHORT_SESSIONS=N)
#   make bench-large    the same on 112,000 sessions and 2 million packets (1.3 GB)
#   make bench-memory   peak memory at 10,000, 100,000 and 1,000,000 sessions, and its slope
#   make bench-grade    pcap2report grade on 1,000 identical hand-ins (bench/grade-class.sh):
#                       time and peak memory with and without the feedback PDFs
#   make bench-index    `pcap2report index` merging one shard index of 4 million entries (4.8 GB,
#                       bench/index-merge.sh; INDEX_ENTRIES=N for another size): time and peak
#                       memory; `make bench` runs it on 1 million
#   make bench-smoke    a tiny run for `make test`: prints the figures, checks nothing about time;
#                       also checks the SHA-256 wrapper (libcrypto) against sha256sum
#
# Generated captures are kept in $(BENCH_DATA) and made again only when bench/gen.c changes.
# BENCH_RUNS=N sets the number of timed runs; BENCH_OTHERS=0 leaves tshark and tcptrace out.

BENCH_DIR      := $(BUILD)/bench
BENCH_DATA     ?= $(BENCH_DIR)/data
BENCH_GEN      := $(BENCH_DIR)/gen
BENCH_FLOOD    := $(BENCH_DIR)/flood
BENCH_REFLOOP  := $(BENCH_DIR)/refloop
BENCH_MEASURE  := $(BENCH_DIR)/measure
BENCH_SHA      := $(BENCH_DIR)/sha256-check
BENCH_SHARD    := $(BENCH_DIR)/shard
BENCH_TOOLS    := $(BENCH_GEN) $(BENCH_FLOOD) $(BENCH_REFLOOP) $(BENCH_MEASURE) $(BENCH_SHARD)
BENCH_ENV       = PROGRAM=$(PROGRAM) GEN=$(BENCH_GEN) FLOOD=$(BENCH_FLOOD) REFLOOP=$(BENCH_REFLOOP) \
                  MEASURE=$(BENCH_MEASURE) SHARD=$(BENCH_SHARD) DATA=$(BENCH_DATA) \
                  $(if $(BENCH_RUNS),RUNS=$(BENCH_RUNS)) $(if $(BENCH_OTHERS),OTHERS=$(BENCH_OTHERS))
BENCH_CFLAGS    = $(WARN) $(CFLAGS) $(SANFLAGS) $(ANALYSIS_INC) -Itests/support $(DEPS_CFLAGS)

.PHONY: bench bench-large bench-memory bench-smoke bench-tools bench-sha256 bench-grade bench-flood bench-short \
        bench-index

TEST_EXTRA += bench-smoke

bench-tools: deps
	@$(MAKE) --no-print-directory $(PROGRAM) $(BENCH_TOOLS)

bench: bench-tools
	$(BENCH_ENV) sh bench/run.sh quick
	$(BENCH_ENV) sh bench/grade-class.sh 1000
	$(BENCH_ENV) sh bench/index-merge.sh 1000000

bench-flood: bench-tools
	$(BENCH_ENV) $(if $(FLOOD_SYNS),FLOOD_SYNS=$(FLOOD_SYNS)) sh bench/run.sh flood

bench-short: bench-tools
	$(BENCH_ENV) $(if $(SHORT_SESSIONS),SHORT_SESSIONS=$(SHORT_SESSIONS)) sh bench/run.sh short

bench-large: bench-tools
	$(BENCH_ENV) sh bench/run.sh large

bench-memory: bench-tools
	$(BENCH_ENV) sh bench/run.sh memory

bench-grade: bench-tools
	$(BENCH_ENV) sh bench/grade-class.sh 1000

bench-index: bench-tools
	$(BENCH_ENV) sh bench/index-merge.sh $(or $(INDEX_ENTRIES),4000000)

bench-smoke: bench-tools bench-sha256
	$(BENCH_ENV) RUNS=1 sh bench/run.sh smoke

# The generator uses the test packet builder (tests/support/pktbuild.c), compiled on its own.
$(BENCH_GEN): bench/gen.c tests/support/pktbuild.c tests/support/pktbuild.h analysis/decode.h
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) $(ALL_LDFLAGS) -o $@ bench/gen.c tests/support/pktbuild.c

$(BENCH_FLOOD): bench/flood.c tests/support/pktbuild.c tests/support/pktbuild.h analysis/decode.h
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) $(ALL_LDFLAGS) -o $@ bench/flood.c tests/support/pktbuild.c

$(BENCH_REFLOOP): bench/refloop.c
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(DEPS_LIBS)

$(BENCH_SHARD): bench/shard.c
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) $(ALL_LDFLAGS) -o $@ $<

$(BENCH_MEASURE): bench/measure.c
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) $(ALL_LDFLAGS) -o $@ $<

$(BENCH_SHA): bench/sha256_check.c analysis/sha256.c analysis/sha256.h
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) $(ALL_LDFLAGS) -o $@ bench/sha256_check.c analysis/sha256.c $(DEPS_LIBS)

# analysis/sha256.c, streamed in odd pieces and in one call, against coreutils' sha256sum on
# files of many lengths around the block size.
bench-sha256: $(BENCH_SHA)
	SHA=$(BENCH_SHA) sh bench/sha256-check.sh
