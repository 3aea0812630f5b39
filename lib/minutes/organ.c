/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The organ (the body that met) and the kommune it belongs to, from the
 * header lines; a name or nothing, never a sentence or a label. */
#define _GNU_SOURCE /* memmem */
#include "minutes/mn.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#define ORGAN_WORDS 8   /* an organ name has at most this many words */
#define ORGAN_LINES 12  /* filled header lines searched for a title */

/* Word stems of organ names, matched case-insensitively inside words. */
static const char *const organ_stems[] = {
    "rådmannsutval", "rådmannsgrupp", "regionråd", "kommunestyre", "formannskap", "bystyre",
    "fylkesting", "fylkesutval", "kontrollutval", "hovudutval", "hovedutval", "eldreråd",
    "ungdomsråd", "styringsgrupp", "arbeidsutval", "samarbeidsråd", "nettverk", "utvalg",
    "utvalet", "utval ", "komite", "komité", "nemnd", "representantskap", "styret", "rådet",
    "råd for", "levekårsutval", "planutval", "driftsutval", "bydelsutval", "fylkesråd", "byråd",
    "valgstyre", "valstyre", "tenesteutval", "tjenesteutval", "sektorutval", "arbeidsmiljøutval",
    "heradsstyre", "fylkesråd", "partssamansett", "partssammensatt", "administrasjonsutval",
};

/* Document-type words and labels: never an organ, and cut from one. */
static const char *const label_words[] = {
    "møteprotokoll", "protokoll", "møtebok", "møteinnkalling", "innkalling", "innkalling til",
    "referat", "saksliste", "sakliste", "saksframlegg", "saksprotokoll", "utskrift", "møtested",
    "møtestad", "møtedato", "møtetid", "møtetidspunkt", "dato", "tid", "sted", "stad", "kl",
    "kl.", "saksnr", "arkivsak", "type", "møte", "til stede", "tilstede", "forfall",
};

/* Leading words of a title line that are not part of the organ's name. */
static const char *const lead_words[] = {
    "utskrift", "av", "referat", "protokoll", "møteprotokoll", "møtebok", "fra", "frå", "møte",
    "møtet", "i", "for", "-", "–", "innkalling", "til", "møteinnkalling", "saksprotokoll", "ekstraordinært",
    "ekstraordinert", "konstituerende", "konstituerande", "sakliste", "saksliste", "og",
};

static bool in_list(const char *p, size_t n, const char *const *list, size_t cnt);
static bool has_organ_stem(const char *p, size_t len);
static bool kommune_on_line(const mn_line *l, char **out, bool county_only);

bool msk_mn_has_organ_stem(const char *p, size_t len)
{
    return has_organ_stem(p, len);
}

/* True if generic organ word stem stands in p[0..len) as part of a name:
 * inside a compound ("Helse- og velferdskomiteen", "Eldrerådet") or
 * capitalised ("Utval for plan og miljø"). */
static bool named_generic(const char *p, size_t len, const char *stem)
{
    size_t n = strlen(stem);
    for (size_t i = 0; i + n <= len; i++) {
        if (!msk_mn_contains_ci(p + i, n, stem))
            continue;
        bool compound = i > 0 && (isalpha((unsigned char)p[i - 1]) || (unsigned char)p[i - 1] >= 0x80);
        bool capital = isupper((unsigned char)p[i]) || ((unsigned char)p[i] == 0xC3 && i + 1 < len &&
                                                        (unsigned char)p[i + 1] >= 0x80 &&
                                                        (unsigned char)p[i + 1] <= 0x9E);
        if (compound || capital)
            return true;
    }
    return false;
}

bool msk_mn_other_organ(const char *p, size_t len, const char *organ)
{
    if (organ == NULL)
        return false;
    /* words any body uses of itself ("Handsaming i utvalet") */
    static const char *const generic[] = {"utvalg", "utvalet", "utval ", "styret", "rådet", "komite",
                                          "komité", "nemnd", "råd for", "nettverk"};
    size_t on = strlen(organ);
    bool named = false;
    for (size_t k = 0; k < MN_N_OF(organ_stems); k++) {
        if (!msk_mn_contains_ci(p, len, organ_stems[k]))
            continue;
        if (msk_mn_contains_any_ci(organ_stems[k], strlen(organ_stems[k]), generic, MN_N_OF(generic)) &&
            !named_generic(p, len, organ_stems[k]))
            continue; /* "i utvalet", "styret": the body speaking of itself */
        named = true;
        if (msk_mn_contains_ci(organ, on, organ_stems[k]))
            return false; /* a stem both share: the same body */
    }
    return named;
}

/* True if p[0..len) holds an organ stem. */
static bool has_organ_stem(const char *p, size_t len)
{
    for (size_t k = 0; k < MN_N_OF(organ_stems); k++)
        if (msk_mn_contains_ci(p, len, organ_stems[k]))
            return true;
    return false;
}

/* Upper-case ASCII letters and Æ Ø Å of s[0..len) into out (letters only),
 * leaving out the letter drop (0 for none); returns the length. */
static size_t squash(const char *s, size_t len, char drop, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 2 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xC3 && i + 1 < len) {
            unsigned char c2 = (unsigned char)s[i + 1] & 0xDF; /* å → Å */
            out[n++] = (char)c, out[n++] = (char)c2;
            i++;
        } else if (isalpha(c) && toupper(c) != drop) {
            out[n++] = (char)toupper(c);
        }
    }
    out[n] = '\0';
    return n;
}

