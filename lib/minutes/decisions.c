/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Decision or proposal, and the vote, of one case. A proposal
 * (innstilling, forslag/framlegg til vedtak, tilråding) is a decision only
 * when the minutes say it was adopted. */
#include "minutes/mn.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_MAX (1 << 16) /* bytes kept of a proposal or decision */
#define LABEL_WORDS 10      /* words a label may have before its colon */

/* What a line of a case body is. */
typedef enum line_kind {
    K_TEXT,      /* ordinary text */
    K_PROPOSAL,  /* opens a proposal block */
    K_DECISION,  /* opens a decision block */
    K_ADOPTED,   /* states that the proposal was adopted */
    K_DEFERRED,  /* the case was postponed or withdrawn */
    K_NARRATIVE, /* opens a case-paper section (Saksopplysninger, …) */
    K_MEETING,   /* opens the meeting's treatment (Behandling, Votering) */
} line_kind;

static const char *const proposal_words[] = {
    "innstilling", "forslag til", "framlegg", "tilråding", "tilrår", "foreslår", "foreslått",
    "rår til", "anbefal", "tilrådd", "forslag:",
};
static const char *const decision_words[] = {
    "vedtak", "vedtok", "vedtek", "vedtatt", "vedteke", "konklusjon", "avgjerd", "avgjørelse",
};
static const char *const adopt_words[] = {
    "vedtatt", "vedteke", "vedteken", "vedtekne", "vedtok", "godkjent", "godkjend", "godkjende",
    "godkjente", "tatt til orientering", "teke til orientering", "teken til orientering",
    "tatt til etterretning", "teke til etterretning", "tiltrådt", "tiltredd", "tatt til følge",
    "teke til følgje", "tekne til orientering", "teke til vitande", "teken til vitande",
    "tekne til vitande", "tatt til vitende", "valgt", "valde", "vald", "valt",
};
static const char *const adopt_subjects[] = {
    "innstilling", "forslag", "framlegg", "tilråding", "saken", "saka", "vedtak", "protokoll",
    "referat", "innkalling", "sakliste", "saksliste", "orientering", "møtebok", "enstemmig", "samrøystes",
    "einstemmig", "utvalet", "utvalget", "styret", "rådet", "skapet", "tinget", "komit",
};
static const char *const adopt_starts[] = {
    "Vedtatt", "Vedteke", "Godkjent", "Godkjend", "Enstemmig", "Einstemmig", "Samrøystes",
    "Tatt til orientering", "Teke til orientering", "Tas til orientering", "Tatt til etterretning",
    "Teke til vitande", "Teken til vitande",
};
static const char *const rejected_words[] = {
    "falt", " fall ", "fall.", "avvist", "ikke vedtatt", "ikkje vedteke", "nedstemt", "ikkje godkjent",
    "ikke godkjent",
};
/* Who signed or approved the record itself ("Protokollen er godkjent av:",
 * "Protokollen vart godkjend i formannskapet 17.03.2015"), never a case's
 * adoption. */
static const char *const signing_words[] = {
    "godkjent av", "godkjend av", "godkjennes av", "underskrevet av", "signert av",
    "signert elektronisk", "elektronisk godkjent", "vart godkjend i ", "vart godkjent i ",
    "ble godkjent i ", "er godkjent i ", "er godkjend i ", "godkjent på møte", "godkjend på møte",
    "godkjent i møte", "godkjend i møte",
};
static const char *const deferred_words[] = {
    "saken utsettes", "saken ble utsatt", "saken er utsatt", "saka vert utsett", "saka vart utsett",
    "saka blir utsett", "saka er utsett", "saken trekkes", "saken ble trukket", "saken er trukket",
    "saka vart trekt", "saka vert trekt", "saka er trekt", "ble ikke behandlet", "vart ikkje handsama",
    "saken sendes tilbake", "saka vert send tilbake", "utsettelsesforslaget ble vedtatt",
    "utsetjingsframlegget vart vedteke",
};
/* Postponing as what was adopted ("Kommunestyret vedtok samrøystes å
 * utsetje saka"); without an adoption verb it is only proposed. */
static const char *const postpone_infinitives[] = {
    "å utsette saken", "å utsette saka", "å utsetje saka", "å utsetja saka", "å trekke saken",
    "å trekkje saka", "å utsette behandlingen", "å utsetje handsaminga",
    /* sent back to the administration: "Saka vart samrøystes send attende" */
    "send attende", "sendt attende", "sendes tilbake", "sendt tilbake", "send tilbake",
    "sendast attende",
};
static const char *const narrative_labels[] = {
    "Saksopplysning", "Saksopplysing", "Saksutgreiing", "Saksutredning", "Saksframstilling",
    "Saksframlegg", "Bakgrunn", "Vurdering", "Sammendrag", "Samandrag", "Vedlegg", "Hjemmel",
    "Heimel", "Økonomiske konsekvenser", "Dokumenter i saken", "Saksdokument", "Fakta",
};
static const char *const meeting_labels[] = {
    "Behandling", "Handsaming", "Votering", "Røysting", "Avstemming", "Møtebehandling",
    "Saksprotokoll", "Behandling i", "Handsaming i",
};

