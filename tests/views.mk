# tests/views.mk — `make test-views`: the SVG, HTML and CSV outputs and --tcp-stream
# (tests/views.sh): SVG against the PDF, XML and rsvg-convert; HTML in headless Chromium with
# the network off; CSV against the JSON; tcp.stream against tshark. Included by the Makefile;
# it runs in `make test`, and again in the sanitizer half of it.

TEST_EXTRA += test-views

.PHONY: test-views

test-views: $(PROGRAM) $(MKSAMPLE)
	PROGRAM=$(PROGRAM) MKSAMPLE=$(MKSAMPLE) sh tests/views.sh

# The sanitizer half of `make test` runs it too (one make for all of them: see test-sanitize).
SANITIZE_TESTS += test-views
