/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesok-index: recursive folder walk with loop-safe symlink handling. */
#include "idx_walk.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A directory on the current descent path, for loop detection. */
typedef struct dir_frame {
    dev_t dev;
    ino_t ino;
    const struct dir_frame *up;
} dir_frame;

static void walk_dir(const char *path, const struct stat *st,
                     const dir_frame *up, const idx_walk_cb *cb);

bool idx_walk_resolve(const char *root, char *out)
{
    return realpath(root, out) != NULL;
}

/* True if (dev, ino) is already on the descent path. */
static bool on_path(const dir_frame *f, const struct stat *st)
{
    for (; f != NULL; f = f->up)
        if (f->dev == st->st_dev && f->ino == st->st_ino)
            return true;
    return false;
}

/* Name of a non-regular, non-directory file type. */
static const char *type_name(mode_t m)
{
    if (S_ISFIFO(m))
        return "a named pipe";
    if (S_ISSOCK(m))
        return "a socket";
    if (S_ISCHR(m) || S_ISBLK(m))
        return "a device";
    return "not a regular file";
}

/* Report a symlink to a regular file under its resolved target path. */
static void visit_link_target(const char *path, const idx_walk_cb *cb)
{
    char target[PATH_MAX];
    if (realpath(path, target) == NULL) {
        char why[PATH_MAX + 64];
        snprintf(why, sizeof why, "cannot resolve symlink: %s", strerror(errno));
        cb->problem(path, MOTESOK_ERR_IO, why, cb->ud);
        return;
    }
    cb->file(target, cb->ud);
}

/* Visit one entry: lstat it, follow symlinks carefully, recurse into folders. */
static void visit(const char *path, const dir_frame *up, const idx_walk_cb *cb)
{
    struct stat lst, st;
    if (lstat(path, &lst) != 0) {
        cb->problem(path, MOTESOK_ERR_IO, strerror(errno), cb->ud);
        return;
    }
    bool link = S_ISLNK(lst.st_mode);
    if (link && stat(path, &st) != 0) {
        const char *why = errno == ELOOP ? "symlink loop" :
                          errno == ENOENT ? "dangling symlink (its target does not exist)" :
                          strerror(errno);
        cb->problem(path, MOTESOK_ERR_IO, why, cb->ud);
        return;
    }
    if (!link)
        st = lst;
    if (S_ISDIR(st.st_mode)) {
        if (on_path(up, &st))
            cb->problem(path, MOTESOK_ERR_IO, "symlink loop: points back to a folder above it",
                        cb->ud);
        else
            walk_dir(path, &st, up, cb);
    } else if (S_ISREG(st.st_mode)) {
        if (link)
            visit_link_target(path, cb);
        else
            cb->file(path, cb->ud);
    } else {
        cb->problem(path, MOTESOK_ERR_UNSUPPORTED, type_name(st.st_mode), cb->ud);
    }
}

/* qsort comparator for entry names. */
static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read the names in dir (without "." entries), sorted; NULL on error. */
static char **read_names(DIR *dir, size_t *n_out)
{
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    for (;;) {
        e = readdir(dir);
        if (e == NULL)
            break;
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **p = realloc(names, cap * sizeof *p);
            if (p == NULL)
                break;
            names = p;
        }
        names[n] = strdup(e->d_name);
        if (names[n] == NULL)
            break;
        n++;
    }
    if (n > 1) /* an empty folder has no array to sort (names is NULL) */
        qsort(names, n, sizeof *names, cmp_names);
    *n_out = n;
    return names;
}

/* Walk the entries of folder path. */
static void walk_dir(const char *path, const struct stat *st,
                     const dir_frame *up, const idx_walk_cb *cb)
{
    DIR *dir = opendir(path);
    if (dir == NULL) {
        char why[300];
        snprintf(why, sizeof why, "cannot open folder: %s", strerror(errno));
        cb->problem(path, MOTESOK_ERR_IO, why, cb->ud);
        return;
    }
    dir_frame here = {.dev = st->st_dev, .ino = st->st_ino, .up = up};
    size_t n = 0;
    char **names = read_names(dir, &n);
    closedir(dir);
    bool root = strcmp(path, "/") == 0;
    for (size_t i = 0; i < n; i++) {
        char child[PATH_MAX];
        int len = snprintf(child, sizeof child, "%s/%s", root ? "" : path, names[i]);
        if (len < 0 || len >= (int)sizeof child)
            cb->problem(path, MOTESOK_ERR_INVALID, "path too long", cb->ud);
        else
            visit(child, &here, cb);
        free(names[i]);
    }
    free(names);
}

void idx_walk(const char *root, const idx_walk_cb *cb)
{
    visit(root, NULL, cb);
}
