/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: plain-text decoding (BOM, UTF-8, UTF-16, CP1252,
 * Latin-1) and normalisation on arbitrary bytes. The first byte picks the
 * charset hint libmagic could have given and the sizes of a big text's
 * path (page, chunk); the rest is the file. Whatever is decoded must be
 * valid UTF-8 whose page lengths add up, and the file read a chunk at a
 * time must give the very pages (or failure) it gives whole in memory. */
#define _GNU_SOURCE /* memfd_create */
#include "internal.h"
#include "extract/extract_internal.h"
#include "fuzz_check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The text read from a file in chunks with geometry g must be what it is
 * whole with g: the same status, the same pages. */
static void check_chunked(const uint8_t *data, size_t size, const char *hint,
                          const msk_text_geometry *g)
{
    motesok_extract_limits lim = {0};
    motesok_text *whole = NULL, *read = NULL;
    motesok_error err;
    motesok_status a = msk_text_from_buffer(data, size, hint, &lim, g, &whole, &err);
    int fd = memfd_create("fuzz_text", 0);
    if (fd < 0 || write(fd, data, size) != (ssize_t)size)
        abort();
    msk_extraction *x = NULL;
    motesok_status b = msk_text_open_fd(fd, size, "fuzz", hint, &lim, g, &x, &err);
    if (b == MOTESOK_OK)
        b = msk_extraction_all(x, &read, &err);
    msk_extraction_close(x);
    close(fd);
    if (a != b)
        abort();
    if (a == MOTESOK_OK) {
        fuzz_check_text(read, true, true);
        if (whole->n_pages != read->n_pages || strcmp(whole->encoding, read->encoding) != 0)
            abort();
        for (size_t i = 0; i < whole->n_pages; i++)
            if (whole->page_lens[i] != read->page_lens[i] ||
                memcmp(whole->pages[i], read->pages[i], whole->page_lens[i]) != 0)
                abort();
    }
    motesok_text_free(whole);
    motesok_text_free(read);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const hints[] = {NULL, "utf-8", "us-ascii", "iso-8859-1", "utf-16le",
                                    "utf-16be", "unknown-8bit", "binary", "ebcdic", ""};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *hint = hints[data[0] % (sizeof hints / sizeof *hints)];
    msk_text_geometry g = {.big = 48u + data[0] % 7u * 40u, .part = 16u + data[0] % 5u * 24u,
                           .chunk = 1u + data[0] / 16u * 7u};
    data++, size--;
    check_chunked(data, size, hint, &g);
    motesok_extract_limits lim = {0};
    motesok_text *t = NULL;
    motesok_error err;
    if (motesok_extract_text_buffer(data, size, hint, &lim, &t, &err) == MOTESOK_OK) {
        fuzz_check_text(t, true, true);
        if (t->encoding == NULL)
            abort();
    } else if (t != NULL || err.message[0] == '\0') {
        abort(); /* a failure leaves no text and always says why */
    }
    motesok_text_free(t);
    char *norm = NULL;
    size_t len = 0;
    if (motesok_normalize_text((const char *)data, size, &norm, &len, &err) == MOTESOK_OK &&
        (!msk_valid_utf8(norm, len) || strlen(norm) != len))
        abort();
    free(norm);
    return 0;
}
