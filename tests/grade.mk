# tests/grade.mk — `make test-grade`: `pcap2report grade` from end to end (tests/grade.sh, and a
# class as learning platforms export it, tests/grade_class.sh),
# included by the Makefile. It runs in `make test`, and again in the sanitizer half of it.

TEST_EXTRA += test-grade

.PHONY: test-grade

test-grade: $(PROGRAM)
	sh tests/grade.sh $(PROGRAM)
	sh tests/grade_class.sh $(PROGRAM)

# The sanitizer half of `make test` runs these too (one make for all of them: see test-sanitize).
SANITIZE_TESTS += test-grade
