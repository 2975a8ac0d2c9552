# tests/spill.mk — sessions leaving memory never change a report (issue 20); included by the
# top-level Makefile.
#
#   make test-spill     tests/spill.sh: every format of many captures, converted with every
#                       session in memory, by default, and with every session leaving memory at
#                       every segment; the same bytes each way. Also in the sanitizer pass.

.PHONY: test-spill

TEST_EXTRA += test-spill
SANITIZE_TESTS += test-spill

test-spill: $(PROGRAM) $(MKENCAP) $(BENCH_FLOOD) $(BENCH_GEN)
	PROGRAM=$(PROGRAM) MKENCAP=$(MKENCAP) FLOOD=$(BENCH_FLOOD) GEN=$(BENCH_GEN) sh tests/spill.sh
