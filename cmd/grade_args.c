/* grade_args.c — the command line of `pcap2report grade` (grade_args.h): the usage text, the
 * options, the rubric named (a file, or a bundled rubric; --list-rubrics lists those) and the
 * host names it or --target-host may hold, resolved once. */
#define _GNU_SOURCE
#include "grade_args.h"

#include <dirent.h>
#include <getopt.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "commands.h"
#include "paths.h"

static void usage(FILE *f)
{
    fputs("Usage: pcap2report grade --rubric RUBRIC [OPTIONS] CAPTURE|FOLDER...\n"
          "Marks homework captures against a rubric: one capture (or one folder) per student.\n"
          "Writes OUT/grades.csv (student, total, the points of each check), OUT/grades.json\n"
          "(each check's session, reason and feedback, and the integrity flags) and one\n"
          "feedback PDF per student, OUT/feedback/<student>.pdf (with --format html, or as\n"
          "well, OUT/feedback/<student>.html to paste into a platform's comment field).\n"
          "\n"
          "Options:\n"
          "  -r, --rubric RUBRIC     a rubric file, or the name of a bundled rubric\n"
          "                          (classic-handshake, find-refused; see --list-rubrics)\n"
          "  -o, --output DIR        write the grade sheet into DIR (default: ./grades)\n"
          "      --student-name auto|file|folder\n"
          "                          who each hand-in belongs to. auto (the default): in a folder\n"
          "                          of folders each folder is a student (Moodle's export,\n"
          "                          'Name_123_assignsubmission_file_', is read as Name); in a\n"
          "                          folder of files each file is a student (Canvas's and\n"
          "                          Blackboard's exports by their prefix). file: each file is a\n"
          "                          student. folder: the folder holding a student's files\n"
          "      --class-list FILE.csv\n"
          "                          the class (id, name, email; or a platform's export with those\n"
          "                          columns): hand-ins are matched to it by id, e-mail or name,\n"
          "                          and whoever handed nothing in gets a row with zero\n"
          "      --target-host HOST  the server the students were asked to reach (an address,\n"
          "                          a prefix such as 192.0.2.0/24, or a name, resolved once);\n"
          "                          replaces the rubric's target-host; repeatable\n"
          "      --target-port PORT  likewise for the server's port; repeatable\n"
          "      --format LIST       the feedback files, comma-separated: pdf, html (a page whose\n"
          "                          body pastes into a learning platform's comment field:\n"
          "                          inline styles, no script, diagrams as images); default: pdf\n"
          "      --no-pdf            do not write the feedback PDFs (OUT/feedback/<student>.pdf)\n"
          "      --lang LANG         the language of the reasons and the feedback PDFs\n"
          "                          (templates/LANG.txt; default: en)\n"
          "      --pdfa              write the feedback PDFs as PDF/A-1b (docs/pdfa.md)\n"
          "      --list-rubrics      list the bundled rubrics and exit\n"
          "  -q, --quiet             print only errors\n"
          "  -h, --help              show this help and exit\n"
          "\n"
          "In a folder every file (not hidden ones) is a hand-in. Archives (.zip, .tar, .7z,\n"
          ".gz, .xz, .bz2) are unpacked, within 64 MiB, 256 files and 3 levels (a zip bomb is\n"
          "refused); a file that is not a capture (tcpdump's text, a screenshot, a PDF...) gets\n"
          "zero with one sentence saying what to hand in instead. Two folders or files that\n"
          "would be one student are an error, never merged.\n"
          "Bundled rubrics are looked up in $PCAP2REPORT_TEMPLATES/rubrics, in ../templates/rubrics\n"
          "and ../share/pcap2report/templates/rubrics next to the program, and in\n"
          PCAP2REPORT_PREFIX "/share/pcap2report/templates/rubrics.\n"
          "Symbolic links, FIFOs and devices inside the folders are not read (each is noted).\n"
          "Exit status: 0 all captures read, 1 some capture could not be read (the sheet is\n"
          "still written), 2 usage error, 128+N stopped by signal N (130 Ctrl-C, 143 SIGTERM).\n",
          f);
}

/* ---- finding the rubric ------------------------------------------------------------------- */

/* The folders holding bundled rubrics, in search order: "rubrics" in each templates folder
 * (paths.h). Returns how many were written. */
