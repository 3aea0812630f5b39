/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesok-gen-corpus: write a deterministic synthetic corpus of Norwegian
 * municipal minutes for the benchmarks — a header (organ, date, place,
 * attendees), numbered cases with bodies and decisions — as UTF-8 text
 * files, 1000 to a folder. The same arguments always give the same bytes.
 *
 * Usage: motesok-gen-corpus [--count N] [--size BYTES] [--seed S] OUTDIR */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const organs[] = {
    "Kommunestyret", "Formannskapet", "Rådmannsutvalget", "Regionrådet for Hallingdal",
    "Helse- og omsorgsutvalget", "Plan- og miljøutvalget", "Kontrollutvalget",
    "Eldrerådet", "Råd for personer med funksjonsnedsettelse", "Samarbeidsutvalget",
};
static const char *const places[] = {
    "Kommunehuset", "Rådhuset, møterom 2", "Gol rådhus", "Ål kulturhus", "Nesbyen, Kulturhuset",
    "Hemsedal rådhus", "Flå kommunehus", "Teams",
};
static const char *const months[] = {"januar", "februar", "mars", "april", "mai", "juni",
                                     "juli", "august", "september", "oktober", "november",
                                     "desember"};
static const char *const days[] = {"Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag"};
static const char *const names[] = {
    "Kari Nordmann", "Ola Hansen", "Ingrid Bakken", "Per Olsen", "Anne Haugen", "Lars Berg",
    "Marit Lien", "Knut Moen", "Solveig Dahl", "Tor Kristiansen", "Liv Strand", "Nils Aasheim",
    "Randi Solberg", "Jon Eide", "Hilde Vik", "Arne Lund",
};
/* Case titles: topic phrases of municipal work. */
static const char *const topics[] = {
    "Legevakt i Hallingdal", "Lokalmedisinsk senter", "Budsjett og økonomiplan",
    "Interkommunalt samarbeid om barnevern", "Jordmortjeneste og jordmorvakt",
    "Røntgentilbud ved sjukehuset", "Fastlegeordningen", "Kommunal planstrategi",
    "Rehabilitering i kommunene", "Vegvedlikehold og brøyting", "Bredbånd i distriktet",
    "Reiselivsstrategi", "Kommunehelsesamarbeidet", "Skolebruksplan", "Brannvesenets organisering",
    "Tilskudd til lag og foreninger", "Studietur for rådmennene", "Klimaplan og energi",
    "Næringsfond og tilskudd", "Helse- og omsorgstjenester", "Samhandlingsreformen",
    "Kvalifiseringsprogram i NAV", "Regnskap og årsmelding", "Interkommunal arkivordning",
};
/* Body words: nouns, verbs and forms in Bokmål and Nynorsk. */
static const char *const words[] = {
    "kommunen", "kommunene", "kommunane", "tjenesten", "tjenestene", "tenesta", "tenestene",
    "vedtaket", "vedtak", "saken", "saka", "prosjektet", "prosjekta", "samarbeidet",
    "samarbeid", "møtet", "møte", "rådmannen", "administrasjonen", "budsjettet", "midler",
    "tilskudd", "helse", "omsorg", "pasienter", "pasientar", "legevakt", "sykehus",
    "sjukehus", "avtale", "avtalen", "utvalget", "styret", "plan", "planen", "arbeid",
    "arbeidet", "ansvar", "ansvaret", "økonomi", "kostnader", "fordeling", "innbyggerne",
    "innbyggjarane", "tilbud", "tilbod", "behov", "utredning", "rapport", "rapporten",
    "orientering", "regionen", "distriktet", "skolen", "barnehage", "veg", "vei", "bredbånd",
    "næring", "reiseliv", "kultur", "idrett", "beredskap", "brann", "miljø", "klima",
    "energi", "skal", "kan", "må", "vil", "blir", "vert", "har", "er", "var", "og", "i",
    "på", "til", "for", "med", "om", "av", "fra", "frå", "som", "det", "den", "de", "dei",
    "ikke", "ikkje", "en", "ein", "et", "eit", "at", "også", "òg", "etter", "under",
    "mellom", "innen", "innan", "videre", "vidare", "drøftet", "drøfta", "foreslår",
    "gjeld", "gjelder", "vurdere", "vurdert", "oppfølging", "gjennomføring", "evaluering",
    "høring", "høyring", "uttale", "uttalelse", "fråsegn", "felles", "interkommunal",
    "regional", "statlig", "statleg", "fylkeskommunen", "helseforetaket", "Vestre",
    "Viken", "Hallingdal", "Gol", "Ål", "Hol", "Nes", "Flå", "Hemsedal", "2024", "2025",
    "kroner", "millioner", "prosent", "årsverk", "stillinger", "stillingar",
};
#define N(a) (sizeof a / sizeof a[0])

