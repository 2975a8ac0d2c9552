# tests/views.mk — `make test-views`: the SVG, HTML and CSV outputs and --tcp-stream
# (tests/views.sh): SVG against the PDF, XML and rsvg-convert; HTML in headless Chromium with
# the network off; CSV against the JSON; tcp.stream against tshark. Included by the Makefile;
# it runs in `make test`, and again in the sanitizer half of it.

TEST_EXTRA += test-views

.PHONY: test-views views-sanitize-extra

test-views: $(PROGRAM) $(MKSAMPLE)
	PROGRAM=$(PROGRAM) MKSAMPLE=$(MKSAMPLE) sh tests/views.sh

# The sanitizer halves of grade.mk, lang.mk, fuzz.mk and this file each run a sub-make that builds
# build-san/; several building it at once under -j2 could link a library another was still
# writing. So build-san/ is built once first, and they only use it.
.PHONY: sanitize-prebuild
sanitize-prebuild:
	$(MAKE) SANITIZE=address,undefined CFLAGS="-O1 -g" build-san/pcap2report build-san/mksample build-san/unit-tests
grade-sanitize-extra lang-sanitize-extra fuzz-sanitize-extra: | sanitize-prebuild

test-sanitize: views-sanitize-extra
views-sanitize-extra: | sanitize-prebuild
	$(MAKE) SANITIZE=address,undefined CFLAGS="-O1 -g" test-views
