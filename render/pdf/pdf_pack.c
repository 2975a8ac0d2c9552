/* pdf_pack.c — finished pages' contents compressed ahead of saving (see pdf_pack.h).
 *
 * Pages are compressed in the order they were handed over, by whichever thread claims them
 * first (the helper while the caller draws; the caller and the helper in pdf_pack_finish),
 * into buffers of their own; only the calling thread puts them into the document, as
 * libharu's objects are not to be touched from two threads. The helper reads a page's
 * memory stream, which nothing changes once the page is handed over. */
#include "pdf_pack.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "cores.h"

/* Fewer pages than this compress in less time than a helper takes to start. */
enum { HELPER_MIN_PAGES = 16 };

struct packed {
    unsigned char *data; /* the compressed contents; NULL when zlib ran out of memory */
    size_t len;
    bool done;           /* guarded by lock */
};

struct pdf_pack {
    HPDF_Doc doc;
    size_t max;
    HPDF_Page *pages;
    struct packed *out;
    pthread_mutex_t lock;
    pthread_cond_t changed;   /* a page was handed over or compressed, or closing or abandon set */
    size_t added, claimed;    /* guarded by lock: pages handed over, pages taken to compress */
    size_t placed;            /* pages put into the document (calling thread only) */
    bool closing, abandon;    /* guarded by lock */
    bool helper_started;      /* calling thread only */
    pthread_t helper;
    struct core_budget *cores;
};

/* The page's contents, compressed as libharu's HPDF_Stream_WriteToStreamWithDeflate
 * compresses them (deflateInit with Z_DEFAULT_COMPRESSION). */
static void compress_page(HPDF_Page page, struct packed *out)
{
    HPDF_Stream s = ((HPDF_PageAttr)page->attr)->stream;
    HPDF_MemStreamAttr m = s->attr;
    z_stream z;
    memset(&z, 0, sizeof z);
    out->data = NULL;
    if (deflateInit(&z, Z_DEFAULT_COMPRESSION) != Z_OK)
        return;
    uLong cap = deflateBound(&z, s->size);
    unsigned char *buf = malloc(cap);
    int rc = buf ? Z_OK : Z_MEM_ERROR;
    z.next_out = buf;
    z.avail_out = (uInt)cap;
    size_t left = s->size;
    /* The stream is a list of buffers of buf_siz bytes, the last one partly filled. */
    for (HPDF_UINT i = 0; i < m->buf->count && left && rc == Z_OK; i++) {
        size_t n = left < m->buf_siz ? left : m->buf_siz;
        z.next_in = m->buf->obj[i];
        z.avail_in = (uInt)n;
        left -= n;
        while (z.avail_in && rc == Z_OK)
            rc = deflate(&z, Z_NO_FLUSH);
    }
    if (rc == Z_OK)
        rc = deflate(&z, Z_FINISH); /* the output has room for all of it: deflateBound */
    if (rc == Z_STREAM_END) {
        out->data = buf;
        out->len = z.total_out;
    } else {
        free(buf);
    }
    deflateEnd(&z);
}

/* Takes the next page handed over and not yet taken, compresses it and marks it done; false
 * when there is none. Called with lock held, which it releases while compressing. */
static bool claim_one(struct pdf_pack *p)
{
    if (p->claimed == p->added || p->abandon)
        return false;
    size_t k = p->claimed++;
    pthread_mutex_unlock(&p->lock);
    compress_page(p->pages[k], &p->out[k]);
    pthread_mutex_lock(&p->lock);
    p->out[k].done = true;
    pthread_cond_broadcast(&p->changed);
    return true;
}

