/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: the CLI's rendering of the daemon's JSON for people,
 * on arbitrary bytes parsed as JSON (any shape: a daemon of another
 * version, or something else on the port, may answer anything), and the
 * snippet HTML decoder on the raw bytes. Nothing printed may carry a
 * control character other than newline and tab (no terminal
 * escapes). */
#define _GNU_SOURCE
#include "cli_render.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* True if p[0..len) holds a control character but newline and tab: C0,
 * DEL or C1 (U+0080..U+009F, CSI among them). */
static bool has_control(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)p[i];
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
            return true;
        if (c == 0xC2 && i + 1 < len && (unsigned char)p[i + 1] >= 0x80 &&
            (unsigned char)p[i + 1] < 0xA0)
            return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s == NULL)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    /* the decoder is handed text the renderer has escaped: it must never
     * make a control character out of entities */
    char *plain = cli_snippet_text(s, false);
    if (plain != NULL && !has_control(s, strlen(s)) && has_control(plain, strlen(plain)))
        abort();
    free(plain);
    free(s);

    json_t *j = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (j == NULL)
        return 0;
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);
    if (fp != NULL) {
        cli_style st = {.bold = false, .width = 72};
        cli_render_search(fp, j, &st);
        cli_render_document(fp, j, &st);
        cli_render_text(fp, j);
        cli_render_status(fp, j);
        cli_render_failures(fp, j);
        const char *code = NULL;
        const char *msg = cli_error_message(j, &code);
        if (msg != NULL)
            fputs(msg, fp);
        fclose(fp);
        if (has_control(out, len)) /* the bold marks are off here */
            abort();
    }
    free(out);
    json_decref(j);
    return 0;
}
