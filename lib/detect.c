/* File type detection by content with libmagic (include/motesok/detect.h). */
#include "internal.h"
#include "motesok/detect.h"

#include <errno.h>
#include <fcntl.h>
#include <magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DETECT_BYTES (1u << 20) /* libmagic looks at the start of a file */

struct motesok_detector {
    magic_t mime;    /* MAGIC_MIME_TYPE */
    magic_t charset; /* MAGIC_MIME_ENCODING */
};

/* Open one libmagic cookie with flags and the default database. */
static magic_t open_cookie(int flags, motesok_error *err)
{
    magic_t m = magic_open(flags | MAGIC_ERROR | MAGIC_NO_CHECK_COMPRESS |
                           MAGIC_NO_CHECK_ELF | MAGIC_NO_CHECK_TAR);
    if (m == NULL) {
        msk_error_set(err, MOTESOK_ERR_NOMEM, "libmagic: cannot allocate a cookie");
        return NULL;
    }
    if (magic_load(m, NULL) != 0) {
        msk_error_set(err, MOTESOK_ERR_INTERNAL, "libmagic: cannot load its database: %s",
                      magic_error(m) ? magic_error(m) : "unknown error");
        magic_close(m);
        return NULL;
    }
    return m;
}

motesok_status motesok_detector_open(motesok_detector **out, motesok_error *err)
{
    *out = NULL;
    motesok_detector *d = calloc(1, sizeof *d);
    if (d == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    d->mime = open_cookie(MAGIC_MIME_TYPE, err);
    d->charset = d->mime ? open_cookie(MAGIC_MIME_ENCODING, err) : NULL;
    if (d->charset == NULL) {
        motesok_detector_close(d);
        return err ? err->code : MOTESOK_ERR_INTERNAL;
    }
    *out = d;
    return MOTESOK_OK;
}

void motesok_detector_close(motesok_detector *d)
{
    if (d == NULL)
        return;
    if (d->mime != NULL)
        magic_close(d->mime);
    if (d->charset != NULL)
        magic_close(d->charset);
    free(d);
}

/* True if buf holds only white space (ASCII). */
static bool only_space(const unsigned char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' && buf[i] != '\r' && buf[i] != '\f')
            return false;
    return true;
}

/* True if buf starts with a UTF-16 byte order mark. */
static bool utf16_bom(const unsigned char *buf, size_t len)
{
    return len >= 2 && ((buf[0] == 0xFF && buf[1] == 0xFE) || (buf[0] == 0xFE && buf[1] == 0xFF));
}

/* Decide the kind from libmagic's MIME type and the bytes themselves. */
static motesok_kind classify(const motesok_detection *d, const unsigned char *buf, size_t len)
{
    if (len == 0 || only_space(buf, len))
        return MOTESOK_KIND_EMPTY;
    if (strcmp(d->mime, "application/pdf") == 0)
        return MOTESOK_KIND_PDF;
    if (strncmp(d->mime, "text/", 5) == 0 && strcmp(d->mime, "text/rtf") != 0)
        return MOTESOK_KIND_TEXT;
    if (utf16_bom(buf, len))
        return MOTESOK_KIND_TEXT;
    return MOTESOK_KIND_UNSUPPORTED;
}

motesok_status motesok_detect_buffer(motesok_detector *d, const void *buf, size_t len,
                                     motesok_detection *out, motesok_error *err)
{
    memset(out, 0, sizeof *out);
    size_t n = len > DETECT_BYTES ? DETECT_BYTES : len;
    const char *mime = n ? magic_buffer(d->mime, buf, n) : "application/x-empty";
    const char *cs = n ? magic_buffer(d->charset, buf, n) : "binary";
    if (mime == NULL || cs == NULL) {
        const char *e = magic_error(mime == NULL ? d->mime : d->charset);
        return msk_error_set(err, MOTESOK_ERR_INTERNAL, "libmagic: %s", e ? e : "unknown error");
    }
    snprintf(out->mime, sizeof out->mime, "%s", mime);
    snprintf(out->charset, sizeof out->charset, "%s", cs);
    out->kind = classify(out, buf, n);
    return MOTESOK_OK;
}

motesok_status motesok_detect_file(motesok_detector *d, const char *path,
                                   motesok_detection *out, motesok_error *err)
{
    memset(out, 0, sizeof *out);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return msk_error_set(err, MOTESOK_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    unsigned char *buf = malloc(DETECT_BYTES);
    if (buf == NULL) {
        close(fd);
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    }
    size_t len = 0;
    motesok_status st = MOTESOK_OK;
    while (len < DETECT_BYTES) {
        ssize_t r = read(fd, buf + len, DETECT_BYTES - len);
        if (r == 0)
            break;
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            st = msk_error_set(err, MOTESOK_ERR_IO, "cannot read %s: %s", path, strerror(errno));
            break;
        }
        len += (size_t)r;
    }
    close(fd);
    if (st == MOTESOK_OK)
        st = motesok_detect_buffer(d, buf, len, out, err);
    free(buf);
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