/* True if p[0..len) contains any of the n words. */
static bool has_any(const char *p, size_t len, const char *const *w, size_t n)
{
    return msk_mn_contains_any_ci(p, len, w, n);
}

/* True if p starts with any of the n words (case-insensitive). */
static bool starts_any(const char *p, size_t len, const char *const *w, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (msk_mn_starts_word_ci(p, len, w[k]))
            return true;
    return false;
}

/* Offset past a committee code in front of a label ("FS - vedtak",
 * "LEV - Tilråding", "KST-Behandling"), 0 if none. */
static size_t code_prefix(const char *p, size_t len)
{
    size_t n = 0;
    while (n < len && n < 5 && isupper((unsigned char)p[n]))
        n++;
    if (n < 2 || n > 4)
        return 0;
    if (n + 3 < len && memcmp(p + n, " - ", 3) == 0)
        return n + 3;
    if (n + 1 < len && p[n] == '-' && isalpha((unsigned char)p[n + 1]))
        return n + 1;
    return 0;
}

/* Kind of a label text (the words before the colon, or a bare line). */
static line_kind label_kind(const char *p, size_t len)
{
    size_t code = code_prefix(p, len);
    mn_number num;
    if (code == 0 && msk_mn_number_at(p, len, &num) && num.b != NULL) {
        code = num.end; /* "BS-110/22 Vedtak", "FS 12/19 vedtak" */
        while (code < len && p[code] == ' ')
            code++;
    }
    p += code;
    len -= code;
    if (starts_any(p, len, narrative_labels, MN_N_OF(narrative_labels)))
        return K_NARRATIVE;
    if (has_any(p, len, proposal_words, MN_N_OF(proposal_words)))
        return K_PROPOSAL;
    if (has_any(p, len, decision_words, MN_N_OF(decision_words)))
        return K_DECISION;
    if (starts_any(p, len, meeting_labels, MN_N_OF(meeting_labels)))
        return K_MEETING;
    return K_TEXT;
}

/* Offset of the first adoption verb in p[0..len), len if none: a whole
 * word, or the start of a longer one ("vedtatt", "vedtattes"). Verbs start
 * words, so only word starts are tried. */
static size_t adopt_verb_at(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && (isalnum((unsigned char)p[i - 1]) || (unsigned char)p[i - 1] >= 0x80))
            continue;
        int c = tolower((unsigned char)p[i]);
        if (c != 'v' && c != 'g' && c != 't')
            continue; /* every adoption verb starts so */
        for (size_t k = 0; k < MN_N_OF(adopt_words); k++) {
            size_t n = strlen(adopt_words[k]);
            if (msk_mn_starts_word_ci(p + i, len - i, adopt_words[k]) ||
                (n > 8 && n <= len - i && msk_mn_contains_ci(p + i, n, adopt_words[k])))
                return i;
        }
    }
    return len;
}

/* True if p says who signed the record: it opens with the record
 * ("Protokollen", "Møteboka", "Referatet"), has an approval verb, and
 * names people after " av " ("Protokollen godkjent 25.01.2019 av Trond
 * Kjos og …"), not a body ("… godkjent av formannskapet"). */
static bool record_signed(const char *p, size_t len)
{
    static const char *const records[] = {"protokoll", "møtebok", "referat"};
    static const char *const verbs[] = {"godkjent", "godkjend", "signert", "underskrevet", "underskrive"};
    bool record = false;
    for (size_t k = 0; k < MN_N_OF(records); k++)
        record = record || (len >= strlen(records[k]) && msk_mn_contains_ci(p, strlen(records[k]), records[k]));
    if (!record || !has_any(p, len, verbs, MN_N_OF(verbs)))
        return false;
    for (size_t i = 0; i + 4 < len; i++)
        if (memcmp(p + i, " av ", 4) == 0)
            return isupper((unsigned char)p[i + 4]) || (unsigned char)p[i + 4] == 0xC3;
    return false;
}

/* True if the line states an adoption: it starts with one ("Enstemmig
 * vedtatt"), or names what was adopted before the verb, not in a relative
 * clause ("… som ble vedtatt i K-styret" is narrative). */