/* True if a equals b with every copy of the upper-case ASCII letter drop
 * taken out of b. */
static bool equal_without(const char *a, const char *b, char drop)
{
    for (;; b++) {
        if (*b == drop)
            continue;
        if (*a != *b)
            return false;
        if (*b == '\0')
            return true;
        a++;
    }
}

/* True if text equals word w, also when a broken font lost every copy of
 * one letter of w ("MØTEI KALLI G" for MØTEINNKALLING). */
static bool lossy_equal(const char *p, size_t len, const char *w)
{
    char a[128], b[128];
    if (len >= sizeof a / 2)
        return false;
    size_t na = squash(p, len, 0, a, sizeof a);
    size_t nb = squash(w, strlen(w), 0, b, sizeof b);
    if (na > nb)
        return false;
    if (na == nb)
        return strcmp(a, b) == 0;
    for (size_t i = 0; i < nb; i++) {
        unsigned char c = (unsigned char)b[i];
        if (c >= 0x80) { /* Æ Ø Å: two bytes, never dropped */
            i++;
            continue;
        }
        if (memchr(b, c, i) == NULL && equal_without(a, b, (char)c))
            return true;
    }
    return false;
}

bool msk_mn_is_label_word(const char *p, size_t len)
{
    static const char *const lossy[] = {"møteinnkalling", "møteprotokoll", "møtebok", "protokoll",
                                        "saksliste", "innkalling", "referat"};
    while (len > 0 && (p[len - 1] == ':' || p[len - 1] == ' '))
        len--;
    for (size_t k = 0; k < MN_N_OF(label_words); k++)
        if (msk_mn_starts_word_ci(p, len, label_words[k]) && strlen(label_words[k]) == len)
            return true;
    for (size_t k = 0; k < MN_N_OF(lossy); k++)
        if (lossy_equal(p, len, lossy[k]))
            return true;
    return false;
}

/* Length of the first k words of p[0..len) (k >= 1). */
static size_t first_words(const char *p, size_t len, int k)
{
    size_t i = 0;
    for (int w = 0; w < k && i < len; w++) {
        while (i < len && p[i] == ' ')
            i++;
        while (i < len && p[i] != ' ')
            i++;
    }
    return i;
}

bool msk_mn_opens_with(const char *p, size_t len, const char *w)
{
    if (msk_mn_starts_word_ci(p, len, w))
        return true;
    for (int k = 1; k <= 3; k++) {
        size_t n = first_words(p, len, k);
        if (lossy_equal(p, n, w))
            return true;
        if (n == len)
            break;
    }
    return false;
}

/* True if the text after a comma in a name goes on listing its fields:
 * a lower-case word, and "og" within the next four words ("Hovedutvalg
 * for miljø, idrett og kultur", "Plan-, teknikk- og miljøutvalet"). */
static bool enumeration_goes_on(const char *p, size_t len)
{
    size_t i = 0;
    while (i < len && p[i] == ' ')
        i++;
    if (i >= len || !(islower((unsigned char)p[i]) || (unsigned char)p[i] == 0xC3))
        return false;
    if ((unsigned char)p[i] == 0xC3 && (i + 1 >= len || (unsigned char)p[i + 1] < 0xA0))
        return false; /* Æ Ø Å: a capital */
    for (int w = 0; w < 5 && i < len; w++) {
        size_t e = i;
        while (e < len && p[e] != ' ' && p[e] != ',')
            e++;
        if (e - i == 2 && !memcmp(p + i, "og", 2))
            return true;
        if (e < len && p[e] == ',')
            return false;
        i = e;
        while (i < len && p[i] == ' ')
            i++;
    }
    return false;
}

/* Byte length of the name at s: up to a date, a dash tail, ':' or ',', or a
 * glued label word ("Kontrollutvalet Møtestad"). */
static size_t organ_extent(const char *s, size_t len)
{
    size_t n = len;
    int y, m, d;
    size_t at = 0;
    if (motesok_parse_date(s, len, &y, &m, &d, &at, NULL) == MOTESOK_OK && at < n)
        n = at;
    static const char *const cuts[] = {" – ", " - ", " — ", ":", "(", "  ", "\t", " den ",
                                       " innkalles", " innkallast", " kalles inn", " holder møte",
                                       " har møte", " held møte"};
    for (size_t k = 0; k < MN_N_OF(cuts); k++) {
        const char *c = memmem(s, n, cuts[k], strlen(cuts[k]));
        if (c != NULL)
            n = (size_t)(c - s);
    }
    for (const char *c = memchr(s, ',', n); c != NULL; c = memchr(c + 1, ',', n - (size_t)(c + 1 - s)))
        if (!enumeration_goes_on(c + 1, n - (size_t)(c + 1 - s))) {
            n = (size_t)(c - s);
            break;
        }
    for (size_t i = 1; i < n; i++) {
        if (s[i - 1] != ' ')
            continue;
        for (size_t k = 0; k < MN_N_OF(label_words); k++)
            if (msk_mn_starts_word_ci(s + i, n - i, label_words[k]) && strlen(label_words[k]) > 3) {
                n = i;
                break;
            }
    }
    const char *in = memmem(s, n, " i ", 3);
    if (in == NULL && msk_mn_shouting(s, n))
        in = memmem(s, n, " I ", 3);
    if (in != NULL && in + 3 < s + n && (isupper((unsigned char)in[3]) || (unsigned char)in[3] == 0xC3) &&
        !(msk_mn_contains_ci(s, (size_t)(in - s), "region") &&
          !msk_mn_contains_ci(in, (size_t)(s + n - in), " kommune")))
        n = (size_t)(in - s); /* "Kontrollutvalget i Frosta kommune": the kommune follows;
                                 "Regionrådet i Midt-Troms" names a region, kept */
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '.' || s[n - 1] == '-'))
        n--;
    return n;
}

