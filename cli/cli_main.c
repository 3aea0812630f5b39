/* motesok: command-line client of motesokd for people and scripts. */
#include "cli_render.h"

#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define EXIT_ERROR 1
#define EXIT_USAGE 2
#define EXIT_UNREACHABLE 3
#define MAX_BODY (64u << 20)
#define VERSION "0.1.0"

static const char usage_text[] =
"Usage: motesok [--url URL] COMMAND [OPTIONS] [ARGS]\n"
"\n"
"Search Norwegian meeting minutes indexed by motesok-index and served by\n"
"motesokd.\n"
"\n"
"Commands:\n"
"  search [OPTIONS] QUERY...   ranked search (see 'motesok search --help')\n"
"  show ID [--page N]          a document's metadata and cases, or one page\n"
"  status                      what the index holds, failures by reason\n"
"\n"
"Options:\n"
"  -u, --url URL   motesokd address (default: $MOTESOK_URL, else\n"
"                  http://127.0.0.1:7700)\n"
"  --token-file FILE  send the first line of FILE as the daemon's token\n"
"                  (motesokd --token-file; default: $MOTESOK_TOKEN if set)\n"
"  -h, --help      show this help and exit\n"
"  -V, --version   show the version and exit\n"
"\n"
"Exit status: 0 success, 1 the daemon answered with an error, 2 usage error,\n"
"3 the daemon could not be reached.\n";

static const char search_usage[] =
"Usage: motesok search [OPTIONS] QUERY...\n"
"\n"
"Search all indexed minutes; the words of QUERY are joined by spaces.\n"
"\n"
"Options:\n"
"  -j, --json              print the daemon's JSON answer as it is\n"
"  -n, --limit N           hits to show, 1-100 (default 10)\n"
"  -o, --offset N          skip the first N hits (paging)\n"
"  -f, --from DATE         meetings on or after this date: YYYY-MM-DD, or\n"
"                          YYYY-MM / YYYY from the month's / year's first day\n"
"  -t, --to DATE           meetings on or before this date: YYYY-MM-DD, or\n"
"                          YYYY-MM / YYYY to the month's / year's last day\n"
"  -g, --organ NAME        only this organ, e.g. \"Rådmannsutvalget\"\n"
"  -k, --kommune NAME      only this municipality or county, e.g. \"Ringsaker\"\n"
"  -d, --decisions         match decision text (vedtak) only; with no words,\n"
"                          list the meetings that have decisions\n"
"  -s, --sort relevance|date   order of hits (default relevance)\n"
"  -x, --exact             count every match: an exact total and facets\n"
"                          (else the total past the first hits is an estimate)\n"
"  -h, --help              show this help and exit\n"
"\n"
"Query syntax:\n"
"  legevakt røntgen        documents with both words (inflected forms too)\n"
"  \"utvida legevakt\"       a phrase\n"
"  a OR b, a AND NOT b     also OG, ELLER, IKKE; +must -mustnot\n"
"  legevakt*               words starting with legevakt\n"
"  tittel:/title:  vedtak:/decision:  organ:/body:  sak:/case:   fields\n"
"  kommune:/municipality:   sak:56/09 = sak:2009/56 = sak:\"PS 056/09\"\n"
"  dato:2017-01-01..2018-06-30   date range (also dato:2017..2018)\n"
"\n"
"Limits: 64 words, brackets 8 deep, a prefix* its 100 most frequent terms\n"
"(a query's together 500), 1 s; a search a limit cut says \"Søket ble\n"
"avgrenset\" (JSON: \"limited\": true and \"limited_by\").\n"
"\n"
"On a terminal, matches are shown in bold (unless NO_COLOR is set).\n";

static const char show_usage[] =
"Usage: motesok show [--json] [--page N] ID\n"
"\n"
"Show a document's metadata and cases, or with --page N the text of page N\n"
"(--page 0: the whole text). ID is the 16-digit id of a search hit.\n";

static const char status_usage[] =
"Usage: motesok status [--failed [--limit N] [--offset N]] [--json]\n"
"\n"
"Show how many documents and cases the index holds, failures by reason, the\n"
"index revision and the time of the last indexer run. With --failed, list\n"
"the files that could not be indexed (failed, or not PDF or text), newest\n"
"first, with the reason each was recorded with: N at a time (default 100,\n"
"at most 1000) from --offset.\n";

/* A response body being received. */
typedef struct body {
    char *data;
    size_t len;
    bool too_big;
} body;

/* libcurl write callback: append to the body, refusing more than MAX_BODY. */
static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
    body *b = ud;
    size_t add = size * n;
    if (b->len + add > MAX_BODY) {
        b->too_big = true;
        return 0;
    }
    char *q = realloc(b->data, b->len + add + 1);
    if (q == NULL)
        return 0;
    memcpy(q + b->len, p, add);
    b->data = q;
    b->len += add;
    b->data[b->len] = '\0';
    return add;
}

