/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesok-index: walking the folders given on the command line. */
#ifndef IDX_WALK_H
#define IDX_WALK_H

#include <motesok/motesok.h>

/* What the walk reports. Paths are absolute and borrowed for the call. */
typedef struct idx_walk_cb {
    /* A regular file to index (a symlink to a file reports its target). */
    void (*file)(const char *path, void *ud);
    /* Something that cannot be indexed (symlink loop, dangling link,
     * unreadable folder, not a regular file), with the reason. */
    void (*problem)(const char *path, motesok_status code, const char *why, void *ud);
    void *ud;
} idx_walk_cb;

/* Make root absolute into out (PATH_MAX bytes); false with errno if it
 * does not exist or cannot be reached. */
bool idx_walk_resolve(const char *root, char *out);

/* Walk an absolute root (a folder or a single file) in name order, skipping
 * names that start with '.', following symlinks but never into a loop. */
void idx_walk(const char *root, const idx_walk_cb *cb);

#endif
