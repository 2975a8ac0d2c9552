/* pdf_encap.h — tunnels, encapsulations and capture interfaces in words, for the first page
 * and the session pages (issue 15). Every word comes from the templates (encap.*, interface.*). */
#ifndef PCAP2REPORT_PDF_ENCAP_H
#define PCAP2REPORT_PDF_ENCAP_H

#include <stdbool.h>
#include <stddef.h>

#include "pdf_words.h"
#include "report.h"

/* The path of direction dir of s (DIR_C2S, DIR_S2C) in words, outermost layer first, into
 * out (of PDF_WORDS_LEN bytes): "VXLAN, VNI 5001, between 192.0.2.1 and 192.0.2.2; inside
 * it, ...". The words for no layer when the direction travelled bare; "" when it was not
 * seen. Returns out. */
const char *pdf_encap_path(struct pdf_words *w, const struct session *s, int dir, char *out);

/* The sessions per encapsulation kind ("2 in VXLAN, 1 in GRE") into out (of PDF_WORDS_LEN
 * bytes); false, with out empty, when no session was encapsulated. */
bool pdf_encap_counts(struct pdf_words *w, const struct capture_report *r, char *out);

/* The capture's format and link types: one link type as before, several interfaces with
 * theirs ("pcapng, 2 interfaces: eth0 EN10MB (DLT 1), LINUX_SLL (DLT 113); ..."). Returns
 * a string of w's ring. */
const char *pdf_encap_format(struct pdf_words *w, const struct capture_report *r);

#endif
