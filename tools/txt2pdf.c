/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesok-txt2pdf: lay out UTF-8 text on A4 pages and write a real PDF with
 * pango and cairo. Used to make the PDF twins of the sample minutes and PDF
 * fixtures for tests. */
#include <cairo-pdf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <getopt.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define PT_PER_MM (72.0 / 25.4)
#define PAGE_W (210 * PT_PER_MM)
#define PAGE_H (297 * PT_PER_MM)
#define MARGIN (20 * PT_PER_MM)
#define MAX_TEXT_BYTES (64u << 20) /* bytes of text accepted */
#define PROG "motesok-txt2pdf"
#define CREATOR "Møtesøk txt2pdf"

static const char usage_text[] =
"Usage: " PROG " [--title TITLE] [--font FONT] [--scan DPI [--rotate DEG]\n"
"       [--noise PERMILLE]] IN.txt OUT.pdf\n"
"\n"
"Lay out a UTF-8 text file on A4 pages (2 cm margins, words wrapped, the\n"
"file's line breaks kept; a form feed starts a new page) and write a PDF\n"
"whose Creator is \"" CREATOR "\".\n"
"\n"
"  -t, --title TITLE   PDF title metadata\n"
"  -f, --font FONT     Pango font description (default \"DejaVu Serif 10\")\n"
"  -s, --scan DPI      write an image-only PDF, as a scanner would: each page\n"
"                      rendered in grey at DPI (50-600), no text layer\n"
"  -r, --rotate DEG    with --scan, turn the page image by DEG degrees (-10-10)\n"
"  -n, --noise N       with --scan, N in 1000 pixels turned to grey specks\n"
"                      (0-100; the same specks on every run)\n"
"  -h, --help          show this help\n"
"\n"
"When SOURCE_DATE_EPOCH is set, it is the PDF's creation date, so the same\n"
"input gives the same bytes.\n"
"\n"
"Exit status: 0 written, 1 cannot read, lay out or write, 2 usage error.\n";

typedef struct options {
    const char *title; /* NULL: no title */
    const char *font;
    const char *in;
    const char *out;
    int scan_dpi;  /* 0: a text PDF */
    double rotate; /* degrees */
    int noise;     /* per mille */
} options;

