/* SPDX-License-Identifier: GPL-2.0-or-later */
/* File type detection by content with libmagic (lib/detect.h). */
#include "internal.h"
#include "detect.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DETECT_BYTES ((size_t)1 << 20) /* bytes read to tell empty and binary files */
/* Bytes libmagic looks at: enough for every type it knows by content, and
 * its text tests (encoding, then rule after rule over the text) cost time
 * in proportion; the text decoder judges the encoding of the whole file. */
#define MAGIC_BYTES ((size_t)16 << 10)

struct motesok_detector {
    magic_t magic; /* MAGIC_MIME: "type/subtype; charset=name" in one pass */
};

motesok_status motesok_detector_open(motesok_detector **out, motesok_error *err)
{
    *out = NULL;
    motesok_detector *d = calloc(1, sizeof *d);
    if (d == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    d->magic = magic_open(MAGIC_MIME | MAGIC_ERROR | MAGIC_NO_CHECK_COMPRESS |
                          MAGIC_NO_CHECK_ELF | MAGIC_NO_CHECK_TAR);
    if (d->magic == NULL) {
        free(d);
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "libmagic: cannot allocate a cookie");
    }
    if (magic_load(d->magic, NULL) != 0) {
        msk_error_set(err, MOTESOK_ERR_INTERNAL, "libmagic: cannot load its database: %s",
                      magic_error(d->magic) ? magic_error(d->magic) : "unknown error");
        motesok_detector_close(d);
        return MOTESOK_ERR_INTERNAL;
    }
    *out = d;
    return MOTESOK_OK;
}

void motesok_detector_close(motesok_detector *d)
{
    if (d == NULL)
        return;
    if (d->magic != NULL)
        magic_close(d->magic);
    free(d);
}

/* Split libmagic's "type/subtype; charset=name" into out's mime and charset
 * (charset "binary" when libmagic names none). */
static void split_mime(const char *s, motesok_detection *out)
{
    const char *semi = strchr(s, ';');
    size_t n = semi ? (size_t)(semi - s) : strlen(s);
    snprintf(out->mime, sizeof out->mime, "%.*s", (int)n, s);
    const char *cs = semi ? strstr(semi, "charset=") : NULL;
    snprintf(out->charset, sizeof out->charset, "%s", cs ? cs + 8 : "binary");
}

