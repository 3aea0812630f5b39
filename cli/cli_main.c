/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesok: command-line client of motesokd for people and scripts. */
#include "cli_render.h"
#include "table.h"

#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define EXIT_ERROR 1       /* the daemon answered with an error */
#define EXIT_USAGE 2       /* a bad command line */
#define EXIT_UNREACHABLE 3 /* no answer from the daemon */
#define MAX_BODY (64u << 20)
#define MAX_LIMIT 1000     /* hits per request (the daemon's bound) */
#define MAX_OFFSET 100000  /* the daemon's bound on offset */
#define MAX_QUERY 8192     /* bytes of the words joined */
#define VERSION "0.1.0"

static const char usage_text[] =
"Bruk: motesok [--url URL] KOMMANDO [VALG] [ARGUMENTER]\n"
"\n"
"Søk i møtebøker som motesok-index har indeksert og motesokd tilbyr.\n"
"\n"
"Kommandoer:\n"
"  search [VALG] SØK...        rangert søk (se «motesok search --help»)\n"
"  show ID [--page N]          et dokuments metadata og saker, eller én side\n"
"  status                      hva indeksen har, feil etter årsak\n"
"  organs [SØK...]             organene i indeksen (eller i treffene for SØK),\n"
"                              med antall møter\n"
"  kommuner [SØK...]           kommunene, på samme måte\n"
"\n"
"Valg (står hvor som helst på linjen; «--» avslutter valgene):\n"
"  -u, --url URL   adressen til motesokd (standard: $MOTESOK_URL, ellers\n"
"                  http://127.0.0.1:7700)\n"
"  --token-file FIL  send første linje i FIL som daemonens token\n"
"                  (motesokd --token-file; standard: $MOTESOK_TOKEN om satt)\n"
"  -h, --help      vis denne hjelpen og avslutt\n"
"  -V, --version   vis versjonen og avslutt\n"
"\n"
"Avslutningsstatus: 0 svaret er skrevet ut (også når søket ikke har treff),\n"
"1 motesokd svarte med en feil, 2 feil bruk av kommandoen, 3 fikk ikke\n"
"kontakt med motesokd.\n";

