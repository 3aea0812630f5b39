/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesokd: the access log — JSON lines, reopened on SIGHUP. */
#include "sd_log.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *log_file;     /* NULL: stderr */
static char *log_path;

bool sd_log_open(const char *path)
{
    if (path == NULL || strcmp(path, "-") == 0)
        return true;
    FILE *f = fopen(path, "a");
    if (f == NULL)
        return false;
    setvbuf(f, NULL, _IOLBF, 0);
    log_path = strdup(path);
    log_file = f;
    return log_path != NULL;
}

bool sd_log_reopen(void)
{
    if (log_path == NULL)
        return true;
    FILE *f = fopen(log_path, "a");
    if (f == NULL)
        return false;
    setvbuf(f, NULL, _IOLBF, 0);
    pthread_mutex_lock(&log_lock);
    FILE *old = log_file;
    log_file = f;
    pthread_mutex_unlock(&log_lock);
    fclose(old);
    return true;
}

/* Current UTC time with milliseconds, ISO 8601, into out[32]. */
static void timestamp(char out[32])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%03dZ", (int)(ts.tv_nsec / 1000000) % 1000);
}

void sd_log_request(const char *method, const char *path, unsigned status, double secs,
                    bool aborted)
{
    char ts[32];
    timestamp(ts);
    json_t *j = json_pack("{s:s, s:s, s:s, s:i, s:f, s:b}", "ts", ts, "method", method,
                          "path", path, "status", (int)status,
                          "ms", (double)(long long)(secs * 1e6) / 1e3, "aborted", aborted);
    char *line = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))
                   : NULL;
    json_decref(j);
    if (line == NULL)
        return;
    pthread_mutex_lock(&log_lock);
    FILE *f = log_file ? log_file : stderr;
    fputs(line, f);
    fputc('\n', f);
    pthread_mutex_unlock(&log_lock);
    free(line);
}

void sd_log_close(void)
{
    if (log_file != NULL)
        fclose(log_file);
    log_file = NULL;
    free(log_path);
    log_path = NULL;
}
