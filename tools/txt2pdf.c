/* motesok-txt2pdf: lay out UTF-8 text on A4 pages and write a real PDF with
 * pango and cairo. Used to make the PDF twins of the sample minutes and PDF
 * fixtures for tests. */
#include <cairo-pdf.h>
#include <getopt.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PT_PER_MM (72.0 / 25.4)
#define PAGE_W (210 * PT_PER_MM)
#define PAGE_H (297 * PT_PER_MM)
#define MARGIN (20 * PT_PER_MM)

static const char usage_text[] =
"Usage: motesok-txt2pdf [--title TITLE] [--font FONT] IN.txt OUT.pdf\n"
"\n"
"Lay out a UTF-8 text file on A4 pages (2 cm margins, words wrapped, the\n"
"file's line breaks kept; a form feed starts a new page) and write a PDF.\n"
"\n"
"  -t, --title TITLE   PDF title metadata\n"
"  -f, --font FONT     Pango font description (default \"DejaVu Serif 10\")\n"
"  -h, --help          show this help\n"
"\n"
"Exit status: 0 written, 1 cannot read or write, 2 usage error.\n";

/* Read a whole file into a NUL-terminated buffer; NULL on error. */
static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (buf == NULL)
            break;
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0)
            break;
        if (len + 1 == cap) {
            cap *= 2;
            char *p = realloc(buf, cap);
            if (p == NULL) {
                free(buf);
                buf = NULL;
            }
            buf = p;
        }
    }
    fclose(f);
    if (buf != NULL)
        buf[len] = '\0';
    return buf;
}

/* Draw one paragraph (a source line), breaking pages as lines run out. */
static void draw_paragraph(cairo_t *cr, PangoLayout *layout, const char *text, size_t len,
                           double *y)
{
    pango_layout_set_text(layout, len ? text : " ", len ? (int)len : 1);
    int n = pango_layout_get_line_count(layout);
    for (int i = 0; i < n; i++) {
        PangoLayoutLine *line = pango_layout_get_line_readonly(layout, i);
        PangoRectangle logical;
        pango_layout_line_get_extents(line, NULL, &logical);
        double h = (double)logical.height / PANGO_SCALE;
        if (*y + h > PAGE_H - MARGIN) {
            cairo_show_page(cr);
            *y = MARGIN;
        }
        cairo_move_to(cr, MARGIN, *y - (double)logical.y / PANGO_SCALE);
        pango_cairo_show_layout_line(cr, line);
        *y += h;
    }
}

/* Lay out all of text, a paragraph per line; '\f' forces a new page. */
static void draw_text(cairo_t *cr, PangoLayout *layout, const char *text)
{
    double y = MARGIN;
    const char *p = text;
    while (*p != '\0') {
        size_t n = strcspn(p, "\n\f");
        draw_paragraph(cr, layout, p, n, &y);
        p += n;
        if (*p == '\f') {
            cairo_show_page(cr);
            y = MARGIN;
        }
        if (*p != '\0')
            p++;
    }
    cairo_show_page(cr);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"title", required_argument, NULL, 't'}, {"font", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
    };
    const char *title = NULL, *font = "DejaVu Serif 10";
    for (;;) {
        int c = getopt_long(argc, argv, "t:f:h", longopts, NULL);
        if (c == -1)
            break;
        if (c == 't')
            title = optarg;
        else if (c == 'f')
            font = optarg;
        else if (c == 'h')
            return fputs(usage_text, stdout), 0;
        else
            return fputs(usage_text, stderr), 2;
    }
    if (argc - optind != 2)
        return fputs(usage_text, stderr), 2;
    char *text = read_all(argv[optind]);
    if (text == NULL || !g_utf8_validate(text, -1, NULL)) {
        fprintf(stderr, "motesok-txt2pdf: cannot read %s as UTF-8 text\n", argv[optind]);
        free(text);
        return 1;
    }
    cairo_surface_t *s = cairo_pdf_surface_create(argv[optind + 1], PAGE_W, PAGE_H);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "motesok-txt2pdf: cannot write %s: %s\n", argv[optind + 1],
                cairo_status_to_string(cairo_surface_status(s)));
        free(text);
        return 1;
    }
    if (title != NULL)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "Møtesøk txt2pdf");
    cairo_t *cr = cairo_create(s);
    PangoLayout *layout = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_layout_set_font_description(layout, fd);
    pango_layout_set_width(layout, (int)((PAGE_W - 2 * MARGIN) * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    draw_text(cr, layout, text);
    pango_font_description_free(fd);
    g_object_unref(layout);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_status_t st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    free(text);
    if (st != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "motesok-txt2pdf: %s\n", cairo_status_to_string(st));
        return 1;
    }
    return 0;
}