static size_t rubric_dirs(char dirs[][PATH_MAX], size_t max)
{
    char tdirs[8][PATH_MAX];
    size_t n = templates_dirs(tdirs, max < 8 ? max : 8);
    for (size_t i = 0; i < n; i++)
        snprintf(dirs[i], PATH_MAX, "%.*s/rubrics", PATH_MAX - 16, tdirs[i]);
    return n;
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

struct rubric *grade_find_rubric(const char *arg, char *err, size_t errlen)
{
    if (strchr(arg, '/') || is_file(arg))
        return rubric_load(arg, err, errlen);
    size_t n = strlen(arg);
    bool has_ext = n > 7 && strcmp(arg + n - 7, ".rubric") == 0;
    char dirs[4][PATH_MAX];
    size_t nd = rubric_dirs(dirs, 4);
    for (size_t i = 0; i < nd; i++) {
        char path[PATH_MAX + 300];
        snprintf(path, sizeof path, "%s/%.200s%s", dirs[i], arg, has_ext ? "" : ".rubric");
        if (is_file(path))
            return rubric_load(path, err, errlen);
    }
    int used = snprintf(err, errlen, "no rubric file '%s' and no bundled rubric of that name (looked in", arg);
    for (size_t i = 0; i < nd && used > 0 && (size_t)used < errlen; i++)
        used += snprintf(err + used, errlen - (size_t)used, "%s %s", i ? "," : "", dirs[i]);
    if (used > 0 && (size_t)used < errlen)
        snprintf(err + used, errlen - (size_t)used, "; --list-rubrics shows them)");
    return NULL;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_rubrics(void)
{
    char dirs[4][PATH_MAX];
    size_t nd = rubric_dirs(dirs, 4);
    bool any = false;
    for (size_t i = 0; i < nd; i++) {
        DIR *d = opendir(dirs[i]);
        if (!d)
            continue;
        char *names[256];
        size_t n = 0;
        struct dirent *e;
        while ((e = readdir(d)) && n < 256) {
            size_t len = strlen(e->d_name);
            if (len > 7 && strcmp(e->d_name + len - 7, ".rubric") == 0 && e->d_name[0] != '.')
                if ((names[n] = strdup(e->d_name)))
                    n++;
        }
        closedir(d);
        qsort(names, n, sizeof *names, compare_strings);
        for (size_t k = 0; k < n; k++) {
            char path[PATH_MAX + 300], err[512];
            snprintf(path, sizeof path, "%s/%s", dirs[i], names[k]);
            struct rubric *r = rubric_load(path, err, sizeof err);
            names[k][strlen(names[k]) - 7] = '\0';
            if (r)
                printf("%-24s %s\n%-24s %s\n", names[k], r->title, "", path);
            else
                printf("%-24s (broken: %s)\n", names[k], err);
            rubric_free(r);
            free(names[k]);
            any = true;
        }
        if (n)
            break; /* the first folder that has rubrics is the one used */
    }
    if (!any) {
        fprintf(stderr, "pcap2report grade: no bundled rubrics found\n");
        return EXIT_SOME_FAILED;
    }
    return EXIT_OK;
}

/* ---- host names --------------------------------------------------------------------------- */

int grade_resolve_name(void *arg, const char *name, struct rubric_prefix **out, size_t *n_out,
                       char *err, size_t errlen)
{
    (void)arg;
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res = NULL;
    int rc = getaddrinfo(name, NULL, &hints, &res);
    if (rc != 0) {
        snprintf(err, errlen, "cannot resolve the host name '%s' (%s); write its addresses in the rubric "
                 "or give --target-host ADDRESS", name, gai_strerror(rc));
        return -1;
    }
    size_t n = 0;
    for (struct addrinfo *a = res; a; a = a->ai_next)
        n++;
    struct rubric_prefix *v = calloc(n ? n : 1, sizeof *v);
    if (!v) {
        freeaddrinfo(res);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t k = 0;
    for (struct addrinfo *a = res; a; a = a->ai_next) {
        struct rubric_prefix p = {0};
        if (a->ai_family == AF_INET) {
            p.ip_version = 4;
            p.bits = 32;
            memcpy(p.addr, &((struct sockaddr_in *)(void *)a->ai_addr)->sin_addr, 4);
        } else if (a->ai_family == AF_INET6) {
            p.ip_version = 6;
            p.bits = 128;
            memcpy(p.addr, &((struct sockaddr_in6 *)(void *)a->ai_addr)->sin6_addr, 16);
        } else {
            continue;
        }
        bool dup = false;
        for (size_t i = 0; i < k; i++)
            dup |= memcmp(&v[i], &p, sizeof p) == 0;
        if (!dup)
            v[k++] = p;
    }
    freeaddrinfo(res);
    *out = v;
    *n_out = k;
    return 0;
}

/* ---- the options ------------------------------------------------------------------------------ */

/* --format's list: which feedback files to write. False when a word is not pdf or html. */
static bool feedback_formats(const char *list, struct grade_settings *st)
{
    bool pdf = false, html = false;
    for (const char *p = list;;) {
        size_t n = strcspn(p, ",");
        if (n == 3 && strncmp(p, "pdf", 3) == 0)
            pdf = true;
        else if (n == 4 && strncmp(p, "html", 4) == 0)
            html = true;
        else
            return false;
        if (!p[n])
            break;
        p += n + 1;
    }
    st->pdf = pdf;
    st->html = html;
    return true;
}

/* One option (getopt_long's c, its value in optarg) into st. Returns -1 to go on, or the exit
 * status: --help, --list-rubrics, a wrong value. */
static int option(struct grade_settings *st, int c)
{
    switch (c) {
    case 'r':
        st->rubric = optarg;
        break;
    case 'o':
        st->out_dir = optarg;
        break;
    case 'N':
        if (strcmp(optarg, "auto") == 0)
            st->naming = NAME_AUTO;
        else if (strcmp(optarg, "file") == 0)
            st->naming = NAME_BY_FILE;
        else if (strcmp(optarg, "folder") == 0)
            st->naming = NAME_BY_FOLDER;
        else {
            fprintf(stderr, "pcap2report grade: --student-name is 'auto', 'file' or 'folder', not '%s'\n", optarg);
            return EXIT_USAGE;
        }
        break;
    case 'C':
        st->class_list = optarg;
        break;
    case 'H':
    case 'P':
        if ((c == 'H' ? st->n_hosts : st->n_ports) >= MAX_LIST) {
            fprintf(stderr, "pcap2report grade: at most %d --target-host and --target-port each\n", MAX_LIST);
            return EXIT_USAGE;
        }
        if (c == 'H')
            st->hosts[st->n_hosts++] = optarg;
        else
            st->ports[st->n_ports++] = optarg;
        break;
    case 'L':
        return list_rubrics();
    case 'n':
        st->pdf = false;
        break;
    case 'F':
        if (!feedback_formats(optarg, st)) {
            fprintf(stderr, "pcap2report grade: --format takes a list of: pdf, html; not '%s'\n", optarg);
            return EXIT_USAGE;
        }
        break;
    case 'A':
        st->pdfa = true;
        break;
    case 'l':
        if (!*optarg || strchr(optarg, '/')) {
            fprintf(stderr, "pcap2report grade: --lang takes a language such as en\n");
            return EXIT_USAGE;
        }
        st->lang = optarg;
        break;
    case 'q':
        st->quiet = true;
        break;
    case 'h':
        usage(stdout);
        return EXIT_OK;
    default:
        usage(stderr);
        return EXIT_USAGE;
    }
    return -1;
}

int grade_args_parse(int argc, char **argv, struct grade_settings *st)
{
    static const struct option longopts[] = {
        {"rubric", required_argument, NULL, 'r'},
        {"output", required_argument, NULL, 'o'},
        {"student-name", required_argument, NULL, 'N'},
        {"class-list", required_argument, NULL, 'C'},
        {"target-host", required_argument, NULL, 'H'},
        {"target-port", required_argument, NULL, 'P'},
        {"list-rubrics", no_argument, NULL, 'L'},
        {"no-pdf", no_argument, NULL, 'n'},
        {"format", required_argument, NULL, 'F'},
        {"lang", required_argument, NULL, 'l'},
        {"pdfa", no_argument, NULL, 'A'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *st = (struct grade_settings){.out_dir = "grades", .naming = NAME_AUTO, .pdf = true, .lang = "en"};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "r:o:qh", longopts, NULL)) != -1) {
        int status = option(st, c);
        if (status >= 0)
            return status;
    }
    if (!st->rubric) {
        fprintf(stderr, "pcap2report grade: which rubric? give --rubric FILE or a bundled name "
                        "(--list-rubrics shows them)\n");
        return EXIT_USAGE;
    }
    if (optind >= argc) {
        fprintf(stderr, "pcap2report grade: give the hand-ins: captures, or folders of captures\n");
        return EXIT_USAGE;
    }
    if (!*st->out_dir) {
        fprintf(stderr, "pcap2report grade: -o needs a folder\n");
        return EXIT_USAGE;
    }
    st->inputs = argv + optind;
    st->n_inputs = (size_t)(argc - optind);

    /* The PDFs' date: SOURCE_DATE_EPOCH when set, else the first capture's first packet. */
    int sde = source_date_epoch(&st->source_date);
    if (sde < 0) {
        fprintf(stderr, "pcap2report grade: SOURCE_DATE_EPOCH must be a number of seconds since 1970, "
                        "not '%s'\n", getenv("SOURCE_DATE_EPOCH"));
        return EXIT_USAGE;
    }
    st->have_source_date = sde > 0;
    return -1;
}
