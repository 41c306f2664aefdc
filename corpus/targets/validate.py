import json, collections, sys
from pathlib import Path
sys.path.insert(0,str(Path(__file__).resolve().parents[2]/'scripts'))
from sample_candidates import clean
LABELS={'target','range_upper','result','statistic','descriptive','policy','forecast','list_count','level','section','other'}
pool=Path(__file__).resolve().parents[3]/'shared'/'corpus'/'pool'; cache={}
n=0; errs=[]; c=collections.Counter(); docs=set(); ids=set()
for i,l in enumerate(open(Path(__file__).with_name('candidates.jsonl')),1):
    r=json.loads(l); n+=1
    for f in ['id','source','sentence','start','end','mention','label']:
        if f not in r: errs.append((i,'missing '+f))
    if r['id'] in ids: errs.append((i,'dup id'))
    ids.add(r['id'])
    if r['sentence'][r['start']:r['end']]!=r['mention']: errs.append((i,'mention mismatch'))
    if r['label'] not in LABELS: errs.append((i,'bad label'))
    if r['source'] not in cache: cache[r['source']]=clean((pool/r['source']).read_text(errors='replace'))
    if r['sentence'] not in cache[r['source']]: errs.append((i,'sentence not in cleaned source'))
    if r['label']=='target':
        t=r.get('target') or {}
        for f in ['value','value_max','unit','comparator','year','indicator']:
            if f not in t: errs.append((i,'target missing '+f))
        if t.get('comparator') not in ('=','>=','>','<=','<'): errs.append((i,'bad comparator'))
        if not isinstance(t.get('value'),(int,float)): errs.append((i,'bad value'))
        if not t.get('indicator'): errs.append((i,'empty indicator'))
    elif 'target' in r: errs.append((i,'target on non-target'))
    c[r['label']]+=1; docs.add(r['source'])
print('lines',n,'docs',len(docs)); print(dict(c.most_common())); print('errors',errs[:20],len(errs))
