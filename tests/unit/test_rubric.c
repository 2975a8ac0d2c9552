/* test_rubric.c — rubric files: parsing, the mistakes refused with their line, points as text,
 * the bundled and fixture rubrics, targets, host names resolved by the caller. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grade_fixtures.h"
#include "rubric.h"

static char err[1024];

static struct rubric *parse(const char *text)
{
    return rubric_parse(text, strlen(text), "test.rubric", "test", err, sizeof err);
}

/* ---- rubric files ------------------------------------------------------------------------ */

static const char *const minimal =
    "rubric mini\n"
    "title  A title\n"
    "check one\n"
    "looks-for something\n"
    "points 1.5\n"
    "require handshake normal simultaneous-open\n"
    "pass ok {session}\n"
    "fail not ok: {reason}\n";

Test(rubric, parses_a_minimal_rubric)
{
    struct rubric *r = parse(minimal);
    cr_assert_not_null(r, "%s", err);
    cr_assert_str_eq(r->name, "mini");
    cr_assert_str_eq(r->title, "A title");
    cr_assert_eq(r->n_checks, 1);
    cr_assert_str_eq(r->checks[0].id, "one");
    cr_assert_eq(r->checks[0].points, 150);
    cr_assert_eq(r->checks[0].n_reqs, 1);
    cr_assert_eq(r->checks[0].reqs[0].type, REQ_HANDSHAKE);
    cr_assert_eq(r->checks[0].reqs[0].set, (1u << HANDSHAKE_NORMAL) | (1u << HANDSHAKE_SIMULTANEOUS_OPEN));
    cr_assert_str_eq(r->checks[0].reqs[0].text, "handshake normal simultaneous-open");
    cr_assert_eq(strlen(r->sha256), 64);
    cr_assert_not(rubric_has_target(r));
    rubric_free(r);
}

Test(rubric, accepts_bom_crlf_continuations_and_utf8)
{
    const char *text = "\xef\xbb\xbf# comment\r\n"
                       "check ok\r\n"
                       "  looks-for  三次握手\r\n"
                       "  looks-for  (SYN, SYN/ACK, ACK)\r\n"
                       "  points 2\r\n"
                       "  require teardown four-way\r\n"
                       "  pass 会话 {session} 正确。\r\n"
                       "  fail 错误：\r\n"
                       "  fail {reason}\r\n";
    struct rubric *r = parse(text);
    cr_assert_not_null(r, "%s", err);
    cr_assert_str_eq(r->name, "test"); /* the default name */
    cr_assert_str_eq(r->checks[0].looks_for, "三次握手 (SYN, SYN/ACK, ACK)");
    cr_assert_str_eq(r->checks[0].pass, "会话 {session} 正确。");
    cr_assert_str_eq(r->checks[0].fail, "错误： {reason}");
    rubric_free(r);
}

