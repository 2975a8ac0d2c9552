# tests/lang.mk — `make test-lang`: reports in every language and reports that last
# (tests/lang.sh): Chinese reports read back and their glyphs checked, translations with a
# missing or unknown key refused, identical PDFs across runs, -j, time zones and
# SOURCE_DATE_EPOCH, and the PDF/A-1b checks of docs/pdfa.md. Included by the Makefile; it runs
# in `make test`, and again in the sanitizer half of it.

TEST_EXTRA += test-lang

.PHONY: test-lang lang-sanitize-extra

test-lang: $(PROGRAM)
	PROGRAM=$(PROGRAM) sh tests/lang.sh

# The top Makefile's test-sanitize names only its own targets; this one joins it.
test-sanitize: lang-sanitize-extra
lang-sanitize-extra:
	$(MAKE) SANITIZE=address,undefined CFLAGS="-O1 -g" test-lang
