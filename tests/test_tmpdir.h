/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Temporary folders for the tests: made under /tmp, removed with all they
 * hold. Include after the system headers (nftw needs _XOPEN_SOURCE). */
#ifndef MSK_TEST_TMPDIR_H
#define MSK_TEST_TMPDIR_H

#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/* Make a new folder /tmp/motesok-NAME-XXXXXX into dir (size bytes). */
static inline bool msk_test_mkdtemp(char *dir, size_t size, const char *name)
{
    int n = snprintf(dir, size, "/tmp/motesok-%s-XXXXXX", name);
    return n > 0 && (size_t)n < size && mkdtemp(dir) != NULL;
}

/* nftw callback: remove one entry. */
static inline int msk_test_rm_entry(const char *path, const struct stat *st, int flag,
                                    struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(path);
}

/* Remove dir and everything below it, not following symbolic links. */
static inline void msk_test_rmtree(const char *dir)
{
    nftw(dir, msk_test_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