static const char search_usage[] =
"Bruk: motesok search [VALG] SØK...\n"
"\n"
"Søk i alle indekserte møtebøker; ordene i SØK settes sammen med mellomrom.\n"
"Valgene kan stå før, mellom og etter ordene; ord som begynner med «-»\n"
"står etter «--».\n"
"\n"
"Valg:\n"
"  -j, --json              skriv ut daemonens JSON-svar som det er\n"
"  -F, --format FORMAT     text (standard), json, csv eller tsv: csv har en\n"
"                          overskriftsrad og hvert felt i anførselstegn\n"
"                          (RFC 4180), tsv har tabulator mellom feltene\n"
"  -n, --limit N           antall treff, 1-1000 (standard 10; med --all\n"
"                          treff per forespørsel, standard 1000)\n"
"  -o, --offset N          hopp over de første N treffene (0-100000)\n"
"  -a, --all               hent alle treffene, side for side (fra --offset,\n"
"                          til og med treff nr. 100 000)\n"
"  -f, --from DATO         møter på eller etter DATO: ÅÅÅÅ-MM-DD, eller\n"
"                          ÅÅÅÅ-MM / ÅÅÅÅ fra første dag i måneden / året\n"
"  -t, --to DATO           møter på eller før DATO: ÅÅÅÅ-MM-DD, eller\n"
"                          ÅÅÅÅ-MM / ÅÅÅÅ til siste dag i måneden / året\n"
"  -g, --organ NAVN        bare dette organet, f.eks. \"Rådmannsutvalget\"\n"
"                          (ett organ: gitt to ganger er det en feil)\n"
"  -k, --kommune NAVN      bare denne kommunen eller dette fylket (én)\n"
"  -d, --decisions         søk bare i vedtakstekst; uten ord: list møtene\n"
"                          som har vedtak\n"
"  -s, --sort relevance|date   rekkefølgen på treffene (standard relevance;\n"
"                          uten ord: date, nyeste først)\n"
"  -x, --exact             tell alle treff: eksakt antall og fasetter\n"
"                          (ellers er antallet forbi de første et anslag)\n"
"  -l, --long              hele vedtaket for hvert treff (ellers én linje)\n"
"  -h, --help              vis denne hjelpen og avslutt\n"
"\n"
"Uten ord lister søket møtene som passer filtrene (--decisions, --organ,\n"
"--kommune, --from, --to); minst ett av dem må da være gitt.\n"
"\n"
"Søkesyntaks:\n"
"  legevakt røntgen        dokumenter med begge ordene (også bøyde former)\n"
"  \"utvida legevakt\"       en frase\n"
"  a OR b, a AND NOT b     også OG, ELLER, IKKE; +må -ikke\n"
"  legevakt*               ord som begynner med legevakt\n"
"  tittel:/title:  vedtak:/decision:  organ:/body:  sak:/case:   felt\n"
"  kommune:/municipality:   sak:56/09 = sak:2009/56 = sak:\"PS 056/09\"\n"
"  dato:2017-01-01..2018-06-30   datoer (også dato:2017..2018)\n"
"\n"
"Grenser: 64 ord, parenteser 8 dypt, en prefiks* sine 100 vanligste ord\n"
"(et søks til sammen 500), 1 s; et søk som en grense kuttet sier «Søket ble\n"
"avgrenset» (JSON: \"limited\": true og \"limited_by\").\n"
"\n"
"Hvert treff viser sin id (til «motesok show ID»). På en terminal vises\n"
"treffordene i fet skrift (med mindre NO_COLOR er satt).\n"
"\n"
"Avslutningsstatus: 0 svaret er skrevet ut (også uten treff), 1 motesokd\n"
"svarte med en feil, 2 feil bruk, 3 fikk ikke kontakt med motesokd.\n";

static const char show_usage[] =
"Bruk: motesok show [--json] [--page N] ID\n"
"\n"
"Vis et dokuments metadata og saker, eller med --page N teksten på side N\n"
"(--page 0: hele teksten). ID er de 16 tegnene etter «id» i et søketreff.\n";

static const char status_usage[] =
"Bruk: motesok status [--failed [--limit N] [--offset N]] [--json]\n"
"\n"
"Vis hvor mange dokumenter og saker indeksen har, feil etter årsak,\n"
"indeksens revisjon og tidspunktet for siste indeksering. Med --failed:\n"
"filene som ikke kunne indekseres (feilet, eller ikke PDF eller tekst),\n"
"nyeste først, med årsaken: N om gangen (standard 100, høyst 1000) fra\n"
"--offset.\n";

static const char values_usage[] =
"Bruk: motesok organs|kommuner [--json | --format text|json|csv|tsv] [SØK...]\n"
"\n"
"List organene (organs) eller kommunene (kommuner) i indeksen med antall\n"
"møter for hver, flest først; med SØK bare blant møtene som passer søket.\n"
"Verdiene er de som --organ og --kommune i «motesok search» tar.\n";

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

/* The daemon's address: --url, else $MOTESOK_URL, else the default. */
static const char *daemon_url;

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
        fprintf(stderr, "motesok: kan ikke lese --token-file %s: %s\n", path, strerror(errno));
    else if (!ok)
        fprintf(stderr, "motesok: --token-file %s: ingen token på første linje\n", path);
    if (fp != NULL)
        fclose(fp);
    return ok;
}

/* A new URL of the daemon's path (e.g. "/api/v1/search"), NULL with a
 * message when daemon_url is not a URL. */