static void *helper_main(void *arg)
{
    struct pdf_pack *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        if (claim_one(p))
            continue;
        if (p->closing || p->abandon)
            break;
        pthread_cond_wait(&p->changed, &p->lock);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* What HPDF_Dict_Write writes for a stream with the Flate filter: it adds /Filter after the
 * other entries, and leaves it out for a stream it copies as it is. */
static HPDF_STATUS write_filter(HPDF_Dict dict, HPDF_Stream stream)
{
    (void)dict;
    return HPDF_Stream_WriteStr(stream, "/Filter [ /FlateDecode ]\012");
}

/* Puts page k's compressed contents in place of its contents. */
static void place(struct pdf_pack *p, size_t k)
{
    HPDF_PageAttr a = p->pages[k]->attr;
    struct packed *o = &p->out[k];
    if (!o->data) {
        HPDF_RaiseError(&p->doc->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
        return;
    }
    HPDF_MemStream_FreeData(a->stream);
    HPDF_STATUS st = HPDF_Stream_Write(a->stream, o->data, (HPDF_UINT)o->len);
    free(o->data);
    o->data = NULL;
    if (st != HPDF_OK) {
        HPDF_CheckError(&p->doc->error);
        return;
    }
    a->contents->filter = HPDF_STREAM_FILTER_NONE;
    a->contents->write_fn = write_filter;
}

/* Puts in place, in order, the pages compressed so far. */
static void place_done(struct pdf_pack *p)
{
    for (;;) {
        pthread_mutex_lock(&p->lock);
        bool ready = p->placed < p->claimed && p->out[p->placed].done;
        pthread_mutex_unlock(&p->lock);
        if (!ready)
            return;
        place(p, p->placed++);
    }
}

struct pdf_pack *pdf_pack_new(HPDF_Doc doc, size_t max_pages, struct core_budget *cores)
{
    struct pdf_pack *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->doc = doc;
    p->max = max_pages;
    p->cores = cores;
    p->pages = calloc(max_pages ? max_pages : 1, sizeof *p->pages);
    p->out = calloc(max_pages ? max_pages : 1, sizeof *p->out);
    if (!p->pages || !p->out) {
        free(p->pages);
        free(p->out);
        free(p);
        return NULL;
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->changed, NULL);
    return p;
}

/* Starts the helper once there is a core to spare for it: at the first page handed over,
 * or later when the core is freed (by the JSON being written alongside, say). */
static void start_helper(struct pdf_pack *p)
{
    if (p->helper_started || p->max < HELPER_MIN_PAGES || !core_budget_spare(p->cores))
        return;
    core_budget_hold(p->cores); /* counted before starting, like every helper of the run */
    p->helper_started = pthread_create(&p->helper, NULL, helper_main, p) == 0;
    if (!p->helper_started)
        core_budget_release(p->cores);
}

void pdf_pack_page(struct pdf_pack *p, HPDF_Page page)
{
    HPDF_PageAttr a = page->attr;
    /* Only contents libharu would compress; an unfinished path, text object or GSave would
     * have libharu add to them while saving. */
    if (a->contents->filter != HPDF_STREAM_FILTER_FLATE_DECODE || a->contents->write_fn ||
        a->stream->type != HPDF_STREAM_MEMORY)
        return;
    if (a->gmode != HPDF_GMODE_PAGE_DESCRIPTION || a->gstate->prev) {
        HPDF_RaiseError(&p->doc->error, HPDF_PAGE_INVALID_GMODE, 0);
        return;
    }
    if (p->added == p->max) {
        HPDF_RaiseError(&p->doc->error, HPDF_INVALID_PARAMETER, 0);
        return;
    }
    a->gmode = 0; /* no mode: drawing on the page from now on is an error */

    pthread_mutex_lock(&p->lock);
    p->pages[p->added++] = page;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
    start_helper(p);
    place_done(p);
}

void pdf_pack_finish(struct pdf_pack *p)
{
    pthread_mutex_lock(&p->lock);
    p->closing = true;
    pthread_cond_broadcast(&p->changed);
    do {
        pthread_mutex_unlock(&p->lock);
        start_helper(p);
        pthread_mutex_lock(&p->lock);
    } while (claim_one(p));
    for (size_t k = p->placed; k < p->claimed; k++) /* the page the helper is on */
        while (!p->out[k].done)
            pthread_cond_wait(&p->changed, &p->lock);
    pthread_mutex_unlock(&p->lock);
    place_done(p);
}

void pdf_pack_free(struct pdf_pack *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->abandon = true;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
    if (p->helper_started) {
        pthread_join(p->helper, NULL);
        core_budget_release(p->cores);
    }
    for (size_t k = 0; k < p->max; k++)
        free(p->out[k].data);
    pthread_cond_destroy(&p->changed);
    pthread_mutex_destroy(&p->lock);
    free(p->pages);
    free(p->out);
    free(p);
}