/* Capitalise the first letter of UTF-8 word w in place when its upper-case
 * form has the same byte length. */
static void capitalise(char *w)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)w, -1, &c);
    if (n < 1)
        return;
    utf8proc_uint8_t up[4];
    if (utf8proc_encode_char(utf8proc_toupper(c), up) == n)
        memcpy(w, up, (size_t)n);
}

/* Display form of a SHOUTING name: "Regionrådet for Hallingdal"; words after
 * "for"/"i" and after '-' keep a capital (place names); acronyms stay. */
static char *calm_name_min(const char *s, size_t len, size_t min)
{
    char *raw = msk_mn_copy_clean(s, len, 120);
    if (raw == NULL || strlen(raw) < min || !msk_mn_shouting(raw, strlen(raw)))
        return raw;
    char *f = msk_casefold(raw);
    free(raw);
    if (f == NULL)
        return NULL;
    bool capital_next = true;
    for (char *p = f; *p != '\0';) {
        size_t n = strcspn(p, " -");
        bool small = (n == 3 && !strncmp(p, "for", 3)) || (n == 1 && *p == 'i') ||
                     (n == 2 && !strncmp(p, "og", 2));
        if (capital_next && !small)
            capitalise(p);
        /* after a definite head ("REGIONRÅDET NORDHORDLAND") a name follows */
        bool definite_head = p == f && n > 4 && p[n] == ' ' &&
                             (!strncmp(p + n - 2, "et", 2) || !strncmp(p + n - 2, "en", 2));
        capital_next = small || p[n] == '-' || definite_head;
        p += n;
        while (*p == ' ' || *p == '-')
            p++;
    }
    return f;
}

/* The body of a one-word "<organ>møte" name in definite form
 * ("Representantskapsmøte" → "Representantskapet", "Styremøte" →
 * "Styret"), in place; names of other shapes stay as they are. */
static void body_of_meeting(char *name)
{
    static const char mote[] = "m\xc3\xb8te"; /* "møte" */
    size_t n = strlen(name), m = sizeof mote - 1;
    if (strchr(name, ' ') != NULL || n < m + 4 || strcmp(name + n - m, mote) != 0)
        return;
    n -= m;
    if (name[n - 1] == 's' && name[n - 2] != 's')
        n--; /* the linking s: "representantskaps" */
    if (name[n - 1] == 'e')
        memcpy(name + n, "t", 2);
    else
        memcpy(name + n, "et", 3); /* fits: "møte" was longer */
}

/* Organ nouns in indefinite form and their definite names: "Hareid
 * kommunestyre" is the kommune's Kommunestyret. */
static const char *const indefinite[][2] = {
    {"kommunestyre", "Kommunestyret"}, {"bystyre", "Bystyret"}, {"heradsstyre", "Heradsstyret"},
    {"formannskap", "Formannskapet"}, {"kontrollutvalg", "Kontrollutvalget"},
    {"kontrollutval", "Kontrollutvalet"}, {"eldreråd", "Eldrerådet"}, {"fylkesting", "Fylkestinget"},
    {"fylkesutvalg", "Fylkesutvalget"}, {"fylkesutval", "Fylkesutvalet"},
};

/* The definite name of "<Place> <organ noun> …" in name (replaced in
 * place, which fits: the place is dropped), else name unchanged. */
static void place_organ(char *name)
{
    char *sp = strchr(name, ' ');
    if (sp == NULL || sp == name || sp[-1] == 's' || !isupper((unsigned char)name[0]))
        return; /* "Bystyrets formannskap" is a name of its own */
    size_t w = strcspn(sp + 1, " ");
    for (size_t k = 0; k < MN_N_OF(indefinite); k++)
        if (w == strlen(indefinite[k][0]) && strncasecmp(sp + 1, indefinite[k][0], w) == 0 &&
            strlen(indefinite[k][1]) <= strlen(name)) {
            strcpy(name, indefinite[k][1]);
            return;
        }
}

/* Company forms after a body's name ("Regionrådet Nordhordland IKS"):
 * the legal form, not the body's name. */
static void drop_company_form(char *name)
{
    static const char *const forms[] = {" IKS", " iks", " Iks", " AS", " KF", " SA"};
    size_t n = strlen(name);
    for (size_t k = 0; k < MN_N_OF(forms); k++) {
        size_t f = strlen(forms[k]);
        if (n > f + 3 && strcmp(name + n - f, forms[k]) == 0) {
            name[n - f] = '\0';
            return;
        }
    }
}

/* calm_name for organs: names of five bytes or less stay (acronyms); a
 * "<organ>møte" names the body; "<Place> kommunestyre" is Kommunestyret. */