static CURLU *api_url(const char *path)
{
    CURLU *u = curl_url();
    char *full = malloc(strlen(daemon_url) + strlen(path) + 1);
    bool ok = u != NULL && full != NULL;
    if (ok) {
        strcpy(full, daemon_url);
        size_t n = strlen(full);
        while (n > 0 && full[n - 1] == '/')
            full[--n] = '\0';
        strcat(full, path);
        ok = curl_url_set(u, CURLUPART_URL, full, 0) == CURLUE_OK;
        if (!ok)
            fprintf(stderr, "motesok: --url %s er ikke en URL\n", daemon_url);
    }
    free(full);
    if (!ok)
        curl_url_cleanup(u);
    return ok ? u : NULL;
}

/* Add "key=value" (value percent-encoded) to the URL's query; a NULL
 * value adds nothing. False when out of memory. */
static bool url_param(CURLU *u, const char *key, const char *value)
{
    if (value == NULL)
        return true;
    size_t n = strlen(key) + strlen(value) + 2;
    char *kv = malloc(n);
    if (kv == NULL)
        return false;
    snprintf(kv, n, "%s=%s", key, value);
    bool ok = curl_url_set(u, CURLUPART_QUERY, kv, CURLU_APPENDQUERY | CURLU_URLENCODE) ==
              CURLUE_OK;
    free(kv);
    return ok;
}

/* Fetch u (taken over); on success *json is the parsed body and the HTTP
 * code is returned; on failure an exit code is returned negated. */
static long fetch(CURLU *u, json_t **json)
{
    *json = NULL;
    CURL *c = u != NULL ? curl_easy_init() : NULL;
    if (c == NULL) {
        if (u != NULL)
            fprintf(stderr, "motesok: kan ikke starte libcurl\n");
        curl_url_cleanup(u);
        return u != NULL ? -EXIT_ERROR : -EXIT_USAGE;
    }
    body b = {0};
    char errbuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_CURLU, u);
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
    curl_url_cleanup(u);
    if (rc != CURLE_OK) {
        if (b.too_big)
            fprintf(stderr, "motesok: svaret fra %s er større enn %u MiB\n", daemon_url,
                    MAX_BODY >> 20);
        else
            fprintf(stderr, "motesok: får ikke kontakt med motesokd på %s (%s) — start den med: "
                            "motesokd --index MAPPE\n",
                    daemon_url, errbuf[0] ? errbuf : curl_easy_strerror(rc));
        free(b.data);
        return b.too_big ? -EXIT_ERROR : -EXIT_UNREACHABLE;
    }
    json_error_t je;
    *json = json_loadb(b.data ? b.data : "", b.len, 0, &je);
    free(b.data);
    if (*json == NULL) {
        fprintf(stderr, "motesok: %s svarte HTTP %ld med noe som ikke er JSON (%s)\n", daemon_url,
                code, je.text);
        return -EXIT_ERROR;
    }
    return code;
}

/* Report an HTTP error object; returns the exit code. */
static int http_error(json_t *j, long code)
{
    const char *ecode = NULL;
    const char *msg = cli_error_message(j, &ecode);
    fprintf(stderr, "motesok: %s (%s, HTTP %ld)\n", msg ? msg : "motesokd meldte en feil",
            ecode ? ecode : "ukjent", code);
    return EXIT_ERROR;
}

/* Fetch u (taken over) and keep the answer of a 200 in *out; returns 0 or
 * an exit code (the error said on stderr). */
