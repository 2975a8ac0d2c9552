# tests/peers.mk — captures from other stacks, partial captures and crafted flags (issue 14),
# checked against tshark's tcp.streams field by field and against Zeek's records as its source
# reads; included by the top-level Makefile.
#
#   make test-peers     build tests/tools/mkpeers, write its captures into $(PEERS_DIR)/captures,
#                       convert them, and run tests/peers_check.py (tshark's half is skipped
#                       when tshark is missing)

PEERS_DIR := $(BUILD)/peers
MKPEERS   := $(BUILD)/mkpeers

.PHONY: test-peers

TEST_EXTRA += test-peers

$(MKPEERS): tests/tools/mkpeers.c $(SUPPORT_OBJ) $(LIBRARY)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ANALYSIS_INC) -Itests/support $(ALL_LDFLAGS) -o $@ $< $(SUPPORT_OBJ) $(LIBRARY) $(DEPS_LIBS)

test-peers: $(MKPEERS) $(PROGRAM)
	rm -rf $(PEERS_DIR)
	mkdir -p $(PEERS_DIR)
	$(MKPEERS) $(PEERS_DIR)/captures
	$(PROGRAM) -q --format json -o $(PEERS_DIR)/json $(PEERS_DIR)/captures/*.pcap
	python3 tests/peers_check.py $(PEERS_DIR)/captures $(PEERS_DIR)/json