static char *calm_name(const char *s, size_t len)
{
    char *o = calm_name_min(s, len, 6);
    if (o != NULL) {
        drop_company_form(o);
        body_of_meeting(o);
        place_organ(o);
    }
    return o;
}

/* A valid organ name at s[0..n): a few words, an organ stem or a short
 * acronym, not a label or a kommune; its display copy or NULL. */
static char *organ_name(const char *s, size_t n, bool need_stem)
{
    static const char *const joins[] = {"for", "og", "i", "med", "fra", "frå", "til", "om"};
    const char *sp = memchr(s, ' ', n);
    if (sp != NULL && sp > s && sp[-1] != ',' && sp + 1 < s + n && islower((unsigned char)sp[1]) &&
        !has_organ_stem(sp + 1, strcspn(sp + 1, " ") < (size_t)(s + n - sp - 1) ? strcspn(sp + 1, " ")
                                                                                : (size_t)(s + n - sp - 1)) &&
        !in_list(sp + 1, strcspn(sp + 1, " ") < (size_t)(s + n - sp - 1) ? strcspn(sp + 1, " ")
                                                                          : (size_t)(s + n - sp - 1),
                 joins, MN_N_OF(joins)))
        n = (size_t)(sp - s); /* "Kommunestyret har hatt …": a sentence goes on */
    if (n == 0 || n > 120 || msk_mn_words(s, n) > ORGAN_WORDS || msk_mn_is_label_word(s, n))
        return NULL;
    if (memchr(s, '.', n) != NULL || memchr(s, '@', n) != NULL || memchr(s, '/', n) != NULL)
        return NULL;
    bool acronym = n <= 5 && msk_mn_shouting(s, n);
    if (need_stem && !has_organ_stem(s, n) && !acronym)
        return NULL;
    if (msk_mn_contains_ci(s, n, " kommune") || msk_mn_contains_ci(s, n, "fylkeskommune"))
        if (!has_organ_stem(s, n))
            return NULL;
    return calm_name(s, n);
}

char *msk_mn_organ_name(const char *p, size_t len)
{
    return organ_name(p, organ_extent(p, len), false);
}

/* The organ after a label ("Utval:", "Organ:", "Møte i:") on line i, or on
 * the next filled line when the label stands alone. */
static char *organ_after_label(const mn_doc *d, size_t i, size_t hend)
{
    static const char *const labels[] = {"Utvalg", "Utval", "Organ", "Styre/råd/utvalg",
                                         "Styre, råd, utval", "Møte i", "Møtet gjaldt"};
    const mn_line *l = &d->lines[i];
    for (size_t k = 0; k < MN_N_OF(labels); k++) {
        size_t n = strlen(labels[k]);
        if (!msk_mn_starts_word_ci(l->p, l->len, labels[k]))
            continue;
        const char *p = l->p + n, *e = l->p + l->len;
        while (p < e && (*p == ':' || *p == ' ' || *p == '|' || *p == '\t'))
            p++;
        if (p == e) {
            size_t j = msk_mn_next_filled(d, i + 1);
            if (j >= hend)
                return NULL;
            p = d->lines[j].p, e = p + d->lines[j].len;
        }
        /* "Møte i Lærdal, Lindstrøm hotell" names a place: only an organ
         * word or an acronym counts after it */
        bool place_too = msk_mn_starts_word_ci(labels[k], n, "Møte i");
        return organ_name(p, organ_extent(p, (size_t)(e - p)), place_too);
    }
    return NULL;
}

/* The organ named after a phrase like "møte i " or "Protokoll fra ". */
static char *organ_after_phrase(const mn_line *l)
{
    static const char *const phrases[] = {"møte i ", "møtet i ", "Møte i ", "møte for ", "møte med "};
    for (size_t k = 0; k < MN_N_OF(phrases); k++) {
        const char *p = memmem(l->p, l->len, phrases[k], strlen(phrases[k]));
        if (p == NULL)
            continue;
        p += strlen(phrases[k]);
        char *o = organ_name(p, organ_extent(p, l->len - (size_t)(p - l->p)), true);
        if (o != NULL)
            return o;
    }
    return NULL;
}

/* The organ named by a title line, without leading "Referat fra" words. */
static char *organ_from_title(const mn_line *l)
{
    if (!has_organ_stem(l->p, l->len))
        return NULL;
    const char *p = l->p, *e = l->p + l->len;
    /* a web page's breadcrumb: "Politikk > Politiske møter > Fylkesutvalget" */
    for (const char *q = memmem(p, l->len, " > ", 3); q != NULL; q = memmem(q + 3, (size_t)(e - q - 3), " > ", 3))
        if (has_organ_stem(q + 3, strcspn(q + 3, " ") < (size_t)(e - q - 3) ? strcspn(q + 3, " ")
                                                                            : (size_t)(e - q - 3)))
            p = q + 3; /* the piece opens with the organ's name */
    /* a letterhead and a document type before the name on one line
     * ("1 KARMØY KOMMUNE MØTEPROTOKOLL Hovedutvalg for …"): the name
     * follows the document-type word */
    static const char *const types[] = {"MØTEPROTOKOLL", "Møteprotokoll", "MØTEBOK", "Møtebok",
                                        "PROTOKOLL", "MØTEINNKALLING", "Møteinnkalling", "REFERAT"};
    for (size_t k = 0; k < MN_N_OF(types); k++) {
        size_t n = strlen(types[k]);
        for (const char *q = memmem(p, (size_t)(e - p), types[k], n); q != NULL;
             q = memmem(q + 1, (size_t)(e - q - 1), types[k], n))
            if (q > l->p && q[-1] == ' ' && q + n < e && q[n] == ' ' && has_organ_stem(q + n, (size_t)(e - q - n)))
                p = q + n + 1;
    }
    for (bool skipped = true; skipped;) {
        skipped = false;
        for (size_t k = 0; k < MN_N_OF(lead_words); k++) {
            size_t n = strlen(lead_words[k]);
            if ((size_t)(e - p) > n && msk_mn_starts_word_ci(p, (size_t)(e - p), lead_words[k]) &&
                (p[n] == ' ' || p[n] == ':')) {
                p += n + 1;
                while (p < e && (*p == ' ' || *p == ':'))
                    p++;
                skipped = true;
            }
        }
    }
    return organ_name(p, organ_extent(p, (size_t)(e - p)), true);
}

