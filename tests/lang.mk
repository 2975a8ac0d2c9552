# tests/lang.mk — `make test-lang`: reports in every language and reports that last
# (tests/lang.sh): Chinese reports read back and their glyphs checked, translations with a
# missing or unknown key refused, identical PDFs across runs, -j, time zones and
# SOURCE_DATE_EPOCH, and the PDF/A-1b checks of docs/pdfa.md. Included by the Makefile; it runs
# in `make test`, and again in the sanitizer half of it.

TEST_EXTRA += test-lang test-public-only

.PHONY: test-lang test-public-only clean-public-only

test-lang: $(PROGRAM)
	PROGRAM=$(PROGRAM) sh tests/lang.sh

# The sanitizer half of `make test` runs these too (one make for all of them: see test-sanitize).
SANITIZE_TESTS += test-lang

# The program as it is built against a libharu other than 2.3.0, with libharu's public API
# alone (PDF_PUBLIC_ONLY leaves out render/pdf/pdf_repair.c's repairs of 2.3.0's output), in
# its own folder: its reports come out, and --pdfa is refused (tests/public-only.sh).
test-public-only:
	$(MAKE) BUILD=build-public CFLAGS="-O1 -g -DPDF_PUBLIC_ONLY" build-public/pcap2report
	PROGRAM=build-public/pcap2report sh tests/public-only.sh

clean: clean-public-only
clean-public-only:
	rm -rf build-public