static bool adoption(const char *p, size_t len)
{
    bool starts = starts_any(p, len, adopt_starts, MN_N_OF(adopt_starts));
    size_t v = starts ? 0 : adopt_verb_at(p, len);
    if (!starts && v == len)
        return false; /* no adoption word: the cheap test first */
    if (has_any(p, len, rejected_words, MN_N_OF(rejected_words)) ||
        has_any(p, len, signing_words, MN_N_OF(signing_words)) || record_signed(p, len))
        return false;
    if (starts)
        return true;
    if (msk_mn_words(p, len) > 30 || msk_mn_contains_ci(p, v, " som ") ||
        msk_mn_contains_ci(p, v, " vert ") || msk_mn_contains_ci(p, v, " blir "))
        return false; /* "… vert godkjend" is what a proposal says will happen */
    return has_any(p, v, adopt_subjects, MN_N_OF(adopt_subjects));
}

/* True if p starts with a capital letter or a digit (ASCII or Æ Ø Å). */
static bool capital_or_digit(const char *p, size_t len)
{
    unsigned char c = (unsigned char)p[0];
    if (isupper(c) || isdigit(c))
        return true;
    return c == 0xC3 && len > 1 && (unsigned char)p[1] >= 0x80 && (unsigned char)p[1] <= 0x9E;
}

/* Length of the sentence at p[0..len): through a '.', '!' or '?' that a
 * blank and a capital follow, else the whole text. */
static size_t sentence_len(const char *p, size_t len)
{
    for (size_t i = 0; i + 2 < len; i++)
        if ((p[i] == '.' || p[i] == '!' || p[i] == '?') && p[i + 1] == ' ' &&
            capital_or_digit(p + i + 2, len - i - 2))
            return i + 1;
    return len;
}

/* True if some sentence of p[0..len) states an adoption (a rejected
 * proposal in one sentence does not hide the adoption in the next). */
static bool adoption_in(const char *p, size_t len)
{
    for (size_t s = 0; s < len;) {
        size_t n = sentence_len(p + s, len - s);
        if (adoption(p + s, n))
            return true;
        s += n;
        while (s < len && p[s] == ' ')
            s++;
    }
    return false;
}

/* A proposal to postpone: a deferral when the same sentence adopts it. */
static const char *const postpone_proposals[] = {
    "framlegg om utsetjing", "framlegg om å utsetje", "forslag om utsettelse",
    "forslag om å utsette", "utsetjingsframlegg", "utsettelsesforslag",
};

/* Words that adopt what was just proposed ("… foreslo å utsette saken.
 * Enstemmig."). */
static const char *const unanimous_words[] = {"enstemmig", "einstemmig", "samrøystes"};

/* True if the line says the case was postponed or withdrawn. */
static bool deferral(const char *p, size_t len)
{
    static const char *const starts[] = {"Utsatt", "Utsett", "Trukket", "Trekt", "Resultat: Utsatt",
                                         "Resultat: Trukket", "Resultat: Utsett"};
    bool said = starts_any(p, len, starts, MN_N_OF(starts)) ||
                has_any(p, len, deferred_words, MN_N_OF(deferred_words)) ||
                ((has_any(p, len, postpone_proposals, MN_N_OF(postpone_proposals)) ||
                  has_any(p, len, postpone_infinitives, MN_N_OF(postpone_infinitives))) &&
                 (adopt_verb_at(p, len) < len || has_any(p, len, unanimous_words, MN_N_OF(unanimous_words))));
    return said && !has_any(p, len, rejected_words, MN_N_OF(rejected_words));
}

/* True if a paragraph starting at l continues a numbered or lettered list
 * ("2.", "b)", "- "). */
static bool list_item(const mn_line *l)
{
    size_t i = 0;
    while (i < l->len && i < 3 && isalnum((unsigned char)l->p[i]))
        i++;
    if (i > 0 && i < l->len && (l->p[i] == '.' || l->p[i] == ')') && i < 3)
        return true;
    return l->p[0] == '-' || l->p[0] == '*' || (unsigned char)l->p[0] == 0xE2;
}

/* Kind of a label line without a colon: a proposal or decision word
 * counts only among its first three words or as its last word
 * ("Kommunestyrets vedtak", "Et samrøystes utval vedtok"), not inside a
 * phrase ("Hjemmetjenester og vedtak om helsetjenester"). */
static line_kind bare_label_kind(const char *p, size_t len)
{
    line_kind k = label_kind(p, len);
    if (k != K_PROPOSAL && k != K_DECISION)
        return k;
    size_t head = 0, last = 0;
    for (int w = 0; w < 3 && head < len; w++) {
        while (head < len && p[head] == ' ')
            head++;
        while (head < len && p[head] != ' ')
            head++;
    }
    for (size_t i = 0; i < len; i++)
        if (p[i] == ' ')
            last = i + 1;
    if (label_kind(p, head) == k || label_kind(p + last, len - last) == k)
        return k;
    return K_TEXT;
}