/* "Authorization: Bearer TOKEN" for every request, or "" for none. */
static char auth_line[600];

/* Set the token to send (one line, no spaces); false if it is unusable. */
static bool set_token(const char *token)
{
    size_t n = strcspn(token, "\r\n");
    for (size_t i = 0; i < n; i++)
        if (token[i] <= ' ' || token[i] == 0x7f)
            return false;
    if (n == 0 || n > 500)
        return false;
    snprintf(auth_line, sizeof auth_line, "Authorization: Bearer %.*s", (int)n, token);
    return true;
}

/* Set the token from the first line of path; false with a message if not. */
static bool read_token_file(const char *path)
{
    char line[512] = "";
    FILE *fp = fopen(path, "r");
    bool ok = fp != NULL && fgets(line, sizeof line, fp) != NULL && set_token(line);
    if (fp == NULL)
        fprintf(stderr, "motesok: cannot read --token-file %s: %s\n", path, strerror(errno));
    else if (!ok)
        fprintf(stderr, "motesok: --token-file %s: no token on its first line\n", path);
    if (fp != NULL)
        fclose(fp);
    return ok;
}

/* Fetch url; on success *json is the parsed body and the HTTP code is
 * returned; on failure an exit code is returned negated. */
static long fetch(const char *base, const char *url, json_t **json)
{
    *json = NULL;
    CURL *c = curl_easy_init();
    if (c == NULL) {
        fprintf(stderr, "motesok: cannot initialise libcurl\n");
        return -EXIT_ERROR;
    }
    body b = {0};
    char errbuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 3000L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 30000L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "motesok/" VERSION);
    struct curl_slist *headers = auth_line[0] ? curl_slist_append(NULL, auth_line) : NULL;
    if (headers != NULL)
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(headers);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK) {
        if (b.too_big)
            fprintf(stderr, "motesok: the answer from %s is larger than %u MiB\n", base, MAX_BODY >> 20);
        else
            fprintf(stderr, "motesok: cannot reach motesokd at %s (%s) — start it with: "
                            "motesokd --index DIR\n", base, errbuf[0] ? errbuf : curl_easy_strerror(rc));
        free(b.data);
        return b.too_big ? -EXIT_ERROR : -EXIT_UNREACHABLE;
    }
    json_error_t je;
    *json = json_loadb(b.data ? b.data : "", b.len, 0, &je);
    free(b.data);
    if (*json == NULL) {
        fprintf(stderr, "motesok: %s answered HTTP %ld with something that is not JSON (%s)\n",
                base, code, je.text);
        return -EXIT_ERROR;
    }
    return code;
}

/* Report an HTTP error object; returns the exit code. */
static int http_error(json_t *j, long code)
{
    const char *ecode = NULL;
    const char *msg = cli_error_message(j, &ecode);
    fprintf(stderr, "motesok: %s (%s, HTTP %ld)\n", msg ? msg : "the daemon reported an error",
            ecode ? ecode : "unknown", code);
    return EXIT_ERROR;
}

/* Append "&key=escaped(value)" to a URL buffer. */
static void add_param(char *url, size_t cap, const char *key, const char *value)
{
    if (value == NULL)
        return;
    char *e = curl_easy_escape(NULL, value, 0);
    if (e == NULL)
        return;
    size_t n = strlen(url);
    snprintf(url + n, cap - n, "%s%s=%s", strchr(url, '?') ? "&" : "?", key, e);
    curl_free(e);
}

/* Style for terminal output. */
static cli_style term_style(void)
{
    cli_style st = {.bold = isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL, .width = 80};
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
        st.width = ws.ws_col;
    return st;
}

/* Print j as JSON (indented on a terminal, compact otherwise). */
static void print_json(json_t *j)
{
    size_t flags = JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12);
    flags |= isatty(STDOUT_FILENO) ? JSON_INDENT(2) : JSON_COMPACT;
    json_dumpf(j, stdout, flags);
    fputc('\n', stdout);
}

/* Report a usage error; returns EXIT_USAGE. */
static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "motesok: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'motesok %s%s--help' for more information.\n", cmd ? cmd : "", cmd ? " " : "");
    return EXIT_USAGE;
}

/* True if s is a whole number in [lo, hi]. */
static bool number_in(const char *s, long lo, long hi)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    return errno == 0 && *s != '\0' && *end == '\0' && v >= lo && v <= hi;
}

/* True if s looks like YYYY, YYYY-MM or YYYY-MM-DD (the daemon checks the
 * calendar). */
static bool date_like(const char *s)
{
    size_t n = strlen(s);
    if (n != 4 && n != 7 && n != 10)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return false;
    return true;
}

