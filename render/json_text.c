/* json_text.c — the growing buffer behind json_text.h: its first buffer, its growth, and
 * the sink that takes the writes once memory has run out. */
#include "json_text.h"
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>

enum { FIRST_CAP = 1 << 16 };

const char json_digit_pairs_[200] = "0001020304050607080910111213141516171819"
                                    "2021222324252627282930313233343536373839"
                                    "4041424344454647484950515253545556575859"
                                    "6061626364656667686970717273747576777879"
                                    "8081828384858687888990919293949596979899";

/* The cursor once memory has run out: JSON_PUT_MAX bytes of sink after sink[0], as many as
 * any one request asks for; each request starts it again. */
static struct json_at sink(struct json_buf *b)
{
    b->oom = true;
    return (struct json_at){b->sink + 1, b->sink + sizeof b->sink};
}

struct json_at json_start(struct json_buf *b)
{
    if (!b->buf && !b->oom) {
        b->buf = malloc(FIRST_CAP);
        if (!b->buf)
            return sink(b);
        b->cap = FIRST_CAP;
        b->buf[0] = '\n'; /* the byte before the text, for json_sep */
    }
    if (b->oom)
        return sink(b);
    return (struct json_at){b->buf + 1, b->buf + b->cap};
}

struct json_at json_grow(struct json_buf *b, struct json_at a, size_t n)
{
    if (b->oom)
        return sink(b);
    size_t len = (size_t)(a.p - b->buf);
    if (len > SIZE_MAX - n || !GROW(b->buf, b->cap, len + n, FIRST_CAP))
        return sink(b);
    return (struct json_at){b->buf + len, b->buf + b->cap};
}

/* Out of line: a string reaches the end of its room seldom, and json_str_at_ stays small. */
struct json_at json_str_room_(struct json_buf *b, struct json_at a)
{
    return json_need(b, a, JSON_ROOM(7));
}

void json_buf_free(struct json_buf *b)
{
    free(b->buf);
    b->buf = NULL;
    b->cap = 0;
}