/* Offset of a label colon in l (within LABEL_WORDS words), or 0 if none. */
static size_t label_colon(const mn_line *l)
{
    const char *c = memchr(l->p, ':', l->len);
    if (c == NULL || c == l->p)
        return 0;
    size_t at = (size_t)(c - l->p);
    if (msk_mn_words(l->p, at) > LABEL_WORDS || islower((unsigned char)l->p[0]))
        return 0; /* "slikt vedtak:" inside a proposal continues it */
    if (at + 1 < l->len && isdigit((unsigned char)c[1]))
        return 0; /* a time "kl. 10:00" */
    if (sentence_len(l->p, at) < at)
        return 0; /* "Innstillingen ble vedtatt. Valgt som leder:" is a statement */
    return at;
}

/* True for a line naming an organ and the case number it gave the case
 * ("Formannskapet - 65/14", "Kommunestyret 12.03.2019 - 21/19"). */
static bool organ_case_line(const mn_line *l)
{
    if (l->len < 8 || msk_mn_words(l->p, l->len) > 9 || !isupper((unsigned char)l->p[0]))
        return false;
    size_t i = l->len;
    while (i > 0 && (isdigit((unsigned char)l->p[i - 1]) || l->p[i - 1] == '/'))
        i--;
    if (i == l->len || i < 4 || memcmp(l->p + i - 3, " - ", 3) != 0 || memchr(l->p + i, '/', l->len - i) == NULL)
        return false;
    return true;
}

/* Classify line l; *text_at receives where text after a label starts. */
static line_kind classify_now(const mn_line *l, size_t *text_at)
{
    *text_at = l->len;
    size_t colon = label_colon(l);
    if (colon > 0) {
        line_kind k = label_kind(l->p, colon);
        if (k != K_TEXT) {
            *text_at = colon + 1;
            return k;
        }
    }
    if (deferral(l->p, l->len))
        return K_DEFERRED;
    if (organ_case_line(l))
        return K_MEETING; /* "Formannskapet - 65/14" heads the treatment */
    if (adoption_in(l->p, l->len))
        return K_ADOPTED;
    bool bare = msk_mn_words(l->p, l->len) <= 6 && l->p[l->len - 1] != '.' &&
                !islower((unsigned char)l->p[0]) && !list_item(l);
    return bare ? bare_label_kind(l->p, l->len) : K_TEXT;
}

/* classify_now, once per line: a case body is read in several passes.
 * The cache lives in the line, which belongs to one parse. */
static line_kind classify(const mn_line *l, size_t *text_at)
{
    mn_line *m = (mn_line *)l;
    if (m->kind_plus1 == 0) {
        m->kind_plus1 = (unsigned char)(classify_now(l, &m->kind_at) + 1);
    }
    *text_at = m->kind_at;
    return (line_kind)(m->kind_plus1 - 1);
}

bool msk_mn_block_label(const mn_line *l)
{
    size_t at;
    if (l->len == 0)
        return false;
    line_kind k = classify(l, &at);
    return k == K_PROPOSAL || k == K_DECISION || k == K_NARRATIVE || k == K_MEETING;
}

/* Append the block opened at line i (text from offset at) to out; returns
 * the index of the first line after the block. An adoption statement ends
 * a proposal but belongs to a decision. */
static size_t read_block(const mn_doc *d, size_t i, size_t end, size_t at, msk_buf *out,
                         bool decision)
{
    const mn_line *l = &d->lines[i];
    bool content = false;
    if (out->len > 0)
        msk_buf_append(out, "\n", 1);
    while (at < l->len && l->p[at] == ' ')
        at++;
    if (at < l->len) {
        msk_buf_append(out, l->p + at, l->len - at);
        content = true;
    }
    size_t j = i + 1;
    for (; j < end; j++) {
        const mn_line *m = &d->lines[j];
        if (m->len == 0) {
            size_t nx = msk_mn_next_filled(d, j);
            if (content && (nx >= end || !list_item(&d->lines[nx])))
                break;
            continue;
        }
        size_t t;
        line_kind k = classify(m, &t);
        if (k != K_TEXT && !(decision && k == K_ADOPTED))
            break;
        if (content)
            msk_buf_append(out, " ", 1);
        msk_buf_append(out, m->p, m->len);
        content = true;
    }
    return j;
}

static int head_count_before(const char *p, size_t len);

/* ---- votes ----------------------------------------------------------------- */

/* Read a number at p[*i] (at most 3 digits); -1 if none. */
static int read_count(const char *p, size_t len, size_t *i)
{
    int v = 0, n = 0;
    while (*i < len && isdigit((unsigned char)p[*i]) && n < 4) {
        v = v * 10 + (p[*i] - '0');
        (*i)++;
        n++;
    }
    return n == 0 || n > 3 ? -1 : v;
}

