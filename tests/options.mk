# tests/options.mk — the command line's promises (issue 18): `make test-options` runs
# tests/options.sh (reruns, exit codes, offload, verify of a PDF, index.pdf, --help against
# the man page and the README), in `make test` and again under the sanitizers; `make
# test-install` checks that `make install PREFIX=...` rebuilds for a new prefix (in a copy of
# the tree), in `make test` only. Included by the Makefile.

TEST_EXTRA += test-options test-install
SANITIZE_TESTS += test-options

.PHONY: test-options test-install

test-options: $(PROGRAM) $(MKSAMPLE)
	PROGRAM=$(PROGRAM) MKSAMPLE=$(MKSAMPLE) sh tests/options.sh

test-install: $(PROGRAM)
	sh tests/install.sh $(BUILD)
