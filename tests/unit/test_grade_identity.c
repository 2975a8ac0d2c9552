/* test_grade_identity.c — who a hand-in belongs to and what it is: the platforms' export names
 * (Moodle, Canvas, Blackboard), class lists (headers, separators, quoting, matching by id,
 * e-mail and name), the kind of a file from its first bytes, and the rubric lines that go
 * with them (same-session, any-server, a field in another language). */
#include <criterion/criterion.h>
#include <string.h>

#include "identity.h"
#include "kind.h"
#include "rubric.h"

Test(grade_identity, platform_export_names)
{
    struct grade_identity id;
    cr_assert(grade_identity_folder("Łukasz Żółw_1002_assignsubmission_file_", &id));
    cr_assert_str_eq(id.name, "Łukasz Żółw");
    cr_assert_str_eq(id.id, "1002");
    cr_assert(grade_identity_folder("李 娜_77_assignsubmission_onlinetext_", &id));
    cr_assert_str_eq(id.name, "李 娜");
    cr_assert_not(grade_identity_folder("alice", &id));
    cr_assert_not(grade_identity_folder("x_assignsubmission_file_", &id), "no id");

    cr_assert(grade_identity_file("Anna Nowak_1001_assignsubmission_file_capture.pcap", &id));
    cr_assert_str_eq(id.platform, "moodle");
    cr_assert_str_eq(id.file, "capture.pcap");
    cr_assert(grade_identity_file("nowakanna_late_1001_98765_my capture.pcap", &id));
    cr_assert_str_eq(id.platform, "canvas");
    cr_assert_str_eq(id.name, "nowakanna");
    cr_assert_str_eq(id.id, "1001");
    cr_assert_str_eq(id.file, "my capture.pcap");
    cr_assert(grade_identity_file("Lab 1_jsmith_attempt_2026-03-01-10-00-00_capture.pcap", &id));
    cr_assert_str_eq(id.platform, "blackboard");
    cr_assert_str_eq(id.id, "jsmith");
    cr_assert_str_eq(id.file, "capture.pcap");
    cr_assert_not(id.metadata);
    cr_assert(grade_identity_file("Lab 1_jsmith_attempt_2026-03-01-10-00-00.txt", &id));
    cr_assert(id.metadata);
    cr_assert_not(grade_identity_file("alice.pcap", &id));
    cr_assert_not(grade_identity_file("my_capture_2.pcap", &id), "underscores alone are not Canvas");

    char name[64];
    const char *note = "Name: John Smith (jsmith)\nAssignment: Lab 1\n";
    cr_assert(grade_identity_blackboard_name(note, strlen(note), name, sizeof name));
    cr_assert_str_eq(name, "John Smith");
}

Test(grade_identity, class_lists_and_matching)
{
    const char *csv = "\xef\xbb\xbf" "First name;Surname;ID number;Email address\r\n"
                      "Anna;Nowak;1001;anna@example.edu\r\n"
                      "\"Bob \"\"B\"\"\";Smith;;jsmith@example.edu\r\n"
                      ";;;\r\n"
                      "伟;张;1004;zw@example.edu\r\n";
    struct grade_class_list l;
    char err[256];
    cr_assert_eq(grade_class_list_parse(csv, strlen(csv), &l, err, sizeof err), 0, "%s", err);
    cr_assert_eq(l.n, 3, "an empty row is skipped");
    cr_assert_str_eq(l.v[0].name, "Anna Nowak");
    cr_assert_str_eq(l.v[1].name, "Bob \"B\" Smith");
    cr_assert_eq(grade_class_list_match(&l, "whoever", "1001"), 0, "by id");
    cr_assert_eq(grade_class_list_match(&l, "x", "jsmith"), 1, "by the e-mail's user part");
    cr_assert_eq(grade_class_list_match(&l, "anna  NOWAK", NULL), 0, "by name, case and spacing aside");
    cr_assert_eq(grade_class_list_match(&l, "nowakanna", "99"), 0, "Canvas's lastfirst");
    cr_assert_eq(grade_class_list_match(&l, "伟 张", NULL), 2);
    cr_assert_eq(grade_class_list_match(&l, "nobody", "5"), -1);
    grade_class_list_free(&l);

    const char *plain = "1,Ann Lee,a@x\n2,Ann Lee,b@x\n";
    cr_assert_eq(grade_class_list_parse(plain, strlen(plain), &l, err, sizeof err), 0);
    cr_assert_eq(grade_class_list_match(&l, "Ann Lee", NULL), -2, "two entries of one name: ambiguous");
    cr_assert_eq(grade_class_list_match(&l, "Ann Lee", "2"), 1, "the id tells them apart");
    grade_class_list_free(&l);
    cr_assert_eq(grade_class_list_parse("", 0, &l, err, sizeof err), -1);
}