/* Skip blanks and one optional word ("stemmer", "røyster") at p[*i]. */
static void skip_vote_word(const char *p, size_t len, size_t *i)
{
    static const char *const words[] = {"stemmer", "stemme", "røyster", "røyst", "st.", "st"};
    while (*i < len && p[*i] == ' ')
        (*i)++;
    for (size_t k = 0; k < MN_N_OF(words); k++)
        if (msk_mn_starts_word_ci(p + *i, len - *i, words[k])) {
            *i += strlen(words[k]);
            break;
        }
    while (*i < len && p[*i] == ' ')
        (*i)++;
}

/* Find "N mot M" (with "stemmer" between or after) in a line; true with
 * the counts. */
static bool count_vote(const char *p, size_t len, int *yes, int *no)
{
    for (size_t s = 0; s < len; s++) {
        if (!isdigit((unsigned char)p[s]) || (s > 0 && isalnum((unsigned char)p[s - 1])))
            continue;
        size_t i = s;
        int a = read_count(p, len, &i);
        if (a < 0)
            continue;
        skip_vote_word(p, len, &i);
        if (!msk_mn_starts_word_ci(p + i, len - i, "mot"))
            continue;
        i += 3;
        while (i < len && p[i] == ' ')
            i++;
        int b = read_count(p, len, &i);
        if (b < 0 || (i < len && isalnum((unsigned char)p[i])))
            continue;
        *yes = a, *no = b;
        return true;
    }
    return false;
}

/* Votes given as "(21 st.)" after a unanimous adoption; -1 if none. */
static int unanimous_count(const char *p, size_t len)
{
    const char *o = memchr(p, '(', len);
    if (o == NULL)
        return -1;
    size_t i = (size_t)(o - p) + 1;
    int v = read_count(p, len, &i);
    size_t j = i;
    skip_vote_word(p, len, &j);
    return j > i && j < len && p[j] == ')' ? v : -1;
}

/* Against-count of "vedtatt mot 2 stemmer" (no for-count given); -1 if none. */
static int against_only(const char *p, size_t len)
{
    for (size_t i = 0; i + 4 < len; i++) {
        if (!msk_mn_starts_word_ci(p + i, len - i, "mot") || (i > 0 && p[i - 1] != ' '))
            continue;
        size_t j = i + 3;
        while (j < len && p[j] == ' ')
            j++;
        int n = read_count(p, len, &j);
        size_t k = j;
        skip_vote_word(p, len, &k);
        if (n >= 0 && k > j)
            return n;
    }
    return -1;
}

/* The count N of "til stede: N av M" or "møtte N" at p[i] (after the
 * words), -1 if none. */
static int count_after_words(const char *p, size_t len, size_t i)
{
    static const char *const words[] = {"til stede", "til stades", "tilstede", "møtte", "møtande medlemer",
                                        "møtende medlemmer", "møtt"};
    for (size_t k = 0; k < MN_N_OF(words); k++) {
        if (!msk_mn_starts_word_ci(p + i, len - i, words[k]))
            continue;
        size_t j = i + strlen(words[k]), lim = j + 16;
        while (j < len && j < lim && !isdigit((unsigned char)p[j]) && p[j] != '.')
            j++; /* "Til stede på møtet: 17 av 17" */
        int n = read_count(p, len, &j);
        while (j < len && p[j] == ' ')
            j++;
        bool of = msk_mn_starts_word_ci(p + j, len - j, "av");
        if (n > 0 && (of || k == 3 || j >= len || p[j] == '.'))
            return n;
    }
    return -1;
}

/* A head count in a line ("30 representanter stemte", "31 til stede",
 * "Til stede: 49 av 49", "møtte 7."); -1. */
static int head_count(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (i == 0 || p[i - 1] == ' ') {
            int n = count_after_words(p, len, i);
            if (n > 0)
                return n;
        }
    return head_count_before(p, len);
}

/* A head count stated before its words ("31 til stede"); -1. */
static int head_count_before(const char *p, size_t len)
{
    static const char *const after[] = {"representanter stemte", "stemte", "til stede", "møtte",
                                        "representantar røysta", "røysta"};
    int found = -1;
    for (size_t s = 0; s < len; s++) {
        if (!isdigit((unsigned char)p[s]) || (s > 0 && isalnum((unsigned char)p[s - 1])))
            continue;
        size_t i = s;
        int n = read_count(p, len, &i);
        while (i < len && p[i] == ' ')
            i++;
        for (size_t k = 0; k < MN_N_OF(after) && n > 0; k++)
            if (msk_mn_starts_word_ci(p + i, len - i, after[k]))
                found = n;
        if (n > 0 && i + 4 < len && msk_mn_starts_word_ci(p + i, len - i, "var")) {
            size_t j = i + 3;
            while (j < len && p[j] == ' ')
                j++;
            int m = read_count(p, len, &j);
            while (j < len && p[j] == ' ')
                j++;
            if (m > 0 && msk_mn_starts_word_ci(p + j, len - j, "til stede"))
                found = m; /* "Av 31 representanter var 31 til stede" */
        }
    }
    return found;
}

