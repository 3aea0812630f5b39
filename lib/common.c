/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Status codes, errors, memory and small shared helpers. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utf8proc.h>
#include <xxhash.h>

const char *motesok_strerror(motesok_status code)
{
    switch (code) {
#define MOTESOK_X_MSG(name, num, msg) case MOTESOK_##name: return msg;
        MOTESOK_STATUS_LIST(MOTESOK_X_MSG)
#undef MOTESOK_X_MSG
    }
    return "unknown status";
}

const char *motesok_status_name(motesok_status code)
{
    switch (code) {
#define MOTESOK_X_NAME(name, num, msg) case MOTESOK_##name: return #name;
        MOTESOK_STATUS_LIST(MOTESOK_X_NAME)
#undef MOTESOK_X_NAME
    }
    return "UNKNOWN";
}

void motesok_error_clear(motesok_error *err)
{
    if (err == NULL)
        return;
    err->code = MOTESOK_OK;
    err->message[0] = '\0';
}

motesok_status msk_error_set(motesok_error *err, motesok_status code,
                             const char *fmt, ...)
{
    if (err == NULL)
        return code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    if (n < 0)
        snprintf(err->message, sizeof err->message, "%s", motesok_strerror(code));
    return code;
}

void motesok_free(void *ptr)
{
    free(ptr);
}

const char *motesok_version(void)
{
    return "0.1.0";
}

char *msk_strdup(const char *s)
{
    return s == NULL ? NULL : strdup(s);
}

char *msk_strndup(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

/* Grow b so that it can hold need more bytes plus a NUL. */
static motesok_status buf_reserve(msk_buf *b, size_t need)
{
    size_t max = b->max ? b->max : SIZE_MAX - 1;
    if (need > max || b->len > max - need)
        return MOTESOK_ERR_TOO_BIG;
    size_t want = b->len + need + 1;
    if (want <= b->cap)
        return MOTESOK_OK;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < want)
        cap = cap > SIZE_MAX / 2 ? want : cap * 2;
    char *p = realloc(b->data, cap);
    if (p == NULL)
        return MOTESOK_ERR_NOMEM;
    b->data = p;
    b->cap = cap;
    return MOTESOK_OK;
}

motesok_status msk_buf_append(msk_buf *b, const void *data, size_t len)
{
    motesok_status st = buf_reserve(b, len);
    if (st != MOTESOK_OK)
        return st;
    if (len > 0)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return MOTESOK_OK;
}

motesok_status msk_buf_append_cp(msk_buf *b, int32_t c)
{
    utf8proc_uint8_t tmp[4];
    utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)c, tmp);
    return msk_buf_append(b, tmp, (size_t)n);
}

size_t msk_utf8_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

bool msk_is_letter(int32_t c)
{
    utf8proc_category_t cat = utf8proc_category(c);
    return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL;
}

bool msk_valid_utf8(const char *s, size_t len)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0;
    while (i < len) {
        if (p[i] < 0x80) { /* ASCII fast path */
            i++;
            continue;
        }
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &c);
        if (n < 1)
            return false;
        i += (size_t)n;
    }
    return true;
}

motesok_status msk_read_full(int fd, const char *path, void *buf, size_t cap, size_t *len,
                             motesok_error *err)
{
    unsigned char *p = buf;
    *len = 0;
    while (*len < cap) {
        ssize_t r = read(fd, p + *len, cap - *len);
        if (r == 0)
            break;
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return msk_error_set(err, MOTESOK_ERR_IO, "cannot read %s: %s", path, strerror(errno));
        *len += (size_t)r;
    }
    return MOTESOK_OK;
}

motesok_status msk_buf_terminate(msk_buf *b)
{
    motesok_status st = buf_reserve(b, 0);
    if (st == MOTESOK_OK)
        b->data[b->len] = '\0'; /* a new buffer's first byte was not set */
    return st;
}

void msk_buf_free(msk_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void motesok_path_id(const char *abs_path, char out[17])
{
    XXH64_hash_t h = XXH64(abs_path, strlen(abs_path), 0);
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

motesok_status motesok_file_hash(const char *path, char out[17], motesok_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return msk_error_set(err, MOTESOK_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    XXH64_state_t *state = XXH64_createState();
    if (state == NULL) {
        close(fd);
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory hashing %s", path);
    }
    XXH64_reset(state, 0);
    char buf[1 << 16];
    motesok_status st = MOTESOK_OK;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            st = msk_error_set(err, MOTESOK_ERR_IO, "cannot read %s: %s", path, strerror(errno));
            break;
        }
        XXH64_update(state, buf, (size_t)n);
    }
    if (st == MOTESOK_OK)
        snprintf(out, 17, "%016llx", (unsigned long long)XXH64_digest(state));
    XXH64_freeState(state);
    close(fd);
    return st;
}

char *msk_casefold(const char *s)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE |
                                      UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    if (n < 0)
        return NULL;
    return (char *)out;
}

void msk_crash_point(const char *name)
{
    static atomic_int passes; /* shard writer threads pass points too */
    const char *spec = getenv("MOTESOK_TEST_CRASH");
    size_t n = strlen(name);
    if (spec == NULL || strncmp(spec, name, n) != 0 || spec[n] != ':')
        return;
    if (atomic_fetch_add(&passes, 1) + 1 == atoi(spec + n + 1))
        raise(SIGKILL);
}

double msk_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