/* Parse argv into opt; returns -1 to go on, else the exit status to end with. */
static int parse_args(int argc, char **argv, options *opt)
{
    static const struct option longopts[] = {
        {"title", required_argument, NULL, 't'},
        {"font", required_argument, NULL, 'f'},
        {"scan", required_argument, NULL, 's'},
        {"rotate", required_argument, NULL, 'r'},
        {"noise", required_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    opt->title = NULL;
    opt->font = "DejaVu Serif 10";
    opt->scan_dpi = 0;
    opt->rotate = 0;
    opt->noise = 0;
    for (;;) {
        int c = getopt_long(argc, argv, "t:f:s:r:n:h", longopts, NULL);
        if (c == -1)
            break;
        char *end = NULL;
        if (c == 's' || c == 'r' || c == 'n') {
            errno = 0;
            double v = strtod(optarg, &end);
            bool bad = errno != 0 || end == optarg || *end != '\0' ||
                       (c == 's' && (v < 50 || v > 600 || v != (int)v)) ||
                       (c == 'r' && (v < -10 || v > 10)) ||
                       (c == 'n' && (v < 0 || v > 100 || v != (int)v));
            if (bad) {
                fprintf(stderr, "%s: bad --%s value \"%s\"\nTry '%s --help'.\n", PROG,
                        c == 's' ? "scan" : c == 'r' ? "rotate" : "noise", optarg, PROG);
                return 2;
            }
            if (c == 's')
                opt->scan_dpi = (int)v;
            else if (c == 'r')
                opt->rotate = v;
            else
                opt->noise = (int)v;
        } else if (c == 't') {
            opt->title = optarg;
        } else if (c == 'f') {
            opt->font = optarg;
        } else if (c == 'h') {
            fputs(usage_text, stdout);
            return 0;
        } else {
            fprintf(stderr, "Try '%s --help'.\n", PROG);
            return 2;
        }
    }
    if (argc - optind != 2) {
        fprintf(stderr, "%s: need exactly IN.txt and OUT.pdf\nTry '%s --help'.\n", PROG, PROG);
        return 2;
    }
    if (opt->scan_dpi == 0 && (opt->rotate != 0 || opt->noise != 0)) {
        fprintf(stderr, "%s: --rotate and --noise need --scan\nTry '%s --help'.\n", PROG, PROG);
        return 2;
    }
    opt->in = argv[optind];
    opt->out = argv[optind + 1];
    return -1;
}

/* Read at most MAX_TEXT_BYTES bytes of path into a NUL-terminated buffer the
 * caller frees, its length in *len; NULL with a message on stderr on error. */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "%s: cannot open %s: %s\n", PROG, path, strerror(errno));
        return NULL;
    }
    size_t cap = 1u << 16, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL && n < MAX_TEXT_BYTES + 1) {
        if (n + 1 == cap) {
            char *bigger = realloc(buf, cap * 2);
            if (bigger == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - 1 - n, f);
        n += got;
        if (got == 0)
            break;
    }
    const char *why = buf == NULL ? "out of memory"
                      : ferror(f) ? strerror(errno)
                      : n > MAX_TEXT_BYTES ? "larger than 64 MiB" : NULL;
    fclose(f);
    if (why != NULL) {
        fprintf(stderr, "%s: cannot read %s: %s\n", PROG, path, why);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Check that text (len bytes) is UTF-8 without NUL bytes; message if not. */
static int check_utf8(const char *path, const char *text, size_t len)
{
    const char *end = NULL;
    if (g_utf8_validate(text, (gssize)len, &end))
        return 0;
    fprintf(stderr, "%s: %s is not UTF-8 text (bad byte at offset %ld)\n", PROG, path,
            (long)(end - text));
    return -1;
}

/* Warn when fontconfig substituted another family for the one asked for. */
static void warn_font_substitution(PangoLayout *layout, const PangoFontDescription *want)
{
    PangoFont *font = pango_context_load_font(pango_layout_get_context(layout), want);
    if (font == NULL) {
        fprintf(stderr, "%s: warning: no font found for \"%s\"\n", PROG,
                pango_font_description_get_family(want));
        return;
    }
    PangoFontDescription *got = pango_font_describe(font);
    const char *w = pango_font_description_get_family(want);
    const char *g = pango_font_description_get_family(got);
    if (w != NULL && g != NULL && strcasecmp(w, g) != 0)
        fprintf(stderr, "%s: warning: font \"%s\" not installed, using \"%s\"\n", PROG, w, g);
    pango_font_description_free(got);
    g_object_unref(font);
}

/* Where pages are drawn: straight into the PDF, or (a scan) into a page
 * image that is put into the PDF when the page ends. */
typedef struct sink {
    cairo_t *pdf;             /* the PDF's context */
    cairo_surface_t *img;     /* scan: the page image, else NULL */
    cairo_t *cr;              /* what text is drawn with: pdf, or on img */
    const options *opt;
    unsigned page;
} sink;

/* Make the page image look scanned: grey specks, the same for a page on
 * every run (a small generator seeded by the page number). */
static void add_noise(sink *k)
{
    if (k->opt->noise == 0)
        return;
    cairo_surface_flush(k->img);
    unsigned char *data = cairo_image_surface_get_data(k->img);
    int w = cairo_image_surface_get_width(k->img), h = cairo_image_surface_get_height(k->img);
    int stride = cairo_image_surface_get_stride(k->img);
    uint32_t state = 2463534242u ^ (k->page * 2654435761u);
    for (int y = 0; y < h; y++) {
        uint32_t *row = (uint32_t *)(data + (size_t)y * (size_t)stride);
        for (int x = 0; x < w; x++) {
            state ^= state << 13; /* xorshift32 */
            state ^= state >> 17;
            state ^= state << 5;
            if (state % 1000u < (uint32_t)k->opt->noise) {
                uint32_t g = 96 + (state >> 24) % 128;
                row[x] = 0xFF000000u | g << 16 | g << 8 | g;
            }
        }
    }
    cairo_surface_mark_dirty(k->img);
}

/* Start drawing a page: a scan's page image is made white and turned. */
static void begin_page(sink *k)
{
    if (k->img == NULL)
        return;
    cairo_identity_matrix(k->cr);
    cairo_set_source_rgb(k->cr, 1, 1, 1);
    cairo_paint(k->cr);
    double scale = k->opt->scan_dpi / 72.0;
    cairo_scale(k->cr, scale, scale);
    cairo_translate(k->cr, PAGE_W / 2, PAGE_H / 2);
    cairo_rotate(k->cr, k->opt->rotate * G_PI / 180);
    cairo_translate(k->cr, -PAGE_W / 2, -PAGE_H / 2);
    cairo_set_source_rgb(k->cr, 0, 0, 0);
}

/* End a page: a scan's page image goes into the PDF as its only content. */
static void end_page(sink *k)
{
    if (k->img != NULL) {
        add_noise(k);
        cairo_save(k->pdf);
        cairo_scale(k->pdf, 72.0 / k->opt->scan_dpi, 72.0 / k->opt->scan_dpi);
        cairo_set_source_surface(k->pdf, k->img, 0, 0);
        cairo_paint(k->pdf);
        cairo_restore(k->pdf);
    }
    cairo_show_page(k->pdf);
    k->page++;
    begin_page(k);
}

/* Draw one paragraph (a source line), breaking pages as lines run out. */
static void draw_paragraph(sink *k, PangoLayout *layout, const char *text, size_t len,
                           double *y)
{
    cairo_t *cr = k->cr;
    if (len > 0 && text[len - 1] == '\r')
        len--;
    if (len == 0)
        pango_layout_set_text(layout, " ", 1);
    else
        pango_layout_set_text(layout, text, (int)len);
    int n = pango_layout_get_line_count(layout);
    for (int i = 0; i < n; i++) {
        PangoLayoutLine *line = pango_layout_get_line_readonly(layout, i);
        PangoRectangle logical;
        pango_layout_line_get_extents(line, NULL, &logical);
        double h = (double)logical.height / PANGO_SCALE;
        if (*y + h > PAGE_H - MARGIN && *y > MARGIN) {
            end_page(k);
            *y = MARGIN;
        }
        cairo_move_to(cr, MARGIN, *y - (double)logical.y / PANGO_SCALE);
        pango_cairo_show_layout_line(cr, line);
        *y += h;
    }
}

/* Lay out all of text, a paragraph per line; '\f' forces a new page. */
static void draw_text(sink *k, PangoLayout *layout, const char *text)
{
    double y = MARGIN;
    const char *p = text;
    while (*p != '\0') {
        size_t n = strcspn(p, "\n\f");
        draw_paragraph(k, layout, p, n, &y);
        p += n;
        if (*p == '\f') {
            end_page(k);
            y = MARGIN;
        }
        if (*p != '\0')
            p++;
    }
    end_page(k);
}

/* Set the PDF creation date from SOURCE_DATE_EPOCH when that is a valid
 * number; otherwise cairo uses the current time. */
static void set_reproducible_date(cairo_surface_t *s)
{
    const char *env = getenv("SOURCE_DATE_EPOCH");
    if (env == NULL || *env == '\0')
        return;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(env, &end, 10);
    time_t t = (time_t)v;
    struct tm tm;
    char iso[32];
    if (errno != 0 || *end != '\0' || v < 0 || gmtime_r(&t, &tm) == NULL ||
        strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        fprintf(stderr, "%s: warning: ignoring bad SOURCE_DATE_EPOCH \"%s\"\n", PROG, env);
        return;
    }
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, iso);
}

/* Render text into a PDF at opt->out; 0 on success, else 1 with a message
 * on stderr and no partial output file left behind. */
static int render(const options *opt, const char *text)
{
    cairo_surface_t *s = cairo_pdf_surface_create(opt->out, PAGE_W, PAGE_H);
    if (opt->title != NULL)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, opt->title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, CREATOR);
    set_reproducible_date(s);
    sink k = {.pdf = cairo_create(s), .opt = opt};
    k.cr = k.pdf;
    if (opt->scan_dpi > 0) {
        k.img = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
                                           (int)(PAGE_W * opt->scan_dpi / 72.0 + 0.5),
                                           (int)(PAGE_H * opt->scan_dpi / 72.0 + 0.5));
        k.cr = cairo_create(k.img);
        begin_page(&k);
    }
    /* laid out for the PDF in both cases, so that a scan's pages and lines
     * are those of the typed PDF (a layout for the image surface would take
     * its font metrics hinted to its pixels, and break lines and pages
     * elsewhere); a scan only draws the lines onto its image */
    PangoLayout *layout = pango_cairo_create_layout(k.pdf);
    PangoFontDescription *fd = pango_font_description_from_string(opt->font);
    pango_layout_set_font_description(layout, fd);
    pango_layout_set_width(layout, (int)((PAGE_W - 2 * MARGIN) * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    warn_font_substitution(layout, fd);
    if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS)
        draw_text(&k, layout, text);
    pango_font_description_free(fd);
    g_object_unref(layout);
    if (k.img != NULL) {
        cairo_destroy(k.cr);
        cairo_surface_destroy(k.img);
    }
    cairo_destroy(k.pdf);
    cairo_surface_finish(s);
    cairo_status_t st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (st == CAIRO_STATUS_SUCCESS)
        return 0;
    fprintf(stderr, "%s: cannot write %s: %s\n", PROG, opt->out, cairo_status_to_string(st));
    unlink(opt->out);
    return 1;
}

int main(int argc, char **argv)
{
    options opt;
    int rc = parse_args(argc, argv, &opt);
    if (rc >= 0)
        return rc;
    size_t len = 0;
    char *text = read_all(opt.in, &len);
    if (text == NULL)
        return 1;
    rc = check_utf8(opt.in, text, len) == 0 ? render(&opt, text) : 1;
    free(text);
    return rc;
}
