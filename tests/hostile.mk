# tests/hostile.mk — `make test-hostile`: hostile file systems and interruptions
# (tests/hostile-fs.sh): planted links, loops, FIFOs, hostile names, a full disk, signals in
# every subcommand. Included by the Makefile; runs in `make test`, and again in the sanitizer
# half of it. The full-disk and read-only checks mount a small tmpfs and need root; without
# root they are reported as skipped.

TEST_EXTRA += test-hostile

OUTFILE_CHECK := $(BUILD)/outfile-check
OUTFILE_CHECK_OBJ := $(BUILD)/cmd/outfile.o $(BUILD)/cmd/interrupt.o $(BUILD)/cmd/paths.o

.PHONY: test-hostile hostile-sanitize-extra

$(OUTFILE_CHECK): tests/tools/outfile_check.c $(OUTFILE_CHECK_OBJ) $(LIBRARY)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(GRADE_INC) -Icmd $(ALL_LDFLAGS) -o $@ $< $(OUTFILE_CHECK_OBJ) $(LIBRARY) $(DEPS_LIBS)

test-hostile: $(PROGRAM) $(OUTFILE_CHECK) $(MKSAMPLE)
	PROGRAM=$(PROGRAM) OUTFILE_CHECK=$(OUTFILE_CHECK) MKSAMPLE=$(MKSAMPLE) sh tests/hostile-fs.sh

# The top Makefile's test-sanitize names only its own targets; this one joins it.
test-sanitize: hostile-sanitize-extra
hostile-sanitize-extra:
	$(MAKE) SANITIZE=address,undefined CFLAGS="-O1 -g" test-hostile
