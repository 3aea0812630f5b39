/* Møtesøk — the whole public API of libmotesok. */
#ifndef MOTESOK_H
#define MOTESOK_H

#include "motesok/common.h"
#include "motesok/xapian.h"
#include "motesok/detect.h"
#include "motesok/extract.h"
#include "motesok/store.h"
#include "motesok/schema.h"
#include "motesok/index.h"
#include "motesok/minutes.h"
#include "motesok/search.h"

#endif
