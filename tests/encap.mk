# tests/encap.mk — crafted captures of every link type, encapsulation and tunnel (issue 15),
# checked against tshark; included by the top-level Makefile.
#
#   make test-encap     build tests/tools/mkencap and encapdump, write the captures into
#                       $(ENCAP_DIR), and compare each one's TCP 4-tuples with tshark's
#                       tcp.streams, as decoded and in pcap2report's report
#                       (tests/encap_check.sh; skipped when tshark is missing)

ENCAP_DIR   := $(BUILD)/encap
MKENCAP     := $(BUILD)/mkencap
ENCAPDUMP   := $(BUILD)/encapdump

.PHONY: test-encap encap-tools

TEST_EXTRA += test-encap

encap-tools: $(MKENCAP) $(ENCAPDUMP)

$(MKENCAP): tests/tools/mkencap.c $(SUPPORT_OBJ) $(LIBRARY)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(GRADE_INC) -Itests/support $(ALL_LDFLAGS) -o $@ $< $(SUPPORT_OBJ) $(LIBRARY) $(DEPS_LIBS)

$(ENCAPDUMP): tests/tools/encapdump.c $(LIBRARY)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ANALYSIS_INC) $(ALL_LDFLAGS) -o $@ $< $(LIBRARY) $(DEPS_LIBS)

test-encap: encap-tools $(PROGRAM)
	MKENCAP=$(MKENCAP) ENCAPDUMP=$(ENCAPDUMP) DIR=$(ENCAP_DIR) STAGE2=1 PROGRAM=$(PROGRAM) sh tests/encap_check.sh
