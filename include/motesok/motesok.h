/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Møtesøk — the whole public API of libmotesok. */
#ifndef MOTESOK_H
#define MOTESOK_H

#include "motesok/common.h"
#include "motesok/index.h"
#include "motesok/search.h"

#endif
