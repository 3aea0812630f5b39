/* libFuzzer target: plain-text decoding (BOM, UTF-8, UTF-16, CP1252,
 * Latin-1) and normalisation on arbitrary bytes. The first byte picks the
 * charset hint libmagic could have given; the rest is the file. Whatever
 * is decoded must be valid UTF-8 whose page lengths add up. */
#include "internal.h"
#include "extract/extract.h"
#include "fuzz_check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const hints[] = {NULL, "utf-8", "us-ascii", "iso-8859-1", "utf-16le",
                                    "utf-16be", "unknown-8bit", "binary", "ebcdic", ""};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *hint = hints[data[0] % (sizeof hints / sizeof *hints)];
    data++, size--;
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
