/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: the Norwegian date finder on arbitrary bytes. */
#include "minutes/minutes.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int y = 0, m = 0, d = 0;
    size_t at = 0, len = 0;
    if (motesok_parse_date((const char *)data, size, &y, &m, &d, &at, &len) == MOTESOK_OK) {
        /* a found date is a real calendar date inside the input */
        if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1 || d > 31 || at + len > size)
            abort();
    }
    return 0;
}