static int fetch_ok(CURLU *u, json_t **out)
{
    json_t *j = NULL;
    long code = fetch(u, &j);
    *out = NULL;
    if (code < 0)
        return (int)-code;
    if (code != 200) {
        int rc = http_error(j, code);
        json_decref(j);
        return rc;
    }
    *out = j;
    return 0;
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
    fprintf(stderr, "\nPrøv «motesok %s%s--help» for mer informasjon.\n", cmd ? cmd : "",
            cmd ? " " : "");
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

/* ======================================================================== */
/* command lines: options anywhere, words in order, "--" ends the options   */
/* ======================================================================== */

/* Output formats of search, organs and kommuner. */
typedef enum out_format { FMT_TEXT, FMT_JSON, FMT_CSV, FMT_TSV } out_format;

/* The words of a command line, in order. */
typedef struct words {
    char **w;
    size_t n;
} words;

/* Long options every command takes besides its own (codes 'u', 'T', 'h'). */
#define COMMON_OPTIONS                                                                  \
    {"url", required_argument, NULL, 'u'}, {"token-file", required_argument, NULL, 'T'}, \
        {"help", no_argument, NULL, 'h'}

/* Start reading a command's options: glibc's getopt starts afresh (and
 * so honours the optstring's ordering) when optind is 0. */
static void options_begin(words *w, int argc)
{
    optind = 0;
    w->n = 0;
    w->w = calloc((size_t)argc + 1, sizeof *w->w);
}

/* Handle a word (code 1 of a "-"-led optstring) or an option every command
 * takes; -1 if c is neither, else 0 to go on or an exit code. */
static int common_option(const char *cmd, int c, words *w, char **argv)
{
    if (c == 1) {
        if (w->w != NULL)
            w->w[w->n++] = optarg;
        return 0;
    }
    if (c == 'u') {
        daemon_url = optarg;
        return 0;
    }
    if (c == 'T')
        return read_token_file(optarg) ? 0 : EXIT_USAGE;
    if (c == '?' || c == ':')
        return usage_error(cmd, c == ':' ? "valget %s mangler sin verdi" : "ukjent valg %s",
                           optind > 0 ? argv[optind - 1] : "");
    return -1;
}

/* After the options: the words after "--" join the others. */
static void options_end(words *w, int argc, char **argv)
{
    for (int i = optind; w->w != NULL && i < argc; i++)
        w->w[w->n++] = argv[i];
}

/* The format named by --format into *out and -1, or a usage error's exit code. */
static int format_named(const char *cmd, const char *name, out_format *out)
{
    static const char *const names[] = {"text", "json", "csv", "tsv"};
    for (int i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (out_format)i;
            return -1;
        }
    return usage_error(cmd, "--format er text, json, csv eller tsv, ikke «%s»", name);
}

/* Join the words with spaces into q (cap bytes); false if they do not fit. */
static bool join_words(const words *w, char *q, size_t cap)
{
    size_t len = 0;
    q[0] = '\0';
    for (size_t i = 0; i < w->n; i++) {
        size_t n = strlen(w->w[i]);
        if (len + (len > 0) + n + 1 > cap)
            return false;
        if (len > 0)
            q[len++] = ' ';
        memcpy(q + len, w->w[i], n + 1);
        len += n;
    }
    return true;
}

/* ======================================================================== */
/* search                                                                   */
/* ======================================================================== */

/* Options of the search command. */
typedef struct search_opts {
    bool decisions, exact, all, long_text;
    out_format format;
    const char *limit, *offset, *from, *to, *organ, *kommune, *sort;
    char query[MAX_QUERY];
} search_opts;

/* Set a filter that may be given once: *slot is NULL until then. */
static int once(const char *opt, const char **slot, const char *value)
{
    if (*slot != NULL)
        return usage_error("search", "%s kan bare gis én gang (søket tar ett organ og én "
                                     "kommune, og ett datointervall)", opt);
    *slot = value;
    return -1;
}

/* Check one search option's value and keep it; -1 to go on, else an exit
 * code. */
static int search_option(int c, search_opts *o)
{
    switch (c) {
    case 'j': o->format = FMT_JSON; return -1;
    case 'F': return format_named("search", optarg, &o->format);
    case 'd': o->decisions = true; return -1;
    case 'x': o->exact = true; return -1;
    case 'a': o->all = true; return -1;
    case 'l': o->long_text = true; return -1;
    case 'n':
        if (!number_in(optarg, 1, MAX_LIMIT))
            return usage_error("search", "--limit er et tall fra 1 til 1000, ikke «%s»", optarg);
        o->limit = optarg;
        return -1;
    case 'o':
        if (!number_in(optarg, 0, MAX_OFFSET))
            return usage_error("search", "--offset er et tall fra 0 til 100000, ikke «%s»", optarg);
        o->offset = optarg;
        return -1;
    case 'f': case 't':
        if (!date_like(optarg))
            return usage_error("search", "en dato skrives ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD, ikke «%s»",
                               optarg);
        return once(c == 'f' ? "--from" : "--to", c == 'f' ? &o->from : &o->to, optarg);
    case 'g': return once("--organ", &o->organ, optarg);
    case 'k': return once("--kommune", &o->kommune, optarg);
    case 's':
        if (strcmp(optarg, "relevance") != 0 && strcmp(optarg, "date") != 0)
            return usage_error("search", "--sort er relevance eller date, ikke «%s»", optarg);
        o->sort = optarg;
        return -1;
    case 'h': fputs(search_usage, stdout); return 0;
    default: return usage_error("search", "%s", "ukjent valg");
    }
}

/* Parse search options; -1 to go on, else an exit code. */
static int parse_search(int argc, char **argv, search_opts *o)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'},          {"format", required_argument, NULL, 'F'},
        {"limit", required_argument, NULL, 'n'},   {"offset", required_argument, NULL, 'o'},
        {"from", required_argument, NULL, 'f'},    {"to", required_argument, NULL, 't'},
        {"organ", required_argument, NULL, 'g'},   {"kommune", required_argument, NULL, 'k'},
        {"decisions", no_argument, NULL, 'd'},     {"sort", required_argument, NULL, 's'},
        {"exact", no_argument, NULL, 'x'},         {"all", no_argument, NULL, 'a'},
        {"long", no_argument, NULL, 'l'},          COMMON_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    words w;
    options_begin(&w, argc);
    int rc = -1;
    while (rc < 0) {
        int c = getopt_long(argc, argv, "-:jF:n:o:f:t:g:k:ds:xalhu:", longopts, NULL);
        if (c == -1)
            break;
        rc = common_option("search", c, &w, argv);
        if (rc < 0)
            rc = search_option(c, o);
        else if (rc == 0)
            rc = -1;
    }
    options_end(&w, argc, argv);
    if (rc < 0 && !join_words(&w, o->query, sizeof o->query))
        rc = usage_error("search", "%s", "søket er for langt");
    else if (rc < 0 && w.n == 0 && !o->decisions && !o->organ && !o->kommune && !o->from &&
             !o->to) /* '' is a word: the empty query, every meeting */
        rc = usage_error("search", "%s", "ingen søkeord (uten ord trengs et filter: --decisions, "
                                          "--organ, --kommune, --from eller --to)");
    free(w.w);
    if (rc < 0 && o->query[0] == '\0' && o->sort == NULL)
        o->sort = "date"; /* a list, not a ranking: newest first */
    return rc;
}