/* True if known name w is inside line text, also when a broken font lost
 * every copy of one letter in both ("KOMMU ESTYRET"). */
static bool lossy_inside(const char *p, size_t len, const char *w)
{
    char a[256], b[128];
    if (len >= sizeof a / 2)
        return false;
    for (const char *c = w; *c != '\0'; c++) {
        char drop = (char)toupper((unsigned char)*c);
        if (!isalpha((unsigned char)*c) || strchr(w, *c) != c)
            continue;
        squash(p, len, drop, a, sizeof a);
        squash(w, strlen(w), drop, b, sizeof b);
        if (strlen(b) >= 6 && strstr(a, b) != NULL)
            return true;
    }
    return false;
}

/* True if line text may have lost letters to a broken font: it is in
 * capitals, or has a one-letter token that no word is ("Kommu e"). */
static bool lost_letters(const char *p, size_t len)
{
    if (msk_mn_shouting(p, len))
        return true; /* "KONTRO  UTVA ET": capitals, where fonts break */
    for (size_t i = 0; i < len; i++) {
        bool start = i == 0 || p[i - 1] == ' ';
        size_t n = (unsigned char)p[i] >= 0xC3 ? 2 : 1;
        bool end = i + n >= len || p[i + n] == ' ';
        if (start && end && isalpha((unsigned char)p[i]) && p[i] != 'i' && p[i] != 'I')
            return true;
        if (start && end && n == 2 && (unsigned char)p[i + 1] != 0xA5 && (unsigned char)p[i + 1] != 0x85)
            return true; /* a lone Æ or Ø (Å is a word) */
    }
    return false;
}

/* Known organ names that a broken font may have damaged. */
static const char *const lossy_organs[] = {"Kommunestyret", "Formannskapet", "Kontrollutvalget",
                                           "Kontrollutvalet", "Bystyret", "Fylkestinget",
                                           "Fylkesutvalget", "Fylkesutvalet", "Eldrerådet",
                                           "Heradsstyret"};

/* The known organ name a line with lost letters holds, NULL if none. */
static char *organ_lossy(const mn_line *l)
{
    if (!lost_letters(l->p, l->len))
        return NULL;
    for (size_t k = 0; k < MN_N_OF(lossy_organs); k++)
        if (lossy_inside(l->p, l->len, lossy_organs[k]))
            return msk_strdup(lossy_organs[k]);
    return NULL;
}

/* True if the name has a fragment of one or two letters that is no small
 * word ("Fylk sutval t", "Ko trollutvalget"): a broken font lost letters
 * of it. */
static bool damaged_name(const char *o)
{
    static const char *const small[] = {"i", "og", "på", "av", "om", "til", "for", "AU", "AS"};
    for (const char *p = o; *p != '\0'; p++) {
        if (!((p == o || p[-1] == ' ') && isalpha((unsigned char)p[0])))
            continue;
        size_t n = strcspn(p, " ");
        if (n > 2 || in_list(p, n, small, MN_N_OF(small)))
            continue;
        return true; /* "Fylk sutval t", "Ko trollutvalget" */
    }
    return false;
}

/* True if w stands in p[0..len) as a whole word, capitalised as written. */
static bool whole_word(const char *p, size_t len, const char *w)
{
    size_t n = strlen(w);
    for (const char *q = memmem(p, len, w, n); q != NULL;
         q = memmem(q + 1, len - (size_t)(q + 1 - p), w, n)) {
        bool before = q == p || q[-1] == ' ' || q[-1] == '>' || q[-1] == '|';
        size_t after = (size_t)(q - p) + n;
        if (before && (after == len || !(isalpha((unsigned char)p[after]) || (unsigned char)p[after] >= 0x80)))
            return true;
        if (after >= len)
            break;
    }
    return false;
}

/* A known organ name standing as a word in a long (flattened) line:
 * "Rogaland fylkeskommune Politikk > Fylkestinget 25. oktober 2016 …". */
static char *organ_known_word(const mn_line *l)
{
    static const char *const known[] = {
        "Kommunestyret", "Formannskapet", "Kontrollutvalget", "Kontrollutvalet", "Bystyret",
        "Fylkestinget", "Fylkesutvalget", "Fylkesutvalet", "Heradsstyret", "Bystyrets formannskap",
    };
    for (size_t k = 0; k < MN_N_OF(known); k++)
        if (whole_word(l->p, l->len, known[k]))
            return msk_strdup(known[k]);
    return NULL;
}