/* The vote one sentence states, if any; a vote on a rejected proposal is none. */
static bool sentence_vote(const char *p, size_t len, motesok_vote *v)
{
    static const char *const unanimous[] = {"enstemmig", "einstemmig", "samrøystes", "samrøysta",
                                            "mot 0 stemmer", "uten stemmer mot", "et samlet ",
                                            "eit samla ", "samlet vedtok", "samla vedtok",
                                            /* Ø lost to a broken font */
                                            "samr ystes", "samr ysta"};
    if (has_any(p, len, rejected_words, MN_N_OF(rejected_words)))
        return false;
    int yes, no;
    if (count_vote(p, len, &yes, &no) && yes > no) {
        *v = (motesok_vote){no == 0 ? MOTESOK_VOTE_UNANIMOUS : MOTESOK_VOTE_MAJORITY, yes, no};
        return true;
    }
    if (has_any(p, len, unanimous, MN_N_OF(unanimous))) {
        int n = unanimous_count(p, len);
        *v = (motesok_vote){MOTESOK_VOTE_UNANIMOUS, n, n >= 0 ? 0 : -1};
        return true;
    }
    no = adoption(p, len) ? against_only(p, len) : -1;
    if (no > 0) {
        *v = (motesok_vote){MOTESOK_VOTE_MAJORITY, -1, no};
        return true;
    }
    return false;
}

/* The last vote the sentences of p[0..len) state into v; true if any. */
static bool text_vote(const char *p, size_t len, motesok_vote *v)
{
    /* a vote on an amendment does not replace the vote on the proposal */
    static const char *const amendments[] = {"tilleggsforslag", "tilleggsframlegg", "endringsforslag",
                                             "endringsframlegg"};
    bool found = false;
    for (size_t s = 0; s < len;) {
        size_t n = sentence_len(p + s, len - s);
        if (v->outcome == MOTESOK_VOTE_NONE || !has_any(p + s, n, amendments, MN_N_OF(amendments)))
            found = sentence_vote(p + s, n, v) || found;
        s += n;
        while (s < len && p[s] == ' ')
            s++;
    }
    return found;
}

/* A vote whose sentence runs from line l into line next ("vedteke med 4" /
 * "mot 1 røyst."): the last sentence of l joined to the first of next. */
static bool wrapped_vote(const mn_line *l, const mn_line *next, motesok_vote *v)
{
    char buf[256];
    size_t s = 0;
    if (l->p[l->len - 1] == '.' || next->len == 0)
        return false;
    for (size_t n; s < l->len && (n = sentence_len(l->p + s, l->len - s)) < l->len - s;)
        s += n + 1;
    size_t a = l->len - s < 120 ? l->len - s : 120;
    size_t b = sentence_len(next->p, next->len);
    b = b < 120 ? b : 120;
    memcpy(buf, l->p + l->len - a, a);
    buf[a] = ' ';
    memcpy(buf + a + 1, next->p, b);
    return sentence_vote(buf, a + 1 + b, v);
}

int msk_mn_head_count(const mn_doc *d, size_t a, size_t b)
{
    int heads = -1;
    for (size_t i = a; i < b && i < d->n; i++) {
        int h = d->lines[i].len ? head_count(d->lines[i].p, d->lines[i].len) : -1;
        heads = h > 0 ? h : heads;
    }
    return heads;
}

int msk_mn_first_head_count(const mn_doc *d)
{
    for (size_t i = 0; i < d->n; i++) {
        int h = d->lines[i].len ? head_count(d->lines[i].p, d->lines[i].len) : -1;
        if (h > 0)
            return h;
    }
    return -1;
}

/* +1 if line l (of kind k) opens another body's treatment ("Behandling i
 * Formannskapet - 02.02.2022", "Formannskapets vedtak:", "Fylkesrådet for
 * eldre 06.02.2024:", "Utval for plan og miljø - 031/23" under a case with
 * another number), -1 if it opens the case body's own (the case's key
 * with key) or a case-paper section, 0 if it says neither. A proposal from another body
 * ("Formannskapets innstilling") is the case's proposal, so no switch. */