/* Options of the search command. */
typedef struct search_opts {
    bool json, decisions, exact;
    const char *limit, *offset, *from, *to, *organ, *kommune, *sort;
} search_opts;

/* Parse search options; -1 to go on, else an exit code. */
static int parse_search(int argc, char **argv, search_opts *o)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'}, {"limit", required_argument, NULL, 'n'},
        {"offset", required_argument, NULL, 'o'}, {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'}, {"organ", required_argument, NULL, 'g'},
        {"decisions", no_argument, NULL, 'd'}, {"sort", required_argument, NULL, 's'},
        {"exact", no_argument, NULL, 'x'}, {"kommune", required_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
    };
    for (;;) {
        int c = getopt_long(argc, argv, "jn:o:f:t:g:k:ds:xh", longopts, NULL);
        if (c == -1)
            break;
        switch (c) {
        case 'j': o->json = true; break;
        case 'd': o->decisions = true; break;
        case 'x': o->exact = true; break;
        case 'n':
            if (!number_in(optarg, 1, 100))
                return usage_error("search", "--limit must be a number from 1 to 100, not '%s'", optarg);
            o->limit = optarg;
            break;
        case 'o':
            if (!number_in(optarg, 0, 100000))
                return usage_error("search", "--offset must be a number from 0 to 100000, not '%s'", optarg);
            o->offset = optarg;
            break;
        case 'f': case 't':
            if (!date_like(optarg))
                return usage_error("search", "dates are written YYYY, YYYY-MM or YYYY-MM-DD, not '%s'", optarg);
            *(c == 'f' ? &o->from : &o->to) = optarg;
            break;
        case 'g': o->organ = optarg; break;
        case 'k': o->kommune = optarg; break;
        case 's':
            if (strcmp(optarg, "relevance") != 0 && strcmp(optarg, "date") != 0)
                return usage_error("search", "--sort is relevance or date, not '%s'", optarg);
            o->sort = optarg;
            break;
        case 'h': fputs(search_usage, stdout); return 0;
        default: return usage_error("search", "%s", "invalid option");
        }
    }
    if (optind >= argc)
        return usage_error("search", "%s", "no QUERY given");
    return -1;
}

/* Join argv[optind..] with spaces into q (bounded). */
static void join_words(int argc, char **argv, char *q, size_t cap)
{
    q[0] = '\0';
    for (int i = optind; i < argc; i++) {
        size_t n = strlen(q);
        snprintf(q + n, cap - n, "%s%s", n ? " " : "", argv[i]);
    }
}

/* motesok search */
static int cmd_search(const char *base, int argc, char **argv)
{
    search_opts o = {0};
    int rc = parse_search(argc, argv, &o);
    if (rc >= 0)
        return rc;
    char q[8192], url[16384];
    join_words(argc, argv, q, sizeof q);
    snprintf(url, sizeof url, "%s/api/v1/search", base);
    add_param(url, sizeof url, "q", q);
    add_param(url, sizeof url, "limit", o.limit);
    add_param(url, sizeof url, "offset", o.offset);
    add_param(url, sizeof url, "from", o.from);
    add_param(url, sizeof url, "to", o.to);
    add_param(url, sizeof url, "organ", o.organ);
    add_param(url, sizeof url, "kommune", o.kommune);
    add_param(url, sizeof url, "sort", o.sort);
    add_param(url, sizeof url, "decisions", o.decisions ? "1" : NULL);
    add_param(url, sizeof url, "exact", o.exact ? "1" : NULL);
    json_t *j = NULL;
    long code = fetch(base, url, &j);
    if (code < 0)
        return (int)-code;
    if (code != 200)
        rc = http_error(j, code);
    else if (o.json)
        print_json(j);
    else {
        cli_style st = term_style();
        cli_render_search(stdout, j, &st);
    }
    json_decref(j);
    return rc < 0 ? 0 : rc;
}

/* motesok show ID [--page N] */
static int cmd_show(const char *base, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'}, {"page", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
    };
    bool json = false;
    const char *page = NULL;
    for (;;) {
        int c = getopt_long(argc, argv, "jp:h", longopts, NULL);
        if (c == -1)
            break;
        if (c == 'j')
            json = true;
        else if (c == 'p' && number_in(optarg, 0, 1000000))
            page = optarg;
        else if (c == 'p')
            return usage_error("show", "--page must be a page number, not '%s'", optarg);
        else if (c == 'h')
            return fputs(show_usage, stdout), 0;
        else
            return usage_error("show", "%s", "invalid option");
    }
    if (optind != argc - 1)
        return usage_error("show", "%s", "give exactly one document ID");
    char *id = curl_easy_escape(NULL, argv[optind], 0);
    char url[4096];
    snprintf(url, sizeof url, "%s/api/v1/documents/%s%s", base, id ? id : "", page ? "/text" : "");
    curl_free(id);
    add_param(url, sizeof url, "page", page);
    json_t *j = NULL;
    long code = fetch(base, url, &j);
    if (code < 0)
        return (int)-code;
    int rc = 0;
    cli_style st = term_style();
    if (code != 200)
        rc = http_error(j, code);
    else if (json)
        print_json(j);
    else if (page)
        cli_render_text(stdout, j);
    else
        cli_render_document(stdout, j, &st);
    json_decref(j);
    return rc;
}

