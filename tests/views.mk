# tests/views.mk — `make test-views`: the SVG, HTML and CSV outputs and --tcp-stream
# (tests/views.sh): SVG against the PDF, XML and rsvg-convert; HTML in headless Chromium with
# the network off; CSV against the JSON; tcp.stream against tshark. Included by the Makefile;
# it runs in `make test`, and again in the sanitizer half of it.

TEST_EXTRA += test-views

.PHONY: test-views views-sanitize-extra

test-views: $(PROGRAM) $(MKSAMPLE)
	PROGRAM=$(PROGRAM) MKSAMPLE=$(MKSAMPLE) sh tests/views.sh

test-sanitize: views-sanitize-extra
views-sanitize-extra:
	$(MAKE) SANITIZE=address,undefined CFLAGS="-O1 -g" test-views
