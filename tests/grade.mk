# tests/grade.mk — `make test-grade`: `pcap2report grade` from end to end (tests/grade.sh, and a
# class as learning platforms export it, tests/grade_class.sh),
# included by the Makefile. It runs in `make test`, and again in the sanitizer half of it.

TEST_EXTRA += test-grade

.PHONY: test-grade grade-sanitize-extra

test-grade: $(PROGRAM)
	sh tests/grade.sh $(PROGRAM)
	sh tests/grade_class.sh $(PROGRAM)

# The top Makefile's test-sanitize names only its own targets; this one joins it.
test-sanitize: grade-sanitize-extra
grade-sanitize-extra:
	$(MAKE) SANITIZE=address,undefined CFLAGS="-O1 -g" test-grade