/* motesok status */
static int cmd_status(const char *base, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'},         {"help", no_argument, NULL, 'h'},
        {"failed", no_argument, NULL, 'f'},       {"limit", required_argument, NULL, 'l'},
        {"offset", required_argument, NULL, 'o'}, {NULL, 0, NULL, 0},
    };
    bool json = false, failed = false;
    const char *limit = "100", *offset = "0";
    for (;;) {
        int c = getopt_long(argc, argv, "jhfl:o:", longopts, NULL);
        if (c == -1)
            break;
        if (c == 'j')
            json = true;
        else if (c == 'f')
            failed = true;
        else if (c == 'l')
            limit = optarg;
        else if (c == 'o')
            offset = optarg;
        else if (c == 'h')
            return fputs(status_usage, stdout), 0;
        else
            return usage_error("status", "%s", "invalid option");
    }
    if (optind != argc)
        return usage_error("status", "unexpected argument '%s'", argv[optind]);
    char url[4096];
    if (failed) {
        char *el = curl_easy_escape(NULL, limit, 0), *eo = curl_easy_escape(NULL, offset, 0);
        snprintf(url, sizeof url, "%s/api/v1/failures?limit=%s&offset=%s", base, el ? el : "",
                 eo ? eo : "");
        curl_free(el);
        curl_free(eo);
    } else {
        snprintf(url, sizeof url, "%s/api/v1/status", base);
    }
    json_t *j = NULL;
    long code = fetch(base, url, &j);
    if (code < 0)
        return (int)-code;
    int rc = 0;
    if (code != 200)
        rc = http_error(j, code);
    else if (json)
        print_json(j);
    else if (failed)
        cli_render_failures(stdout, j);
    else
        cli_render_status(stdout, j);
    json_decref(j);
    return rc;
}

/* Parse global options; returns the index of the command or an exit code. */
static int parse_global(int argc, char **argv, const char **url, int *cmd_index)
{
    static const struct option longopts[] = {
        {"url", required_argument, NULL, 'u'}, {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'}, {"token-file", required_argument, NULL, 'T'},
        {NULL, 0, NULL, 0},
    };
    const char *env = getenv("MOTESOK_URL");
    *url = env && *env ? env : "http://127.0.0.1:7700";
    const char *tok = getenv("MOTESOK_TOKEN");
    if (tok != NULL && *tok != '\0' && !set_token(tok))
        return usage_error(NULL, "%s", "MOTESOK_TOKEN is not a token (one word, no spaces)");
    for (;;) {
        int c = getopt_long(argc, argv, "+u:hV", longopts, NULL);
        if (c == -1)
            break;
        if (c == 'u')
            *url = optarg;
        else if (c == 'T' && !read_token_file(optarg))
            return EXIT_USAGE;
        else if (c == 'T')
            continue;
        else if (c == 'h')
            return fputs(usage_text, stdout), 0;
        else if (c == 'V')
            return printf("motesok %s\n", VERSION), 0;
        else
            return usage_error(NULL, "%s", "invalid option");
    }
    if (optind >= argc)
        return usage_error(NULL, "%s", "no command given (search, show or status)");
    *cmd_index = optind;
    return -1;
}

int main(int argc, char **argv)
{
    const char *url = NULL;
    int ci = 0;
    int rc = parse_global(argc, argv, &url, &ci);
    if (rc >= 0)
        return rc;
    char base[2048];
    snprintf(base, sizeof base, "%s", url);
    size_t n = strlen(base);
    while (n > 0 && base[n - 1] == '/')
        base[--n] = '\0';
    const char *cmd = argv[ci];
    int sub_argc = argc - ci;
    char **sub_argv = argv + ci;
    optind = 1;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (strcmp(cmd, "search") == 0)
        rc = cmd_search(base, sub_argc, sub_argv);
    else if (strcmp(cmd, "show") == 0)
        rc = cmd_show(base, sub_argc, sub_argv);
    else if (strcmp(cmd, "status") == 0)
        rc = cmd_status(base, sub_argc, sub_argv);
    else
        rc = usage_error(NULL, "unknown command '%s' (search, show or status)", cmd);
    curl_global_cleanup();
    return rc;
}
