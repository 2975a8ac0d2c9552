/* test_session.c — the session model's text (analysis/tcp/session.c). */
#include <arpa/inet.h>
#include <criterion/criterion.h>

#include "session.h"

/* Renderers write addresses through ip_address_string: IPv4 by hand, so it is checked against
 * inet_ntop for every byte value in every place. */
Test(session, ip_address_string_writes_what_inet_ntop_writes)
{
    char want[IP_ADDRESS_STRING_LEN], got[IP_ADDRESS_STRING_LEN];
    for (int v = 0; v < 256; v++) {
        for (int place = 0; place < 4; place++) {
            uint8_t addr[16] = {192, 0, 2, 1};
            addr[place] = (uint8_t)v;
            cr_assert_not_null(inet_ntop(AF_INET, addr, want, sizeof want));
            cr_assert_str_eq(ip_address_string(4, addr, got), want);
        }
    }
    uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
    cr_assert_str_eq(ip_address_string(6, v6, got), "2001:db8::1");
}
