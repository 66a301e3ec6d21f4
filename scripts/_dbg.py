import json, sys
from pathlib import Path
sys.path.insert(0, 'training')
from worthiness import detokenize
from kg.extract import extract, load_pipeline
from kg.normalize import normalize
from kg.records import Paper
pat = sys.argv[1]
for line in open('/work/shared/data/scirex/dev.jsonl'):
    doc = json.loads(line); words, sections = doc['words'], doc['sections']
    if len(sections) < 2: continue
    end = sections[1][1]; body = words[sections[1][0]:end]
    if body and body[0].lower() == 'abstract': body = body[1:]
    p = Paper(id='x', title=detokenize(words[sections[0][0]:sections[0][1]]), abstract=detokenize(body))
    if pat.lower() not in (p.title + ' ' + p.abstract).lower(): continue
    print('==', p.title)
    i = (p.title + ' ' + p.abstract).lower().find(pat.lower()); print('  ', (p.title + ' || ' + p.abstract)[max(0,i-150):i+100])
    pm = next(iter(extract([p], nlp=load_pipeline())))
    for m in pm.mentions:
        if any(w in m.text.lower() for w in pat.lower().split()): print('  M', repr(m.text), m.label, m.confidence, m.evidence.source)
    rec = normalize(pm, min_confidence=0.0)
    for e in rec.entities:
        if any(w in (e.name + ' '.join(e.aliases)).lower() for w in pat.lower().split()): print('  E', e.name, e.aliases, e.type, e.confidence)