static int foreign_switch(const mn_line *l, line_kind k, size_t at, const char *organ, const char *key)
{
    if (k == K_NARRATIVE)
        return -1;
    if (organ_case_line(l) && key != NULL) { /* "Utval for plan og miljø - 031/23" */
        const char *num = l->p + l->len;
        while (num > l->p && (isdigit((unsigned char)num[-1]) || num[-1] == '/'))
            num--;
        mn_number n;
        char k2[32];
        if (msk_mn_number_at(num, (size_t)(l->p + l->len - num), &n) &&
            msk_mn_number_key(&n, msk_mn_key_year(key), k2, sizeof k2))
            return strcmp(k2, key) != 0 ? 1 : -1;
    }
    if (organ == NULL || k == K_PROPOSAL || msk_mn_words(l->p, l->len) > 10)
        return 0;
    int y, m, dd;
    bool heading = k == K_MEETING || k == K_DECISION ||
                   (k == K_TEXT && l->p[l->len - 1] == ':' && /* "Fylkesrådet for eldre 06.02.2024:" */
                    motesok_parse_date(l->p, l->len, &y, &m, &dd, NULL, NULL) == MOTESOK_OK);
    size_t head = k == K_TEXT || at > l->len ? l->len : at; /* the label, not the text after it */
    if (!heading || !msk_mn_has_organ_stem(l->p, head))
        return 0;
    return msk_mn_other_organ(l->p, head, organ) ? 1 : -1;
}

/* The last vote stated in [a, end) outside case-paper sections, after the
 * row's result rv; a vote given only "against" takes its for-count from a
 * head count nearby, else from the meeting's (heads, -1 if unknown). */
static motesok_vote find_vote(const mn_doc *d, size_t a, size_t end, motesok_vote rv, int heads,
                              const char *organ, const char *key)
{
    motesok_vote v = rv;
    bool narrative = false, foreign = false;
    int near = -1;
    for (size_t i = a; i < end; i++) {
        const mn_line *l = &d->lines[i];
        size_t at;
        if (l->len == 0)
            continue;
        line_kind k = classify(l, &at);
        if (k == K_NARRATIVE || k == K_MEETING || k == K_DECISION || k == K_PROPOSAL)
            narrative = k == K_NARRATIVE;
        int sw = foreign_switch(l, k, at, organ, key);
        if (sw != 0)
            foreign = sw > 0;
        if (narrative || foreign)
            continue;
        int h = head_count(l->p, l->len);
        near = h > 0 ? h : near;
        text_vote(l->p, l->len, &v);
        if (i + 1 < end)
            wrapped_vote(l, &d->lines[i + 1], &v);
    }
    heads = near > 0 ? near : heads;
    if (v.outcome == MOTESOK_VOTE_MAJORITY && v.votes_for < 0 && heads > v.votes_against)
        v.votes_for = heads - v.votes_against;
    return v;
}

/* ---- the case ---------------------------------------------------------------- */

/* What reading a case body found. */
typedef struct reading {
    msk_buf proposal, decision;
    const char *organ;        /* the case's body, NULL if unknown */
    const char *key;          /* the case's key */
    bool foreign;             /* inside another body's treatment */
    const mn_line *statement; /* last adoption statement */
    const mn_line *noted;     /* "Orienteringa vert teken til vitande" outside a proposal */
    bool deferred;
} reading;

/* Present-tense notings that stand as the decision when a case has no
 * proposal, decision block or adoption statement. */
static const char *const noted_words[] = {
    "tas til orientering", "tas til etterretning", "vert teke til orientering",
    "vert teken til orientering", "vert teke til vitande", "vert teken til vitande",
    "blir tatt til orientering", "tas til vitende",
};

/* Read a proposal block opened at line i into r (only the first is kept);
 * an adoption right under an empty proposal label is the earlier body's
 * ("Formannskapets innstilling:" / "Rådmannens innstilling enstemmig
 * vedtatt"), not this meeting's. Returns the next line to read. */
static size_t read_proposal(const mn_doc *d, size_t i, size_t end, size_t at, reading *r)
{
    msk_buf skip = {.max = BLOCK_MAX};
    msk_buf *out = r->proposal.len == 0 ? &r->proposal : &skip;
    size_t before = out->len;
    size_t next = read_block(d, i, end, at, out, false);
    bool empty = out->len <= before + 1;
    msk_buf_free(&skip);
    size_t j = msk_mn_next_filled(d, next);
    size_t t;
    if (empty && j < end && classify(&d->lines[j], &t) == K_ADOPTED)
        return j + 1;
    return next;
}

/* Take the statement after a meeting label ("Votering: Innstillingen
 * enstemmig vedtatt.") into r. */
