#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Known-item queries over a motesokd: see run.sh. Usage: known.py URL OUT.tsv
import json
import re
import sys
import urllib.parse
import urllib.request

URL, OUT = sys.argv[1], sys.argv[2]
# procedural cases, whose titles name no subject
SKIP = re.compile(r'protokoll|eventuelt|referat|meldinger|innkalling|sakliste|orientering|'
                  r'delegert|godkjenning av|underskrift|møtebok', re.I)
STOP = set('skal etter under mellom innen ulike andre eller samt også dette denne'.split())


def get(path, **query):
    q = '?' + urllib.parse.urlencode(query) if query else ''
    with urllib.request.urlopen(URL + path + q) as r:
        return json.load(r)


def title_words(title):
    """The title's two longest words of five letters or more, lower case."""
    words = {w for w in re.findall(r'[^\W\d_]+', title) if len(w) >= 5 and w.lower() not in STOP}
    best = sorted(words, key=lambda w: (-len(w), w))[:2]
    return ' '.join(w.lower() for w in best) if len(best) == 2 else None


cases = []
for doc_id in sorted(h['id'] for h in get('/api/v1/search', q='', limit=1000)['hits']):
    doc = get('/api/v1/documents/' + doc_id)
    if not doc.get('kommune'):
        continue
    organ = (doc.get('organ') or '').lower()
    for c in doc.get('cases') or []:
        words = title_words(c.get('title') or '')
        if words and not SKIP.search(c.get('title') or ''):
            cases.append((doc['path'], c['number'], words, doc['kommune'], organ))

shapes = {'title words': [], '+ kommune': [], '+ kommune in lower case': [], '+ organ': []}
with open(OUT, 'w') as out:
    out.write('shape\tquery\tcase\tpath\trank\n')
    for path, number, words, kommune, organ in cases:
        queries = [('title words', words), ('+ kommune', f'{words} {kommune}'),
                   ('+ kommune in lower case', f'{words} {kommune.lower()}')]
        if organ and ' ' not in organ:
            queries.append(('+ organ', f'{words} {organ}'))
        for shape, q in queries:
            hits = get('/api/v1/search', q=q, limit=10)['hits']
            rank = next((i + 1 for i, h in enumerate(hits)
                         if h['path'] == path and (h.get('case') or {}).get('number') == number), 0)
            shapes[shape].append(1.0 / rank if rank else 0.0)
            out.write(f'{shape}\t{q}\t{number}\t{path}\t{rank}\n')
print('| query | queries | MRR@10 |')
print('|---|---|---|')
for shape, rr in shapes.items():
    print(f'| {shape} | {len(rr)} | {sum(rr) / len(rr):.3f} |')
