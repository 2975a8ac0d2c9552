/* test_session.c — the session model's text (analysis/tcp/session.c). */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <string.h>

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

/* Every renderer and the grader name a side through session_endpoint_string. */
Test(session, endpoint_string_and_role_names)
{
    struct session s = {.ip_version = 4};
    memcpy(s.side[ROLE_CLIENT].addr, (uint8_t[4]){192, 0, 2, 1}, 4);
    s.side[ROLE_CLIENT].port = 65535;
    memcpy(s.side[ROLE_SERVER].addr, (uint8_t[4]){10, 0, 0, 9}, 4);
    s.side[ROLE_SERVER].port = 0;
    char buf[SESSION_ENDPOINT_STRING_LEN];
    cr_assert_str_eq(session_endpoint_string(&s, ROLE_CLIENT, buf), "192.0.2.1:65535");
    cr_assert_str_eq(session_endpoint_string(&s, ROLE_SERVER, buf), "10.0.0.9:0");
    s.ip_version = 6;
    memset(s.side[ROLE_SERVER].addr, 0xff, 16);
    s.side[ROLE_SERVER].port = 80;
    cr_assert_str_eq(session_endpoint_string(&s, ROLE_SERVER, buf),
                     "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:80");
    cr_assert_str_eq(session_role_name(ROLE_CLIENT), "client");
    cr_assert_str_eq(session_role_name(ROLE_SERVER), "server");
    cr_assert_null(session_role_name(ROLE_NONE));
}