/* The organ in one piece of a running page header cut at dashes, bars and
 * wide gaps ("Ringebu kommune - Formannskapet 10.05.2007   Side 2 av 6"). */
static char *organ_in_pieces(const mn_line *l)
{
    const char *p = l->p, *e = l->p + l->len;
    while (p < e) {
        const char *q = p;
        while (q < e && *q != '|' && !(q + 2 < e && q[0] == ' ' && (q[1] == '-' || q[1] == ' ') && q[2] == ' ') &&
               !(q + 4 < e && q[0] == ' ' && (unsigned char)q[1] == 0xE2 && q[4] == ' '))
            q++;
        size_t n = q > p ? organ_extent(p, (size_t)(q - p)) : 0;
        char *o = n > 0 && has_organ_stem(p, n) ? organ_name(p, n, true) : NULL;
        if (o != NULL)
            return o;
        p = q + 1;
        while (p < e && (*p == ' ' || *p == '-' || *p == '|' || (unsigned char)*p >= 0x80))
            p++;
    }
    return NULL;
}

/* True if the line carries a page number ("Side 2 av 6", "side 3"): a
 * running page header or footer, also where page breaks were lost. */
static bool page_numbered(const mn_line *l)
{
    for (size_t i = 0; i + 6 < l->len; i++)
        if ((i == 0 || l->p[i - 1] == ' ') && msk_mn_starts_word_ci(l->p + i, l->len - i, "side") &&
            l->p[i + 4] == ' ' && isdigit((unsigned char)l->p[i + 5]))
            return true;
    return false;
}

/* The organ of a running page header: the first filled line of pages 2
 * and 3, or a page-numbered line; NULL if none of the first three names
 * one. */
static char *organ_running_header(const mn_doc *d)
{
    for (size_t i = 1, tried = 0; i < d->n && tried < 3; i++) {
        const mn_line *l = &d->lines[i];
        bool top = l->page != d->lines[i - 1].page;
        if (top) {
            size_t j = msk_mn_next_filled(d, i);
            l = j < d->n && d->lines[j].page == d->lines[i].page ? &d->lines[j] : NULL;
        } else if (l->len == 0 || !page_numbered(l)) {
            continue;
        }
        tried++;
        char *o = l != NULL ? organ_in_pieces(l) : NULL;
        if (o != NULL)
            return o;
    }
    return NULL;
}

/* True if name is a known organ name with every copy of one letter lost
 * ("Kommu estyret"). */
static bool lossy_known(const char *name)
{
    for (size_t k = 0; k < MN_N_OF(lossy_organs); k++)
        if (strcasecmp(name, lossy_organs[k]) == 0)
            return false; /* "Kontrollutvalet" is whole, not "Kontrollutvalget" damaged */
    for (size_t k = 0; k < MN_N_OF(lossy_organs); k++)
        if (lossy_equal(name, strlen(name), lossy_organs[k]))
            return true;
    return false;
}

/* The organ from the header's title lines: a "møte i X" phrase, a title
 * line with an organ word (a damaged one replaced by the known name a
 * broken font hid in it), a piece of a running header. */
static char *organ_from_lines(const mn_doc *d, size_t hend)
{
    char *o = NULL;
    for (size_t i = 0, seen = 0; i < hend && seen < ORGAN_LINES && o == NULL; i++) {
        if (d->lines[i].len == 0)
            continue;
        seen++;
        o = organ_after_phrase(&d->lines[i]);
        if (o == NULL)
            o = organ_from_title(&d->lines[i]);
        if (o != NULL && (damaged_name(o) || lossy_known(o))) {
            free(o);
            o = organ_lossy(&d->lines[i]);
        }
        if (o == NULL)
            o = organ_in_pieces(&d->lines[i]);
        if (o != NULL && damaged_name(o)) { /* "SKIPTVET KOMMU E MØTEI KALLI G Kommunestyret" */
            free(o);
            o = organ_known_word(&d->lines[i]);
        }
    }
    return o;
}

/* The organ: a label in the header, a phrase or title line, a damaged
 * known name, a known name inside a flattened line, a running page
 * header; NULL when none holds. */
char *msk_mn_organ(const mn_doc *d, size_t hend, float *conf)
{
    char *o = NULL;
    for (size_t i = 0; i < hend && o == NULL; i++)
        if (d->lines[i].len > 0)
            o = organ_after_label(d, i, hend);
    *conf = 0.95f;
    if (o == NULL) {
        o = organ_from_lines(d, hend);
        *conf = 0.8f;
    }
    for (size_t i = 0, seen = 0; i < hend && seen < ORGAN_LINES && o == NULL; i++) {
        if (d->lines[i].len == 0)
            continue;
        seen++;
        o = organ_lossy(&d->lines[i]);
        if (o == NULL && d->lines[i].len > 120)
            o = organ_known_word(&d->lines[i]);
        *conf = 0.6f;
    }
    if (o == NULL) {
        o = organ_running_header(d);
        *conf = 0.6f;
    }
    if (o == NULL)
        *conf = 0.0f;
    return o;
}