/* xorshift64*: small, fast and the same on every machine. */
static uint64_t rng;
static uint32_t next(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (uint32_t)((rng * 0x2545F4914F6CDD1DULL) >> 32);
}
static uint32_t pick(uint32_t n)
{
    return next() % n;
}

/* Append a sentence of 6..18 body words to f. */
static void sentence(FILE *f)
{
    size_t n = 6 + pick(13);
    for (size_t i = 0; i < n; i++) {
        const char *word = words[pick(N(words))];
        char first = word[0];
        if (i == 0 && first >= 'a' && first <= 'z')
            first = (char)(first - 'a' + 'A');
        fprintf(f, "%s%c%s", i ? " " : "", first, word + 1);
    }
    fputs(". ", f);
}

/* Write one document of about size bytes. */
static int write_doc(const char *path, size_t size, unsigned index)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    unsigned year = 2005 + pick(20), month = pick(12), day = 1 + pick(28);
    const char *organ = organs[pick(N(organs))];
    fprintf(f, "MØTEBOK\n\n%s\n\nMøtedato: %s %u. %s %u\nMøtested: %s\nTid: kl. 09.00\n\n",
            organ, days[pick(N(days))], day, months[month], year, places[pick(N(places))]);
    fputs("Til stede:", f);
    for (int i = 0, n = 3 + (int)pick(6); i < n; i++)
        fprintf(f, "%s %s", i ? "," : "", names[pick(N(names))]);
    fprintf(f, "\nForfall: %s\nReferent: %s\n\n", names[pick(N(names))],
            names[pick(N(names))]);
    for (unsigned sak = 1; (size_t)ftell(f) < size; sak++) {
        fprintf(f, "Sak %u/%02u %s\n\n", sak + index % 40, year % 100, topics[pick(N(topics))]);
        for (int para = 0, np = 1 + (int)pick(3); para < np; para++) {
            for (int s = 0, ns = 3 + (int)pick(5); s < ns; s++)
                sentence(f);
            fputs("\n\n", f);
        }
        fputs("Vedtak:\n", f);
        for (int s = 0, ns = 1 + (int)pick(3); s < ns; s++)
            sentence(f);
        fputs("\n\n", f);
    }
    return fclose(f);
}

static void usage(FILE *f)
{
    fputs("Usage: motesok-gen-corpus [--count N] [--size BYTES] [--seed S] OUTDIR\n"
          "Write N (default 5000) synthetic minutes of about BYTES (default 13000) each\n"
          "into OUTDIR/NNN/, 1000 to a folder; the same arguments give the same files.\n",
          f);
}

int main(int argc, char **argv)
{
    unsigned long count = 5000, size = 13000, seed = 1;
    static const struct option longs[] = {{"count", required_argument, NULL, 'n'},
                                          {"size", required_argument, NULL, 's'},
                                          {"seed", required_argument, NULL, 'r'},
                                          {"help", no_argument, NULL, 'h'},
                                          {NULL, 0, NULL, 0}};
    for (int c; (c = getopt_long(argc, argv, "n:s:r:h", longs, NULL)) != -1;) {
        char *end = NULL;
        unsigned long v = c == 'h' ? 0 : strtoul(optarg ? optarg : "", &end, 10);
        if (c == 'h') {
            usage(stdout);
            return 0;
        }
        if (c == '?' || end == NULL || *end != '\0' || v == 0) {
            usage(stderr);
            return 2;
        }
        if (c == 'n')
            count = v;
        else if (c == 's')
            size = v;
        else
            seed = v;
    }
    if (optind + 1 != argc) {
        usage(stderr);
        return 2;
    }
    const char *out = argv[optind];
    if (mkdir(out, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "motesok-gen-corpus: %s: %s\n", out, strerror(errno));
        return 1;
    }
    rng = 0x9E3779B97F4A7C15ULL ^ seed;
    char path[4096];
    for (unsigned long i = 0; i < count; i++) {
        snprintf(path, sizeof path, "%s/%03lu", out, i / 1000);
        if (i % 1000 == 0 && mkdir(path, 0755) != 0 && errno != EEXIST) {
            fprintf(stderr, "motesok-gen-corpus: %s: %s\n", path, strerror(errno));
            return 1;
        }
        snprintf(path, sizeof path, "%s/%03lu/motebok-%06lu.txt", out, i / 1000, i);
        if (write_doc(path, size, (unsigned)i) != 0) {
            fprintf(stderr, "motesok-gen-corpus: %s: %s\n", path, strerror(errno));
            return 1;
        }
    }
    return 0;
}
