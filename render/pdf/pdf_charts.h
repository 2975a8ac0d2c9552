/* pdf_charts.h — two bar charts side by side: sessions per handshake class and per close
 * class, every class listed so that a zero shows as a zero. The capture report's first page
 * and the batch summary draw them. */
#ifndef PCAP2REPORT_PDF_CHARTS_H
#define PCAP2REPORT_PDF_CHARTS_H

#include "pdf_doc.h"

/* Draws them from y down on page (with page NULL it only measures); handshake and teardown
 * hold HANDSHAKE_CLASSES and TEARDOWN_CLASSES counts. Returns the y below them. */
float pdf_class_charts(struct pdf_doc *d, HPDF_Page page, float y, const unsigned *handshake,
                       const unsigned *teardown);

#endif