char *msk_mn_kommune_in(const char *p, size_t len)
{
    mn_line l = {p, len, 0, 0, 0, 0, 0};
    char *k = NULL;
    return kommune_on_line(&l, &k, false) ? k : NULL;
}

/* ---- kommune ------------------------------------------------------------------- */

/* Words that may stand before "kommune" but name none ("Hver kommune"). */
static const char *const not_names[] = {
    "hver", "denne", "vår", "den", "egen", "eigen", "annen", "anna", "samme", "same", "kvar",
    "ein", "en", "alle", "hele", "heile", "berørt", "berørte", "hvilken", "kva", "vertskommune",
    "i", "og", "for", "til", "fra", "frå", "av", "om", "på", "med", "sin", "si", "eller", "ny",
    "nye", "enkelte", "kvar", "naboen", "deltakende", "deltakande", "øvrige", "andre",
};

/* Words that may stand first in a two-word kommune name ("Indre Østfold"). */
static const char *const name_heads[] = {
    "indre", "ytre", "øvre", "nedre", "nordre", "søndre", "vestre", "austre", "midtre", "østre",
    "søre",
    "nord", "sør", "aust", "vest", "øst", "store", "lille", "gamle",
};

/* True if p[0..n) is in list (case-insensitive, whole). */
static bool in_list(const char *p, size_t n, const char *const *list, size_t cnt)
{
    for (size_t k = 0; k < cnt; k++)
        if (strlen(list[k]) == n && msk_mn_starts_word_ci(p, n, list[k]))
            return true;
    return false;
}

/* Start of the word that ends just before offset e in s (after blanks). */
static size_t word_start(const char *s, size_t e)
{
    size_t i = e;
    while (i > 0 && s[i - 1] != ' ' && s[i - 1] != ',' && s[i - 1] != '(' && s[i - 1] != '\t')
        i--;
    return i;
}

/* True if the byte is an upper-case letter (ASCII or Æ Ø Å lead). */
static bool capital_at(const char *p)
{
    unsigned char c = (unsigned char)p[0];
    return isupper(c) || (c == 0xC3 && (unsigned char)p[1] >= 0x80 && (unsigned char)p[1] <= 0x9E);
}

/* Find tail t in p[0..len) ignoring ASCII case, also with one letter of t
 * lost to a space by a broken font (" KOMMU E"); NULL if absent. */
static const char *find_tail(const char *p, size_t len, const char *t)
{
    size_t n = strlen(t);
    char v[32];
    for (size_t drop = 0; drop <= n && n < sizeof v; drop++) {
        memcpy(v, t, n + 1);
        if (drop < n) {
            if (drop == 0 || !isalpha((unsigned char)t[drop]))
                continue;
            for (size_t i = 1; i < n; i++)
                if (tolower((unsigned char)t[i]) == tolower((unsigned char)t[drop]))
                    v[i] = ' ';
        }
        for (size_t i = 0; i + n <= len; i++)
            if (strncasecmp(p + i, v, n) == 0 &&
                (i + n == len || !(isalpha((unsigned char)p[i + n]) || (unsigned char)p[i + n] >= 0xC3)))
                return p + i;
    }
    return NULL;
}

/* True if the word ending at offset e of p is a fragment of one to three
 * capitals that is no name head ("ST" of "ST ANDA", "TA" of "TA A"): a
 * broken font split a name there. */
static bool damaged_fragment(const char *p, size_t e)
{
    size_t s = e;
    while (s > 0 && p[s - 1] != ' ' && p[s - 1] != '\t')
        s--;
    static const char *const joins[] = {"og", "i"}; /* MØRE OG ROMSDAL */
    if (e - s == 0 || e - s > 3 || in_list(p + s, e - s, name_heads, MN_N_OF(name_heads)) ||
        in_list(p + s, e - s, joins, MN_N_OF(joins)))
        return false;
    for (size_t i = s; i < e; i++)
        if (!isupper((unsigned char)p[i]))
            return false;
    return true;
}

/* The kommune named by "X kommune", "X fylkeskommune" or "X herad" on
 * line l, as a display copy in *out; false if none. */
static bool kommune_on_line(const mn_line *l, char **out, bool county_only)
{
    static const char *const tails[] = {" fylkeskommune", " kommune", " herad"};
    for (size_t k = 0; k < (county_only ? 1 : MN_N_OF(tails)); k++) {
        const char *t = find_tail(l->p, l->len, tails[k]);
        if (t == NULL)
            continue;
        size_t e = (size_t)(t - l->p), s = word_start(l->p, e);
        if (s >= e || !capital_at(l->p + s) || in_list(l->p + s, e - s, not_names, MN_N_OF(not_names)) ||
            memchr(l->p + s, '.', e - s) != NULL)
            continue; /* "Tr.heim kommune" is an abbreviation in a list */
        if (e - s < 3 || (s >= 2 && l->p[s - 1] == ' ' && damaged_fragment(l->p, s - 1)))
            continue; /* "TA A KOMMU E", "ST ANDA KOMMUNE": letters lost, the name unknown */
        if (s >= 2) {
            size_t h = word_start(l->p, s - 1);
            if (h < s - 1 && in_list(l->p + h, s - 1 - h, name_heads, MN_N_OF(name_heads)))
                s = h;
            else if (s >= 4 && h < s - 1 && msk_mn_starts_word_ci(l->p + h, s - 1 - h, "og")) {
                size_t h2 = h >= 2 ? word_start(l->p, h - 1) : h; /* Troms og Finnmark */
                if (h2 < h - 1 && capital_at(l->p + h2) && k == 0)
                    s = h2;
            }
        }
        *out = calm_name_min(l->p + s, e - s, 1); /* "LOPPA" → "Loppa" */
        return true;
    }
    return false;
}

