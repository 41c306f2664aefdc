"""Build a large synthetic miner database for query benchmarks (not a test).

The schema comes from the real ``miner.database.writer.Store`` (so indexes and any FTS
tables are exactly what the product creates); rows are bulk-inserted with
``executemany`` in big transactions, without going through extraction.

Default sizes: 50,000 documents, 100,000 distinct directives, 1,000,000
citations, 200,000 targets (plus places, document_places, objectives and
solutions). Distributions:

* directive codes: party ``N-CT/TU``, ``N-NQ/TW``, ``N-KH/HU``, ``N-KL/TU``…;
  state ``N/QĐ-UBND``, ``N/KH-UBND``, ``N/2018/QĐ-TTg``, ``N/2015/NĐ-CP``,
  ``N/2014/TT-BTC``, ``N/NQ-CP``, ``N/CT-TTg``…; numbers skewed to small
  values (1-3000), local codes scoped by province/district from
  ``rules/places.jsonl``; years 2010-2030;
* citations: Zipf-like popularity (a few central resolutions are cited by
  thousands of documents, most directives by a handful), unique per
  (document, directive), ~20 per document;
* targets: ~4 per document, years 2010-2030, categories from
  ``rules/categories.jsonl``.

Usage::

    .venv/bin/python benchmarks/make_synthetic_db.py /tmp/synth.db            # full size
    .venv/bin/python benchmarks/make_synthetic_db.py /tmp/small.db --scale 0.01
"""
from __future__ import annotations

import argparse
import bisect
import hashlib
import itertools
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from miner.finders.references import code_key  # noqa: E402
from miner.database.writer import Store  # noqa: E402
from miner.resolution.directives import number_key  # noqa: E402

try:  # newer stores keep the Party Congress term of each directive
    from miner.resolution.directives import term_of  # noqa: E402
except ImportError:  # pragma: no cover
    term_of = None
from miner.folding import fold_ascii  # noqa: E402

RULES = Path(os.environ.get("MINER_RULES_DIR", ROOT / "rules"))

# (template, kind, type_code, issuer_code, system, scope) — scope: central code, "province", "district"
CODE_FORMS = [
    ("{n}-NQ/TW", "Nghị quyết", "NQ", "TW", "party", "tw", 3),
    ("{n}-CT/TW", "Chỉ thị", "CT", "TW", "party", "tw", 2),
    ("{n}-KL/TW", "Kết luận", "KL", "TW", "party", "tw", 2),
    ("{n}-CT/TU", "Chỉ thị", "CT", "TU", "party", "province", 8),
    ("{n}-NQ/TU", "Nghị quyết", "NQ", "TU", "party", "province", 6),
    ("{n}-KH/TU", "Kế hoạch", "KH", "TU", "party", "province", 8),
    ("{n}-KL/TU", "Kết luận", "KL", "TU", "party", "province", 4),
    ("{n}-KH/HU", "Kế hoạch", "KH", "HU", "party", "district", 10),
    ("{n}-NQ/HU", "Nghị quyết", "NQ", "HU", "party", "district", 4),
    ("{n}/QĐ-UBND", "Quyết định", "QĐ", "UBND", "state", "province", 14),
    ("{n}/KH-UBND", "Kế hoạch", "KH", "UBND", "state", "province", 12),
    ("{n}/UBND-VP", "Công văn", None, "UBND-VP", "state", "province", 3),
    ("{n}/NQ-HĐND", "Nghị quyết", "NQ", "HĐND", "state", "province", 4),
    ("{n}/{y}/QĐ-TTg", "Quyết định", "QĐ", "TTg", "state", "ttg", 6),
    ("{n}/QĐ-TTg", "Quyết định", "QĐ", "TTg", "state", "ttg", 4),
    ("{n}/CT-TTg", "Chỉ thị", "CT", "TTg", "state", "ttg", 2),
    ("{n}/NQ-CP", "Nghị quyết", "NQ", "CP", "state", "cp", 3),
    ("{n}/{y}/NĐ-CP", "Nghị định", "NĐ", "CP", "state", "cp", 3),
    ("{n}/{y}/TT-BTC", "Thông tư", "TT", "BTC", "state", "btc", 1),
    ("{n}/{y}/TT-BTTTT", "Thông tư", "TT", "BTTTT", "state", "btttt", 1),
    ("{n}/{y}/QH14", "Luật", None, "QH14", "state", "qh14", 1),
]
CENTRAL_ISSUER = {"TW": "Bộ Chính trị", "TTg": "Thủ tướng Chính phủ", "CP": "Chính phủ", "BTC": "Bộ Tài chính",
                  "BTTTT": "Bộ Thông tin và Truyền thông", "QH14": "Quốc hội"}
