/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Query trees (lib/xapian/xapian.h): plain C nodes that the shim turns
 * into Xapian queries and back. */
#include "xapian/xapian.h"

#include <stdlib.h>
#include <string.h>

/* A new node of op holding nothing yet (refs 1). */
static motesok_xtree *node(motesok_xtop op)
{
    motesok_xtree *t = calloc(1, sizeof *t);
    if (t != NULL) {
        t->op = op;
        t->refs = 1;
        t->wqf = 1;
    }
    return t;
}

motesok_xtree *motesok_xtree_term(const char *term)
{
    motesok_xtree *t = node(MOTESOK_XT_TERM);
    if (t != NULL && (t->term = msk_strndup(term, strlen(term))) == NULL) {
        free(t);
        return NULL;
    }
    return t;
}

motesok_xtree *motesok_xtree_op(motesok_xtop op, motesok_xtree **kids, size_t n, unsigned param)
{
    bool ok = true;
    for (size_t i = 0; i < n; i++)
        ok = ok && kids[i] != NULL;
    motesok_xtree *t = ok ? node(op) : NULL;
    if (t != NULL && n > 0 && (t->kids = malloc(n * sizeof *t->kids)) == NULL) {
        free(t);
        t = NULL;
    }
    if (t == NULL) {
        for (size_t i = 0; i < n; i++)
            motesok_xtree_free(kids[i]);
        return NULL;
    }
    if (n > 0)
        memcpy(t->kids, kids, n * sizeof *kids);
    t->n_kids = n;
    t->param = param;
    return t;
}

motesok_xtree *motesok_xtree_op2(motesok_xtop op, motesok_xtree *a, motesok_xtree *b)
{
    motesok_xtree *kids[2] = {a, b};
    return motesok_xtree_op(op, kids, 2, 0);
}

motesok_xtree *motesok_xtree_scale(motesok_xtree *kid, double factor)
{
    motesok_xtree *t = motesok_xtree_op(MOTESOK_XT_SCALE_WEIGHT, &kid, 1, 0);
    if (t != NULL)
        t->factor = factor;
    return t;
}

motesok_xtree *motesok_xtree_fixed(double weight)
{
    motesok_xtree *t = node(MOTESOK_XT_FIXED);
    if (t != NULL)
        t->factor = weight;
    return t;
}

motesok_xtree *motesok_xtree_wildcard(const char *pattern, unsigned max)
{
    motesok_xtree *t = motesok_xtree_term(pattern);
    if (t != NULL) {
        t->op = MOTESOK_XT_WILDCARD;
        t->param = max;
    }
    return t;
}

motesok_xtree *motesok_xtree_ref(motesok_xtree *t)
{
    if (t != NULL)
        t->refs++;
    return t;
}

void motesok_xtree_free(motesok_xtree *t)
{
    if (t == NULL || --t->refs > 0)
        return;
    for (size_t i = 0; i < t->n_kids; i++)
        motesok_xtree_free(t->kids[i]);
    free(t->kids);
    free(t->term);
    free(t->typed);
    motesok_xquery_free(t->orig);
    motesok_xtree_free(t->held);
    free(t);
}