/* True if code unit c is ASCII white space. */
static bool space_unit(unsigned c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* True if buf holds only white space: bytes, or UTF-16 units after a BOM
 * (a UTF-8 BOM is skipped). */
static bool only_space(const unsigned char *buf, size_t len)
{
    if (len >= 2 && ((buf[0] == 0xFF && buf[1] == 0xFE) || (buf[0] == 0xFE && buf[1] == 0xFF))) {
        bool le = buf[0] == 0xFF;
        for (size_t i = 2; i + 1 < len; i += 2) {
            unsigned u = le ? (unsigned)(buf[i] | buf[i + 1] << 8)
                            : (unsigned)(buf[i] << 8 | buf[i + 1]);
            if (!space_unit(u))
                return false;
        }
        return len % 2 == 0;
    }
    size_t i = len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF ? 3 : 0;
    for (; i < len; i++)
        if (!space_unit(buf[i]))
            return false;
    return true;
}

/* True if buf starts with a UTF-16 byte order mark. */
static bool utf16_bom(const unsigned char *buf, size_t len)
{
    return len >= 2 && ((buf[0] == 0xFF && buf[1] == 0xFE) || (buf[0] == 0xFE && buf[1] == 0xFF));
}

/* Decide the kind from libmagic's MIME type and the bytes themselves;
 * complete says whether buf is the whole content or only its start. */
static motesok_kind classify(const motesok_detection *d, const unsigned char *buf, size_t len,
                             bool complete)
{
    if (len == 0 || (complete && only_space(buf, len)))
        return MOTESOK_KIND_EMPTY;
    if (strcmp(d->mime, "application/pdf") == 0)
        return MOTESOK_KIND_PDF;
    /* RTF is text/ for libmagic, but its markup is not the document's text */
    if (strncmp(d->mime, "text/", 5) == 0 && strcmp(d->mime, "text/rtf") != 0)
        return MOTESOK_KIND_TEXT;
    /* UTF-16 with a BOM that libmagic did not recognise as text */
    if (strcmp(d->mime, "application/octet-stream") == 0 && utf16_bom(buf, len))
        return MOTESOK_KIND_TEXT;
    return MOTESOK_KIND_UNSUPPORTED;
}

/* True if the first n bytes of buf are valid UTF-8 but for a sequence cut
 * at the end; *ascii says if they are all ASCII. */
static bool utf8_prefix(const unsigned char *buf, size_t n, bool *ascii)
{
    size_t cut = n;
    *ascii = true;
    for (size_t i = 0; i < n; i++)
        *ascii = *ascii && buf[i] < 0x80;
    /* back off a lead byte whose sequence the prefix cuts short */
    for (size_t back = 0; back < 4 && cut > 0; back++) {
        unsigned char c = buf[cut - 1];
        if (c < 0x80)
            break;
        cut--;
        if (c >= 0xC0) {
            size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            cut = need == back + 1 ? n : cut; /* the last sequence is whole */
            break;
        }
    }
    return msk_valid_utf8((const char *)buf, cut);
}

/* Recognise plain UTF-8 text without libmagic (whose rules cost about a
 * millisecond a file): the prefix has no control bytes but white space
 * and form feeds, and its first word starts with a letter or digit (so no
 * markup, script, RTF, PostScript or JSON). False: ask libmagic. */
static bool plain_text(const unsigned char *buf, size_t n, motesok_detection *out)
{
    size_t i = n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF ? 3 : 0;
    while (i < n && space_unit(buf[i]))
        i++;
    if (i == n || !(isalnum(buf[i]) || (buf[i] >= 0xC3 && buf[i] <= 0xC5)))
        return false;
    for (size_t k = 0; k < n; k++)
        if ((buf[k] < 0x20 && !space_unit(buf[k])) || buf[k] == 0x7F)
            return false;
    bool ascii = false;
    if (!utf8_prefix(buf, n, &ascii))
        return false;
    snprintf(out->mime, sizeof out->mime, "text/plain");
    snprintf(out->charset, sizeof out->charset, "%s", ascii ? "us-ascii" : "utf-8");
    return true;
}

/* Detect the first n bytes of content; complete if they are all of it. */
static motesok_status detect_bytes(motesok_detector *d, const unsigned char *buf, size_t n,
                                   bool complete, motesok_detection *out, motesok_error *err)
{
    memset(out, 0, sizeof *out);
    if (!plain_text(buf, n < MAGIC_BYTES ? n : MAGIC_BYTES, out)) {
        const char *mime = n ? magic_buffer(d->magic, buf, n < MAGIC_BYTES ? n : MAGIC_BYTES)
                             : "application/x-empty";
        if (mime == NULL) {
            const char *e = magic_error(d->magic);
            return msk_error_set(err, MOTESOK_ERR_INTERNAL, "libmagic: %s",
                                 e ? e : "unknown error");
        }
        split_mime(mime, out);
    }
    out->kind = classify(out, buf, n, complete);
    /* text at the start, binary past it (a NUL byte): not a text file */
    if (out->kind == MOTESOK_KIND_TEXT && n > MAGIC_BYTES && !utf16_bom(buf, n) &&
        memchr(buf + MAGIC_BYTES, 0, n - MAGIC_BYTES) != NULL) {
        out->kind = MOTESOK_KIND_UNSUPPORTED;
        snprintf(out->mime, sizeof out->mime, "application/octet-stream");
        snprintf(out->charset, sizeof out->charset, "binary");
    }
    return MOTESOK_OK;
}

motesok_status motesok_detect_buffer(motesok_detector *d, const void *buf, size_t len,
                                     motesok_detection *out, motesok_error *err)
{
    size_t n = len > DETECT_BYTES ? DETECT_BYTES : len;
    motesok_status st = detect_bytes(d, buf, n, n == len, out, err);
    /* white space in the first MiB only: look at the rest before saying empty */
    if (st == MOTESOK_OK && n < len && only_space(buf, n) && only_space(buf, len))
        out->kind = MOTESOK_KIND_EMPTY;
    return st;
}

/* libmagic's name for a file that is not a regular file. */
static const char *inode_mime(mode_t mode)
{
    if (S_ISDIR(mode))
        return "inode/directory";
    if (S_ISFIFO(mode))
        return "inode/fifo";
    if (S_ISCHR(mode))
        return "inode/chardevice";
    if (S_ISBLK(mode))
        return "inode/blockdevice";
    if (S_ISSOCK(mode))
        return "inode/socket";
    return "inode/x-unknown";
}

/* Detect an open regular file of size bytes from its first MiB. */
static motesok_status detect_fd(motesok_detector *d, int fd, const char *path, off_t size,
                                motesok_detection *out, motesok_error *err)
{
    /* one byte more than the file should hold tells whether it grew */
    size_t cap = (uint64_t)size < DETECT_BYTES ? (size_t)size + 1 : DETECT_BYTES;
    unsigned char *buf = malloc(cap);
    if (buf == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    size_t len = 0;
    motesok_status st = msk_read_full(fd, path, buf, cap, &len, err);
    if (st == MOTESOK_OK)
        st = detect_bytes(d, buf, len, len < cap, out, err);
    free(buf);
    return st;
}

motesok_status motesok_detect_file(motesok_detector *d, const char *path,
                                   motesok_detection *out, motesok_error *err)
{
    memset(out, 0, sizeof *out);
    /* O_NONBLOCK: opening a FIFO must not wait for a writer */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return msk_error_set(err, MOTESOK_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    struct stat sb;
    motesok_status st = MOTESOK_OK;
    if (fstat(fd, &sb) != 0) {
        st = msk_error_set(err, MOTESOK_ERR_IO, "cannot stat %s: %s", path, strerror(errno));
    } else if (!S_ISREG(sb.st_mode)) {
        out->kind = MOTESOK_KIND_UNSUPPORTED;
        snprintf(out->mime, sizeof out->mime, "%s", inode_mime(sb.st_mode));
        snprintf(out->charset, sizeof out->charset, "binary");
    } else {
        st = detect_fd(d, fd, path, sb.st_size, out, err);
    }
    close(fd);
    return st;
}

const char *motesok_kind_name(motesok_kind kind)
{
    switch (kind) {
    case MOTESOK_KIND_PDF: return "pdf";
    case MOTESOK_KIND_TEXT: return "text";
    case MOTESOK_KIND_EMPTY: return "empty";
    case MOTESOK_KIND_UNSUPPORTED: break;
    }
    return "unsupported";
}