LOCAL_ISSUER = {"TU": "Ban Thường vụ Tỉnh ủy {p}", "HU": "Ban Thường vụ Huyện ủy {p}", "UBND": "UBND tỉnh {p}",
                "UBND-VP": "UBND tỉnh {p}", "HĐND": "HĐND tỉnh {p}"}

WORDS = ("triển khai thực hiện ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước chuyển đổi số "
         "chính quyền điện tử dịch vụ công trực tuyến mức độ cán bộ công chức viên chức nâng cao chất lượng "
         "hiệu quả phát triển kinh tế xã hội giai đoạn tầm nhìn đến năm phấn đấu đảm bảo tăng cường lãnh đạo "
         "chỉ đạo tuyên truyền hạ tầng an toàn an ninh thông tin nguồn nhân lực doanh nghiệp người dân").split()
UNITS = ["%", "%", "%", "%", "xã", "doanh nghiệp", "hộ", "km", "tỷ đồng", "người", "trường", "cơ sở"]
COMPARATORS = [">=", ">=", "=", "=", "=", ">", "<=", "<"]


def load_places() -> tuple[list[str], list[tuple[str, str]], list[dict]]:
    provinces, districts, rows = [], [], []
    with open(RULES / "places.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row.get("header"):
                continue
            if row["level"] == "province" and row.get("era", "pre-2025") == "pre-2025":
                provinces.append(row["name"])
                rows.append(row)
            elif row["level"] == "district":
                districts.append((row["name"], row.get("province")))
                rows.append(row)
    return provinces, districts, rows


def load_categories() -> list[str]:
    with open(RULES / "categories.jsonl", encoding="utf-8") as handle:
        return [json.loads(line)["category"] for line in handle if line.strip()]


def skewed_number(rng: random.Random) -> int:
    """Document numbers: most are small (1-300), a long tail up to ~3000."""
    return max(1, int(rng.paretovariate(0.9))) if rng.random() < 0.75 else rng.randint(1, 3000)


def rand_date(rng: random.Random, year: int) -> str:
    return f"{year:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def make_directives(rng, n, provinces, districts):
    weights = list(itertools.accumulate(f[-1] for f in CODE_FORMS))
    seen: set[tuple[str, str, int]] = set()
    rows = []
    while len(rows) < n:
        form = CODE_FORMS[bisect.bisect_right(weights, rng.random() * weights[-1])]
        template, kind, type_code, issuer_code, system, scope, _ = form
        year = rng.randint(2010, 2030)
        num = skewed_number(rng)
        code = template.format(n=num, y=year)
        if scope == "province":
            place = rng.choice(provinces)
        elif scope == "district":
            place = rng.choice(districts)[0]
        else:
            place = None
        if place is not None:
            head = issuer_code.split("-")[0] if issuer_code != "UBND-VP" else "UBND"
            ikey = f"{fold_ascii(head)}:{fold_ascii(place)}"
            issuer = LOCAL_ISSUER[issuer_code].format(p=place)
        else:
            ikey = fold_ascii(scope)
            issuer = CENTRAL_ISSUER[issuer_code]
        ckey = code_key(code)
        if (ckey, ikey, year) in seen:
            continue
        seen.add((ckey, ikey, year))
        date = rand_date(rng, year) if rng.random() < 0.8 else str(year)
        level = "central" if place is None else scope
        rows.append((len(rows) + 1, kind, code, ckey, str(num), number_key(str(num)), type_code, issuer_code,
                     issuer, ikey, system, year, date, level, term_of(date) if term_of else None))
    return rows


def zipf_sampler(rng: random.Random, n: int, offset: float = 10.0, s: float = 1.0):
    order = list(range(1, n + 1))
    rng.shuffle(order)
    cum = list(itertools.accumulate(1.0 / (i + offset) ** s for i in range(n)))
    total = cum[-1]

    def draw() -> int:
        return order[min(n - 1, bisect.bisect_right(cum, rng.random() * total))]

    return draw


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("db", help="database file to create (must not exist unless --force)")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every row count (default 1.0)")
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--force", action="store_true", help="overwrite an existing file")
    args = ap.parse_args(argv)

    n_docs = int(50_000 * args.scale)
    n_dirs = int(100_000 * args.scale)
    n_cits = int(1_000_000 * args.scale)
    n_targets = int(200_000 * args.scale)

    path = Path(args.db)
    if path.exists():
        if not args.force:
            ap.error(f"{path} exists (use --force)")
        for suffix in ("", "-wal", "-shm"):
            p = Path(str(path) + suffix)
            if p.exists():
                p.unlink()

    rng = random.Random(args.seed)
    started = time.perf_counter()
    provinces, districts, place_rows = load_places()
    categories = load_categories()

    store = Store(str(path))
    conn = store.conn
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -200000")
    tables = {r[0]: r[1] or "" for r in conn.execute("SELECT name, sql FROM sqlite_master WHERE type='table'")}
    fts_tables = [name for name, sql in tables.items() if "fts5" in sql.lower()]

    def bulk(sql: str, rows) -> None:
        conn.execute("BEGIN")
        conn.executemany(sql, rows)
        conn.execute("COMMIT")

    # places
    place_ids: dict[str, int] = {}
    prows, identities = [], set()
    for row in place_rows:
        prov = None if row["level"] == "province" else row.get("province")
        if (row["name"], row["level"], prov) in identities:
            continue
        identities.add((row["name"], row["level"], prov))
        prows.append((len(prows) + 1, row["name"], row["level"], prov, row.get("new_province")))
        place_ids.setdefault(row["name"], len(prows))
    bulk("INSERT INTO places(id, name, level, province, new_province) VALUES (?,?,?,?,?)", prows)
    province_ids = [place_ids[p] for p in provinces]
    district_rows = [(place_ids[d], place_ids.get(p or "")) for d, p in districts]

    # directives
    t0 = time.perf_counter()
    dirs = make_directives(rng, n_dirs, provinces, districts)
    dir_columns = {r[1] for r in conn.execute("PRAGMA table_info(directives)")}
    extra = [c for c in ("level", "term") if c in dir_columns]
    width = 13 + len(extra)
    bulk("INSERT INTO directives(id, kind, code, code_key, number, number_key, type_code, issuer_code, issuer,"
         f" issuer_key, system, year, date{''.join(', ' + c for c in extra)})"
         f" VALUES ({','.join('?' * width)})",
         [r[:13] + tuple(r[13 + ("level", "term").index(c)] for c in extra) for r in dirs])
    print(f"directives: {len(dirs):,} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)

    # citations (document, directive) pairs, Zipf-popular directives
    t0 = time.perf_counter()
    draw = zipf_sampler(rng, n_dirs)
    per_doc: list[set[int]] = [set() for _ in range(n_docs)]
    made = 0
    while made < n_cits:
        doc = rng.randrange(n_docs)
        d = draw()
        if d not in per_doc[doc]:
            per_doc[doc].add(d)
            made += 1

    # documents, with a short synthetic text that mentions the cited codes (for full-text search)
    docs, cits = [], []
    cid = 0
    for i in range(n_docs):
        doc_id = i + 1
        year = rng.randint(2010, 2030)
        cited = sorted(per_doc[i])
        parts, pos, spans = [], 0, []
        for d in cited:
            row = dirs[d - 1]
            lead = sentence(rng, rng.randint(6, 14)) + f" {row[1]} số "
            parts.append(lead)
            pos += len(lead)
            spans.append((d, pos, pos + len(row[2])))
            parts.append(row[2] + f" ngày {row[12]} của {row[8]}. ")
            pos += len(row[2]) + len(f" ngày {row[12]} của {row[8]}. ")
        text = "".join(parts) + sentence(rng, 40)
        title = f"Kế hoạch {sentence(rng, 8)}"
        sha = hashlib.sha256(f"{args.seed}:{doc_id}".encode()).hexdigest()
        published = rand_date(rng, year) if rng.random() < 0.9 else None
        docs.append((doc_id, f"doc_{doc_id:06d}.txt", f"/synthetic/doc_{doc_id:06d}.txt", sha, title, published,
                     "utf-8", "text", len(text.encode()), "synthetic", "2026-01-01T00:00:00+00:00", text))
        for d, start, end in spans:
            row = dirs[d - 1]
            cid += 1
            snippet = text[max(0, start - 50):end + 50]
            cits.append((cid, doc_id, d, row[2], start, end, rng.choice((1, 1, 1, 2, 3)), row[12], row[8], row[1],
                         0, snippet))
    bulk("INSERT INTO documents(id, source, path, sha256, title, published, encoding, format, size,"
         " rules_version, extracted_at, text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", docs)
    print(f"documents: {len(docs):,} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    t0 = time.perf_counter()
    for chunk in range(0, len(cits), 250_000):
        bulk('INSERT INTO citations(id, document_id, directive_id, text, start, "end", mentions, cited_date,'
             " cited_issuer, cited_kind, is_self, snippet) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
             cits[chunk:chunk + 250_000])
    del cits
    if "cited" in dir_columns:  # the store's denormalized citation count
        conn.execute("BEGIN")
        conn.execute("UPDATE directives SET cited = (SELECT count(*) FROM citations c WHERE c.directive_id = directives.id)")
        conn.execute("COMMIT")
    print(f"citations: {n_cits:,} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)

    # document places: a province, often a district of it
    dp = []
    for doc_id in range(1, n_docs + 1):
        if rng.random() < 0.6:
            did, pid = rng.choice(district_rows)
            dp.append((doc_id, pid or rng.choice(province_ids), 0))
            dp.append((doc_id, did, 1))
        else:
            dp.append((doc_id, rng.choice(province_ids), 0))
    bulk("INSERT OR IGNORE INTO document_places(document_id, place_id, position) VALUES (?,?,?)", dp)

    # targets
    t0 = time.perf_counter()
    trows = []
    for tid in range(1, n_targets + 1):
        doc_id = rng.randint(1, n_docs)
        unit = rng.choice(UNITS)
        value = float(rng.choice((100, 100, 90, 95, 80, 70, 50, 30))) if unit == "%" else float(rng.randint(1, 5000))
        year = rng.randint(2010, 2030) if rng.random() < 0.9 else None
        indicator = sentence(rng, rng.randint(4, 10))
        sent = f"Phấn đấu đến năm {year or 2025} có {value:g}{unit} {indicator}."
        start = rng.randint(0, 3000)
        trows.append((tid, doc_id, value, None, unit, rng.choice(COMPARATORS), year, indicator,
                      rng.choice(categories) if rng.random() < 0.85 else None, sent, start, start + 4,
                      round(rng.uniform(0.4, 1.0), 3)))
    bulk("INSERT INTO targets(id, document_id, value, value_max, unit, comparator, year, indicator, category,"
         ' sentence, start, "end", confidence) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)', trows)
    print(f"targets: {len(trows):,} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)

    # objectives and solutions: ~3 each per document
    for table in ("objectives", "solutions"):
        rows = [(doc_id, pos, sentence(rng, 12), pos * 200, pos * 200 + 80)
                for doc_id in range(1, n_docs + 1) for pos in range(rng.randint(1, 5))]
        bulk(f'INSERT INTO {table}(document_id, position, text, start, "end") VALUES (?,?,?,?,?)', rows)

    # full-text tables, if this version of the store has them
    if fts_tables:
        t0 = time.perf_counter()
        rebuilt = rebuild_fulltext(store, fts_tables)
        print(f"full-text: {rebuilt} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)

    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    counts = store.counts()
    store.close()
    seconds = time.perf_counter() - started
    size = path.stat().st_size
    print(json.dumps({"db": str(path), "seconds": round(seconds, 1), "bytes": size,
                      "megabytes": round(size / 1e6, 1), "counts": counts, "fts_tables": fts_tables},
                     ensure_ascii=False))
    return 0


def rebuild_fulltext(store: Store, fts_tables: list[str]) -> str:
    """Fill the FTS tables: the store's own rebuild function if it has one, else FTS5 'rebuild'."""
    for name in ("rebuild_fulltext", "rebuild_fts", "reindex_fulltext", "rebuild_search_index"):
        fn = getattr(store, name, None)
        if callable(fn):
            store.conn.execute("BEGIN")  # the store's rebuild runs inside the caller's transaction
            fn()
            store.conn.execute("COMMIT")
            return f"Store.{name}()"
    try:
        from miner.database import fulltext  # type: ignore
    except ImportError:
        fulltext = None
    if fulltext is not None:
        for name in ("rebuild", "rebuild_index", "reindex"):
            fn = getattr(fulltext, name, None)
            if callable(fn):
                fn(store)
                return f"miner.database.fulltext.{name}(store)"
    conn = store.conn
    done = []
    for table in fts_tables:
        conn.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
        done.append(table)
    return "FTS5 'rebuild' of " + ", ".join(done)


if __name__ == "__main__":
    sys.exit(main())
