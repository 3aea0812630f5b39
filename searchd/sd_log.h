/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesokd: the access log, one JSON object per line. */
#ifndef SD_LOG_H
#define SD_LOG_H

#include <stdbool.h>

/* Log to path (appending), or to stderr when path is NULL or "-". False
 * (with errno) if the file cannot be opened. */
bool sd_log_open(const char *path);

/* Reopen the log file (after rotation; on SIGHUP). False if it cannot be
 * reopened; logging then goes on to the old file. */
bool sd_log_reopen(void);

/* Write one request: method, path (query string cut), HTTP status,
 * seconds taken, and whether the client went away first. Thread-safe. */
void sd_log_request(const char *method, const char *path, unsigned status, double secs,
                    bool aborted);

/* Close the log file. */
void sd_log_close(void);

#endif