/* Ask for one page of hits; 0 with *out, else an exit code. */
static int search_page(const search_opts *o, const char *offset, const char *limit, json_t **out)
{
    CURLU *u = api_url("/api/v1/search");
    bool ok = u != NULL && url_param(u, "q", o->query) && url_param(u, "limit", limit) &&
              url_param(u, "offset", offset) && url_param(u, "from", o->from) &&
              url_param(u, "to", o->to) && url_param(u, "organ", o->organ) &&
              url_param(u, "kommune", o->kommune) && url_param(u, "sort", o->sort) &&
              url_param(u, "decisions", o->decisions ? "1" : NULL) &&
              url_param(u, "exact", o->exact ? "1" : NULL);
    if (u != NULL && !ok) {
        curl_url_cleanup(u);
        fprintf(stderr, "motesok: kan ikke lage URL-en til søket\n");
        *out = NULL;
        return EXIT_ERROR;
    }
    return fetch_ok(u, out);
}

/* Print a search answer (a page, or every page joined) as o asks. */
static void print_search(const search_opts *o, json_t *j, bool header)
{
    if (o->format == FMT_JSON) {
        print_json(j);
    } else if (o->format == FMT_CSV || o->format == FMT_TSV) {
        msk_table_hits(stdout, o->format == FMT_CSV ? MSK_TABLE_CSV : MSK_TABLE_TSV, j, header);
    } else {
        cli_style st = term_style();
        st.long_text = o->long_text;
        cli_render_search(stdout, j, &st);
    }
}