static void read_meeting_tail(const mn_line *l, size_t at, reading *r)
{
    const char *p = l->p + at;
    size_t n = l->len - at;
    if (n == 0)
        return;
    if (deferral(p, n))
        r->deferred = true;
    else if (adoption_in(p, n))
        r->statement = l;
}

/* Take the line at i into r; returns the index of the next line to read. */
static size_t read_line(const mn_doc *d, size_t i, size_t end, bool *narrative, reading *r)
{
    const mn_line *l = &d->lines[i];
    size_t at;
    line_kind k = classify(l, &at);
    if (k == K_DECISION && *narrative && msk_mn_starts_word_ci(l->p, l->len, "Konklusjon"))
        k = K_TEXT; /* a case paper's own conclusion */
    int sw = foreign_switch(l, k, at, r->organ, r->key);
    if (sw != 0)
        r->foreign = sw > 0;
    if (r->foreign && k != K_PROPOSAL) {
        if (k == K_DECISION) { /* another body's decision: read past it */
            msk_buf skip = {.max = BLOCK_MAX};
            size_t next = read_block(d, i, end, at, &skip, true);
            msk_buf_free(&skip);
            return next;
        }
        return i + 1;
    }
    if (k == K_NARRATIVE || k == K_MEETING || k == K_PROPOSAL)
        *narrative = k == K_NARRATIVE;
    if (k == K_PROPOSAL)
        return read_proposal(d, i, end, at, r);
    if (k == K_DECISION) {
        *narrative = false;
        return read_block(d, i, end, at, &r->decision, true);
    }
    if (k == K_MEETING && at < l->len)
        read_meeting_tail(l, at, r);
    if (k == K_ADOPTED && !*narrative)
        r->statement = l;
    if (k == K_DEFERRED && !*narrative)
        r->deferred = true;
    if (k == K_TEXT && !*narrative && has_any(l->p, l->len, noted_words, MN_N_OF(noted_words)))
        r->noted = l;
    return i + 1;
}

/* A malloc'd clean copy of buffer b, NULL when it is empty. */
static char *take(const msk_buf *b, bool *nomem)
{
    if (b->len == 0)
        return NULL;
    char *s = msk_mn_copy_clean(b->data, b->len, BLOCK_MAX);
    *nomem = *nomem || s == NULL;
    if (s != NULL && s[0] == '\0') {
        free(s);
        s = NULL;
    }
    return s;
}

/* Take a saksliste row's result cell (row, may be NULL) into r; the vote
 * it states into *v. */
static void read_row(const char *row, size_t len, mn_line *holder, reading *r, motesok_vote *v)
{
    if (row == NULL || len == 0)
        return;
    *holder = (mn_line){row, len, 0, 0, 0, 0, 0};
    if (deferral(row, len))
        r->deferred = true;
    else if (adoption_in(row, len))
        r->statement = holder;
    text_vote(row, len, v);
}

/* The decision reading r supports: the decision block, else the adopted
 * proposal or the adoption statement, else a noting when nothing was
 * proposed; NULL when deferred. */
static char *decision_of(const reading *r, const char *proposal, bool *nomem)
{
    char *dec = take(&r->decision, nomem);
    const mn_line *s = r->statement ? r->statement : proposal ? NULL : r->noted;
    if (dec == NULL && s != NULL && !r->deferred) {
        dec = proposal && r->statement ? msk_strdup(proposal) : msk_mn_copy_clean(s->p, s->len, BLOCK_MAX);
        *nomem = *nomem || dec == NULL;
    }
    if (r->deferred) {
        free(dec);
        dec = NULL;
    }
    return dec;
}

bool msk_mn_decide(const mn_doc *d, size_t a, size_t end, const char *row, size_t row_len,
                   int heads, const char *organ, motesok_case *c)
{
    reading r = {.proposal = {.max = BLOCK_MAX}, .decision = {.max = BLOCK_MAX}, .organ = organ,
                 .key = c->key};
    bool narrative = false, nomem = false;
    mn_line holder;
    motesok_vote rv = {MOTESOK_VOTE_NONE, -1, -1};
    read_row(row, row_len, &holder, &r, &rv);
    for (size_t i = a; i < end;)
        i = d->lines[i].len == 0 ? i + 1 : read_line(d, i, end, &narrative, &r);
    c->proposal = take(&r.proposal, &nomem);
    c->decision = decision_of(&r, c->proposal, &nomem);
    c->vote = find_vote(d, a, end, rv, heads, organ, c->key);
    msk_buf_free(&r.proposal);
    msk_buf_free(&r.decision);
    return !nomem;
}

bool msk_mn_result_text(const char *p, size_t len)
{
    motesok_vote v = {MOTESOK_VOTE_NONE, -1, -1};
    return deferral(p, len) || adoption_in(p, len) || text_vote(p, len, &v);
}