static enum grade_kind kind(const char *s)
{
    return grade_kind_of((const unsigned char *)s, strlen(s), strlen(s));
}

Test(grade_identity, what_a_file_is)
{
    cr_assert_eq(grade_kind_of((const unsigned char *)"", 0, 0), GRADE_KIND_EMPTY);
    cr_assert_eq(kind("\xd4\xc3\xb2\xa1\x02\x00\x04\x00"), GRADE_KIND_CAPTURE);
    cr_assert_eq(kind("\x0a\x0d\x0d\x0a...."), GRADE_KIND_CAPTURE);
    cr_assert_eq(kind("\x89PNG\r\n\x1a\n...."), GRADE_KIND_IMAGE);
    cr_assert_eq(kind("\xff\xd8\xff\xe0...."), GRADE_KIND_IMAGE);
    cr_assert_eq(kind("%PDF-1.7\n"), GRADE_KIND_PDF);
    cr_assert_eq(kind("PK\x03\x04....................................."), GRADE_KIND_ARCHIVE);
    cr_assert_eq(kind("\x1f\x8b\x08\x00"), GRADE_KIND_ARCHIVE);
    cr_assert_eq(grade_kind_of((const unsigned char *)"\xfd" "7zXZ\0", 6, 100), GRADE_KIND_ARCHIVE);
    cr_assert_eq(kind("12:34:56.789012 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1, win 64240, length 0\n"
                      "12:34:56.789112 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 9, ack 2, win 65160, length 0\n"),
                 GRADE_KIND_TCPDUMP_TEXT);
    cr_assert_eq(kind("\"No.\",\"Time\",\"Source\",\"Destination\",\"Protocol\",\"Length\",\"Info\"\n"),
                 GRADE_KIND_WIRESHARK_CSV);
    cr_assert_eq(kind("No.     Time           Source                Destination           Protocol Length Info\n"),
                 GRADE_KIND_WIRESHARK_TEXT);
    cr_assert_eq(kind("I could not get tcpdump to work, sorry.\n"), GRADE_KIND_TEXT);
    cr_assert_eq(grade_kind_of((const unsigned char *)"\x01\x02\x00\x03", 4, 4), GRADE_KIND_UNKNOWN);
}

Test(grade_identity, rubric_same_session_any_server_and_languages)
{
    const char *text = "title The close\ntitle.zh 关闭\nsame-session a b\ntarget-port 80\n"
                       "check a\nlooks-for x\nlooks-for.zh 某\npoints 1\nrequire handshake normal\npass p\n"
                       "pass.zh 会话 {session} 的\npass.zh 握手正确。\nfail f\n"
                       "check b\nlooks-for y\npoints 1\nrequire teardown four-way\npass p\nfail f\nany-server\n";
    char err[256];
    struct rubric *r = rubric_parse(text, strlen(text), "t", "t", err, sizeof err);
    cr_assert_not_null(r, "%s", err);
    cr_assert_eq(r->checks[0].same_session, 1);
    cr_assert_eq(r->checks[1].same_session, 1);
    cr_assert_str_eq(rubric_text(r, NULL, "title", "zh"), "关闭");
    cr_assert_str_eq(rubric_text(r, NULL, "title", "en"), "The close");
    cr_assert_str_eq(rubric_text(r, &r->checks[0], "pass", "zh"), "会话 {session} 的握手正确。",
                     "CJK lines join without a space");
    cr_assert_str_eq(rubric_text(r, &r->checks[0], "fail", "zh"), "f", "no Chinese fail: the default");
    cr_assert(rubric_check_on_target(r, &r->checks[0]));
    cr_assert_not(rubric_check_on_target(r, &r->checks[1]), "any-server");
    rubric_free(r);
    const char *bad = "same-session a nope\ncheck a\nlooks-for x\npoints 1\nrequire handshake normal\npass p\nfail f\n";
    cr_assert_null(rubric_parse(bad, strlen(bad), "t", "t", err, sizeof err));
    cr_assert(strstr(err, "line 1: 'same-session' names 'nope'"), "%s", err);
}