/* motesok search --all: every page from --offset, pages of --limit (default
 * 1000) hits; tables are printed page by page, JSON and text once, with the
 * hits of every page in one answer. */
static int search_all(const search_opts *o)
{
    unsigned long offset = o->offset ? strtoul(o->offset, NULL, 10) : 0;
    unsigned long page = o->limit ? strtoul(o->limit, NULL, 10) : MAX_LIMIT;
    bool table = o->format == FMT_CSV || o->format == FMT_TSV;
    json_t *all = NULL;
    int rc = 0;
    for (bool first = true;; first = false) {
        char off[32], lim[32];
        snprintf(off, sizeof off, "%lu", offset);
        snprintf(lim, sizeof lim, "%lu", page);
        json_t *j = NULL;
        rc = search_page(o, off, lim, &j);
        if (rc != 0)
            break;
        json_t *hits = json_object_get(j, "hits");
        size_t n = json_array_size(hits);
        if (table)
            print_search(o, j, first);
        else if (all == NULL)
            all = json_incref(j);
        else
            json_array_extend(json_object_get(all, "hits"), hits);
        json_decref(j);
        offset += n;
        if (n < page)
            break;
        if (offset > MAX_OFFSET) {
            fprintf(stderr, "motesok: --all stopper etter treff nr. %lu: motesokd går ikke "
                            "lenger enn offset %u\n", offset, MAX_OFFSET);
            break;
        }
    }
    if (all != NULL && rc == 0) {
        json_object_set_new(all, "limit",
                            json_integer((json_int_t)json_array_size(json_object_get(all, "hits"))));
        print_search(o, all, true);
    }
    json_decref(all);
    return rc;
}

/* motesok search */
static int cmd_search(int argc, char **argv)
{
    search_opts o = {.format = FMT_TEXT};
    int rc = parse_search(argc, argv, &o);
    if (rc >= 0)
        return rc;
    if (o.all)
        return search_all(&o);
    json_t *j = NULL;
    rc = search_page(&o, o.offset, o.limit, &j);
    if (rc == 0)
        print_search(&o, j, true);
    json_decref(j);
    return rc;
}

/* ======================================================================== */
/* organs, kommuner                                                         */
/* ======================================================================== */

/* motesok organs|kommuner [SØK...]: the values of a facet, from an exact
 * search for the words (all meetings without any). */
