/* index_fixtures.h — what the index tests (test_readfile.c, test_index_merge.c) share: the
 * batch index a builder writes, as text. */
#ifndef PCAP2REPORT_INDEX_FIXTURES_H
#define PCAP2REPORT_INDEX_FIXTURES_H

#include "index.h"

/* The index b writes (as pcap2report 0.1.0), malloc'd; asserts that writing succeeded. */
char *index_written(struct index_builder *b);

#endif
