/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesokd: the HTTP API as an OpenAPI 3 document (searchd/openapi.json,
 * compiled in by cmake/embed.cmake), served at /api/v1/openapi.json. */
#ifndef SD_OPENAPI_H
#define SD_OPENAPI_H

#include <stddef.h>

/* The JSON text of searchd/openapi.json, NUL-terminated. */
extern const char sd_openapi_json[];

/* Its length in bytes, without the NUL. */
extern const size_t sd_openapi_json_len;

#endif