static int cmd_values(const char *cmd, const char *facet, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'}, {"format", required_argument, NULL, 'F'},
        COMMON_OPTIONS, {NULL, 0, NULL, 0},
    };
    out_format format = FMT_TEXT;
    words w;
    options_begin(&w, argc);
    int rc = -1;
    while (rc < 0) {
        int c = getopt_long(argc, argv, "-:jF:hu:", longopts, NULL);
        if (c == -1)
            break;
        rc = common_option(cmd, c, &w, argv);
        if (rc == 0)
            rc = -1;
        else if (rc > 0)
            break;
        else if (c == 'j')
            format = FMT_JSON;
        else if (c == 'F')
            rc = format_named(cmd, optarg, &format);
        else if (c == 'h')
            rc = fputs(values_usage, stdout) < 0;
        else
            rc = usage_error(cmd, "%s", "ukjent valg");
    }
    options_end(&w, argc, argv);
    char q[MAX_QUERY];
    if (rc < 0 && !join_words(&w, q, sizeof q))
        rc = usage_error(cmd, "%s", "søket er for langt");
    free(w.w);
    if (rc >= 0)
        return rc;
    CURLU *u = api_url("/api/v1/search");
    if (u != NULL && !(url_param(u, "q", q) && url_param(u, "limit", "1") &&
                       url_param(u, "exact", "1"))) {
        curl_url_cleanup(u);
        return EXIT_ERROR;
    }
    json_t *j = NULL;
    rc = fetch_ok(u, &j);
    if (rc != 0)
        return rc;
    json_t *values = json_object_get(json_object_get(j, "facets"), facet);
    if (format == FMT_JSON && json_is_object(values)) {
        print_json(values);
    } else if (format == FMT_JSON) {
        fputs("{}\n", stdout);
    } else if (format == FMT_TEXT) {
        cli_render_facet_list(stdout, j, facet);
    } else {
        msk_table_format tf = format == FMT_CSV ? MSK_TABLE_CSV : MSK_TABLE_TSV;
        const char *head[] = {facet, "meetings"};
        msk_table_row(stdout, tf, head, 2);
        const char *k;
        json_t *v;
        json_object_foreach(values, k, v) {
            char count[32];
            snprintf(count, sizeof count, "%lld", (long long)json_integer_value(v));
            const char *row[] = {k, count};
            msk_table_row(stdout, tf, row, 2);
        }
    }
    json_decref(j);
    return 0;
}

/* ======================================================================== */
/* show, status                                                             */
/* ======================================================================== */

/* motesok show ID [--page N] */
static int cmd_show(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'}, {"page", required_argument, NULL, 'p'},
        COMMON_OPTIONS, {NULL, 0, NULL, 0},
    };
    bool json = false;
    const char *page = NULL;
    words w;
    options_begin(&w, argc);
    int rc = -1;
    while (rc < 0) {
        int c = getopt_long(argc, argv, "-:jp:hu:", longopts, NULL);
        if (c == -1)
            break;
        rc = common_option("show", c, &w, argv);
        if (rc == 0)
            rc = -1;
        else if (rc > 0)
            break;
        else if (c == 'j')
            json = true;
        else if (c == 'p' && number_in(optarg, 0, 1000000))
            page = optarg;
        else if (c == 'p')
            rc = usage_error("show", "--page er et sidetall, ikke «%s»", optarg);
        else if (c == 'h')
            rc = fputs(show_usage, stdout) < 0;
        else
            rc = usage_error("show", "%s", "ukjent valg");
    }
    options_end(&w, argc, argv);
    char id[64] = "";
    if (rc < 0 && w.n != 1)
        rc = usage_error("show", "%s", "oppgi nøyaktig én dokument-ID");
    else if (rc < 0)
        snprintf(id, sizeof id, "%s", w.w[0]);
    free(w.w);
    if (rc >= 0)
        return rc;
    char *eid = curl_easy_escape(NULL, id, 0);
    char path[256];
    snprintf(path, sizeof path, "/api/v1/documents/%s%s", eid ? eid : "", page ? "/text" : "");
    curl_free(eid);
    CURLU *u = api_url(path);
    if (u != NULL && !url_param(u, "page", page)) {
        curl_url_cleanup(u);
        return EXIT_ERROR;
    }
    json_t *j = NULL;
    rc = fetch_ok(u, &j);
    if (rc != 0)
        return rc;
    cli_style st = term_style();
    if (json)
        print_json(j);
    else if (page)
        cli_render_text(stdout, j);
    else
        cli_render_document(stdout, j, &st);
    json_decref(j);
    return 0;
}