/* The first "X fylkeskommune" anywhere in the text (a county body's own). */
static char *county_anywhere(const mn_doc *d)
{
    for (size_t i = 0; i < d->n; i++) {
        char *k = NULL;
        if (d->lines[i].len > 0 && kommune_on_line(&d->lines[i], &k, true))
            return k;
    }
    return NULL;
}

/* The kommune of a "www.ringsaker.kommune.no" address in the text. */
static char *kommune_from_address(const mn_doc *d)
{
    const char *t = memmem(d->text, d->len, ".kommune.no", 11);
    if (t == NULL)
        return NULL;
    size_t e = (size_t)(t - d->text), s = e;
    while (s > 0 && (islower((unsigned char)d->text[s - 1]) || d->text[s - 1] == '-' ||
                     (unsigned char)d->text[s - 1] >= 0x80))
        s--;
    if (s == e || e - s > 40)
        return NULL;
    char *f = msk_mn_copy_clean(d->text + s, e - s, 40);
    if (f == NULL)
        return NULL;
    for (char *p = f; *p != '\0'; p++)
        if (p == f || p[-1] == '-')
            capitalise(p);
    return f;
}


/* True if organ names a body of one kommune (not a group or network of
 * several that meets in one member's town hall). */
static bool municipal_organ(const char *organ)
{
    static const char *const stems[] = {
        "kommunestyre", "bystyre", "heradsstyre", "formannskap", "eldreråd", "ungdomsråd",
        "råd for", "utval", "utvalg", "nemnd", "komit",
    };
    return msk_mn_contains_any_ci(organ, strlen(organ), stems, MN_N_OF(stems));
}

/* The kommune whose town hall the header names as the meeting place
 * ("Møtested: Steinkjer rådhus", "Lebesby rådhus, Kjøllefjord"), NULL if
 * none. */
static char *kommune_from_town_hall(const mn_doc *d, size_t hend)
{
    static const char *const halls[] = {" rådhus", " kommunehus", " herredshus", " heradshus"};
    for (size_t i = 0; i < hend; i++) {
        const mn_line *l = &d->lines[i];
        for (size_t k = 0; k < MN_N_OF(halls) && l->len > 0; k++) {
            const char *t = memmem(l->p, l->len, halls[k], strlen(halls[k]));
            if (t == NULL)
                continue;
            size_t e = (size_t)(t - l->p), s = word_start(l->p, e);
            if (s < e && capital_at(l->p + s) && e - s <= 30 &&
                !in_list(l->p + s, e - s, not_names, MN_N_OF(not_names)))
                return calm_name_min(l->p + s, e - s, 1);
        }
    }
    return NULL;
}

/* The kommune: the letterhead's "X kommune" (first lines), else one name
 * that every mention in the header agrees on, else a web address; NULL
 * when mentions disagree (a regional body lists its members). */
/* True if line l names two or more kommuner ("Fauske kommune, Saltdal
 * kommune"): the members of a body several share. */
static bool several_kommuner(const mn_line *l)
{
    size_t n = 0;
    for (size_t i = 0; i + 8 <= l->len && n < 2; i++)
        if (l->p[i] == ' ' && msk_mn_starts_word_ci(l->p + i + 1, l->len - i - 1, "kommune"))
            n++;
    return n >= 2;
}

char *msk_mn_kommune(const mn_doc *d, size_t hend, const char *organ, float *conf)
{
    char *first = NULL;
    bool agree = true;
    size_t first_rank = 0, rank = 0;
    for (size_t i = 0; i < hend && agree; i++) {
        char *k = NULL;
        if (d->lines[i].len == 0)
            continue;
        rank++;
        if (!kommune_on_line(&d->lines[i], &k, false) || k == NULL)
            continue;
        if (several_kommuner(&d->lines[i])) { /* "Fauske kommune, Saltdal kommune, …": owners */
            free(k);
            agree = false;
            break;
        }
        if (first == NULL) {
            first = k, first_rank = rank;
            continue;
        }
        agree = strcasecmp(first, k) == 0;
        free(k);
    }
    *conf = first_rank <= 4 ? 0.9f : 0.7f;
    if (first != NULL && (agree || first_rank <= 4))
        return first;
    free(first);
    if (organ != NULL && (msk_mn_contains_ci(organ, strlen(organ), "region") ||
                          msk_mn_contains_ci(organ, strlen(organ), "interkommunal")))
        return *conf = 0.0f, NULL;
    if (organ != NULL && msk_mn_contains_ci(organ, strlen(organ), "fylke")) {
        char *c = county_anywhere(d);
        if (c != NULL)
            return *conf = 0.6f, c;
    }
    char *a = kommune_from_address(d);
    if (a == NULL && organ != NULL && municipal_organ(organ))
        a = kommune_from_town_hall(d, hend);
    *conf = a ? 0.6f : 0.0f;
    return a;
}
