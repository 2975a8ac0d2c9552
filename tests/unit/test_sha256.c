/* test_sha256.c — the SHA-256 wrapper over libcrypto: the FIPS 180-4 examples, streamed and in
 * one call, the byte count the capture reader's helper follows, and libcrypto's failures
 * turned into return values (made to happen by asking for a provider that does not exist;
 * Criterion runs each test in its own process, so the setting stays in that test). */
#include <criterion/criterion.h>
#include <openssl/evp.h>
#include <string.h>

#include "sha256.h"

static const struct {
    const char *text;
    const char *hex;
} examples[] = {
    {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
};

Test(sha256, fips_examples_streamed_and_in_one_call)
{
    for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
        const char *t = examples[i].text;
        size_t n = strlen(t);
        char hex[65];
        struct sha256 c;
        cr_assert(sha256_init(&c));
        for (size_t k = 0; k < n; k++) /* a byte at a time: every partial block */
            cr_assert(sha256_update(&c, t + k, 1));
        cr_assert_eq(c.length, n);
        cr_assert(sha256_final_hex(&c, hex));
        cr_assert_str_eq(hex, examples[i].hex, "streamed \"%s\"", t);
        cr_assert(sha256_hex(t, n, hex));
        cr_assert_str_eq(hex, examples[i].hex, "in one call \"%s\"", t);
    }
}

Test(sha256, a_million_a)
{
    static char a[1000000];
    memset(a, 'a', sizeof a);
    char hex[65];
    cr_assert(sha256_hex(a, sizeof a, hex));
    cr_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

Test(sha256, free_accepts_every_state)
{
    struct sha256 zero = {0}, started, ended;
    char hex[65];
    sha256_free(&zero);
    cr_assert(sha256_init(&started));
    cr_assert(sha256_update(&started, "abc", 3));
    sha256_free(&started); /* abandoned */
    sha256_free(&started);
    cr_assert(sha256_init(&ended));
    cr_assert(sha256_final_hex(&ended, hex));
    sha256_free(&ended);
    cr_assert_not(sha256_final_hex(&ended, hex), "a digest ends once");
    cr_assert_str_eq(hex, "");
}

Test(sha256, libcrypto_failures_are_returned)
{
    cr_assert_eq(EVP_set_default_properties(NULL, "provider=nowhere"), 1);
    struct sha256 c;
    char hex[65] = "x";
    cr_assert_not(sha256_init(&c));
    cr_assert(c.failed);
    cr_assert_not(sha256_update(&c, "abc", 3));
    cr_assert_eq(c.length, 3, "the bytes count even after a failure");
    cr_assert_not(sha256_final_hex(&c, hex));
    cr_assert_str_eq(hex, "");
    cr_assert_gt(strlen(sha256_failure(&c)), 0);
    sha256_free(&c);
    hex[0] = 'x';
    cr_assert_not(sha256_hex("abc", 3, hex));
    cr_assert_str_eq(hex, "");
}