/* motesok status */
static int cmd_status(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'},         {"failed", no_argument, NULL, 'f'},
        {"limit", required_argument, NULL, 'l'},  {"offset", required_argument, NULL, 'o'},
        COMMON_OPTIONS, {NULL, 0, NULL, 0},
    };
    bool json = false, failed = false;
    const char *limit = "100", *offset = "0";
    words w;
    options_begin(&w, argc);
    int rc = -1;
    while (rc < 0) {
        int c = getopt_long(argc, argv, "-:jfl:o:hu:", longopts, NULL);
        if (c == -1)
            break;
        rc = common_option("status", c, &w, argv);
        if (rc == 0)
            rc = -1;
        else if (rc > 0)
            break;
        else if (c == 'j')
            json = true;
        else if (c == 'f')
            failed = true;
        else if (c == 'l')
            limit = optarg;
        else if (c == 'o')
            offset = optarg;
        else if (c == 'h')
            rc = fputs(status_usage, stdout) < 0;
        else
            rc = usage_error("status", "%s", "ukjent valg");
    }
    options_end(&w, argc, argv);
    if (rc < 0 && w.n > 0)
        rc = usage_error("status", "uventet argument «%s»", w.w[0]);
    free(w.w);
    if (rc >= 0)
        return rc;
    CURLU *u = api_url(failed ? "/api/v1/failures" : "/api/v1/status");
    if (u != NULL && failed && !(url_param(u, "limit", limit) && url_param(u, "offset", offset))) {
        curl_url_cleanup(u);
        return EXIT_ERROR;
    }
    json_t *j = NULL;
    rc = fetch_ok(u, &j);
    if (rc != 0)
        return rc;
    if (json)
        print_json(j);
    else if (failed)
        cli_render_failures(stdout, j);
    else
        cli_render_status(stdout, j);
    json_decref(j);
    return 0;
}

/* ======================================================================== */
/* main                                                                     */
/* ======================================================================== */

/* Parse the options before the command; -1 with *cmd_index set to go on,
 * else an exit code. */
static int parse_global(int argc, char **argv, int *cmd_index)
{
    static const struct option longopts[] = {
        {"url", required_argument, NULL, 'u'}, {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'}, {"token-file", required_argument, NULL, 'T'},
        {NULL, 0, NULL, 0},
    };
    const char *env = getenv("MOTESOK_URL");
    daemon_url = env && *env ? env : "http://127.0.0.1:7700";
    const char *tok = getenv("MOTESOK_TOKEN");
    if (tok != NULL && *tok != '\0' && !set_token(tok))
        return usage_error(NULL, "%s", "MOTESOK_TOKEN er ikke en token (ett ord, uten mellomrom)");
    for (;;) {
        int c = getopt_long(argc, argv, "+u:hV", longopts, NULL);
        if (c == -1)
            break;
        if (c == 'u')
            daemon_url = optarg;
        else if (c == 'T' && !read_token_file(optarg))
            return EXIT_USAGE;
        else if (c == 'T')
            continue;
        else if (c == 'h')
            return fputs(usage_text, stdout), 0;
        else if (c == 'V')
            return printf("motesok %s\n", VERSION), 0;
        else
            return usage_error(NULL, "%s", "ukjent valg");
    }
    if (optind >= argc)
        return usage_error(NULL, "%s", "ingen kommando (search, show, status, organs eller kommuner)");
    *cmd_index = optind;
    return -1;
}

int main(int argc, char **argv)
{
    int ci = 0;
    int rc = parse_global(argc, argv, &ci);
    if (rc >= 0)
        return rc;
    const char *cmd = argv[ci];
    int sub_argc = argc - ci;
    char **sub_argv = argv + ci;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (strcmp(cmd, "search") == 0)
        rc = cmd_search(sub_argc, sub_argv);
    else if (strcmp(cmd, "show") == 0)
        rc = cmd_show(sub_argc, sub_argv);
    else if (strcmp(cmd, "status") == 0)
        rc = cmd_status(sub_argc, sub_argv);
    else if (strcmp(cmd, "organs") == 0)
        rc = cmd_values("organs", "organ", sub_argc, sub_argv);
    else if (strcmp(cmd, "kommuner") == 0)
        rc = cmd_values("kommuner", "kommune", sub_argc, sub_argv);
    else
        rc = usage_error(NULL, "ukjent kommando «%s» (search, show, status, organs eller kommuner)",
                         cmd);
    curl_global_cleanup();
    return rc;
}