/* Each broken rubric must be refused with a message naming the line and the problem. */
Test(rubric, refuses_mistakes_with_the_line)
{
    static const struct {
        const char *text, *message;
    } cases[] = {
        {"colour red\n", "line 1: unknown keyword 'colour'"},
        {"points 2\n", "line 1: 'points' belongs to a check"},
        {"check a\nlooks-for x\nrequire handshake normal\npass p\nfail f\n", "line 1: check 'a' has no 'points' line"},
        {"check a\nlooks-for x\npoints 1.234\n", "line 3: points are a number"},
        {"check a\nlooks-for x\npoints -1\n", "line 3: points are a number"},
        {"check a\nlooks-for x\npoints 1\nrequire handshake norml\n", "line 4: unknown handshake class 'norml'"},
        {"check a\nlooks-for x\npoints 1\nrequire teardown\n", "line 4: name at least one teardown class"},
        {"check a\nlooks-for x\npoints 1\nrequire magic\n", "line 4: unknown requirement 'magic'"},
        {"check a\nlooks-for x\npoints 1\nrequire data sideways\n", "line 4: expected client or server"},
        {"check a\nlooks-for x\npoints 1\nrequire server-port 0\n", "line 4: '0' is not a port number"},
        {"check a\nlooks-for x\npoints 1\nrequire server-host 10.0.0.0/40\n", "prefix length must be 0 to 32"},
        {"check a\nlooks-for x\npoints 1\nrequire anomaly no-such\n", "unknown anomaly 'no-such'"},
        {"check a\nlooks-for x\npoints 1\nrequire conn-state XX\n", "unknown conn_state 'XX'"},
        {"check a\nlooks-for x\npoints 1\nrequire fin-arithmetic now\n", "takes no value"},
        {"check a\nlooks-for x\npoints 1\nrequire target\npass {student} did it\n", "line 5: 'pass' uses {student}"},
        {"check a\nlooks-for x\npoints 1\nrequire target\npass p\n", "line 1: check 'a' has no 'fail' sentence"},
        {"check a\nlooks-for x\npoints 1\npoints 2\n", "line 4: check 'a' has two 'points' lines"},
        {"check a\nlooks-for x\npoints 1\nrequire target\npass p\nfail f\ncheck A\n", "line 7: a check 'a' already exists"},
        {"check total\n", "line 1: 'total' is a column of grades.csv"},
        {"check bad id\n", "line 1: a check's id"},
        {"check a\ntitle late\n", "line 2: 'title' belongs before the first check"},
        {"check a\nlooks-for x\npoints 1\nrequire target\npass \xff\n", "line 5: not valid UTF-8"},
        {"# nothing\n", "no check"},
        {"target-host not_a_host!\n", "is neither an IP address"},
        {"target-port 70000\n", "'70000' is not a port number"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        err[0] = '\0';
        struct rubric *r = parse(cases[i].text);
        cr_expect_null(r, "case %zu was accepted", i);
        rubric_free(r);
        cr_expect(strstr(err, cases[i].message) != NULL, "case %zu: got \"%s\", expected \"%s\"", i, err,
                  cases[i].message);
        cr_expect(strncmp(err, "test.rubric", 11) == 0, "case %zu: the message names the file: %s", i, err);
    }
}

Test(rubric, points_print_as_plain_decimals)
{
    char buf[24];
    cr_assert_str_eq(rubric_points_string(0, buf), "0");
    cr_assert_str_eq(rubric_points_string(300, buf), "3");
    cr_assert_str_eq(rubric_points_string(150, buf), "1.5");
    cr_assert_str_eq(rubric_points_string(225, buf), "2.25");
    cr_assert_str_eq(rubric_points_string(5, buf), "0.05");
    cr_assert_str_eq(rubric_points_string(-50, buf), "-0.5");
}

Test(rubric, bundled_and_fixture_rubrics_load)
{
    struct rubric *c = load(CLASSIC), *f = load(REFUSED), *x = load(CUSTOM);
    cr_assert_str_eq(c->name, "classic-handshake");
    cr_assert_eq(c->n_checks, 5);
    cr_assert_not(rubric_has_target(c));
    cr_assert_str_eq(f->name, "find-refused");
    cr_assert_eq(f->n_checks, 4);
    cr_assert_str_eq(x->name, "http-fetch");
    cr_assert(rubric_has_target(x));
    cr_assert_eq(x->n_target_ports, 1);
    cr_assert_eq(x->target_ports[0], 8080);
    cr_assert_eq(x->checks[2].points, 150);
    rubric_free(c);
    rubric_free(f);
    rubric_free(x);
}

Test(rubric, a_missing_file_is_an_error)
{
    cr_assert_null(rubric_load("tests/fixtures/grade/no-such.rubric", err, sizeof err));
    cr_assert(strstr(err, "No such file") != NULL, "%s", err);
}

Test(rubric, targets_match_addresses_and_prefixes)
{
    struct rubric *r = parse(minimal);
    cr_assert_not_null(r);
    const char *hosts[] = {"192.0.2.0/24", "2001:db8::2"};
    const char *ports[] = {"80, 8080"};
    cr_assert_eq(rubric_set_target(r, hosts, 2, ports, 1, err, sizeof err), 0, "%s", err);
    cr_assert(rubric_has_target(r));
    cr_assert_eq(r->n_target_ports, 2);
    uint8_t a4[16] = {192, 0, 2, 77}, b4[16] = {192, 0, 3, 1};
    uint8_t a6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2}, b6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 3};
    cr_assert(rubric_hosts_match(&r->target_hosts, 4, a4));
    cr_assert_not(rubric_hosts_match(&r->target_hosts, 4, b4));
    cr_assert(rubric_hosts_match(&r->target_hosts, 6, a6));
    cr_assert_not(rubric_hosts_match(&r->target_hosts, 6, b6));
    const char *bad[] = {"192.0.2.1/33"};
    cr_assert_eq(rubric_set_target(r, bad, 1, NULL, 0, err, sizeof err), -1);
    cr_assert(rubric_hosts_match(&r->target_hosts, 4, a4), "a failed change keeps the old target");
    rubric_free(r);
}

static int fake_resolver(void *arg, const char *name, struct rubric_prefix **out, size_t *n,
                         char *e, size_t elen)
{
    (*(int *)arg)++;
    if (strcmp(name, "web.example") != 0) {
        snprintf(e, elen, "cannot resolve %s", name);
        return -1;
    }
    *out = calloc(1, sizeof **out);
    (*out)[0] = (struct rubric_prefix){.ip_version = 4, .bits = 32, .addr = {10, 1, 2, 3}};
    *n = 1;
    return 0;
}

Test(rubric, host_names_are_resolved_by_the_caller)
{
    struct rubric *r = parse("target-host web.example 10.9.9.9\ncheck t\nlooks-for x\npoints 1\n"
                             "require server-host web.example\npass p\nfail f\n");
    cr_assert_not_null(r, "%s", err);
    int calls = 0;
    cr_assert_eq(rubric_resolve_hosts(r, fake_resolver, &calls, err, sizeof err), 0, "%s", err);
    cr_assert_eq(calls, 2);
    uint8_t a[16] = {10, 1, 2, 3};
    cr_assert(rubric_hosts_match(&r->target_hosts, 4, a));
    cr_assert(rubric_hosts_match(&r->checks[0].reqs[0].hosts, 4, a));
    cr_assert_eq(rubric_resolve_hosts(r, fake_resolver, &calls, err, sizeof err), 0);
    cr_assert_eq(calls, 2, "resolved names are not looked up again");
    rubric_free(r);

    r = parse("target-host nowhere.example\ncheck t\nlooks-for x\npoints 1\nrequire target\npass p\nfail f\n");
    cr_assert_not_null(r, "%s", err);
    cr_assert_eq(rubric_resolve_hosts(r, fake_resolver, &calls, err, sizeof err), -1);
    cr_assert(strstr(err, "nowhere.example") != NULL, "%s", err);
    rubric_free(r);
}
