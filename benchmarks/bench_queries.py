"""Latency of the query paths on a (synthetic) database — a benchmark, not a test.

    .venv/bin/python benchmarks/bench_queries.py /tmp/synth.db [--runs 50] [--json out.json] [--plans]

Measures, each query run --runs times (default 50) after 2 warm-up runs, the
median and p95 wall time in milliseconds of:

* ``miner search`` — ``miner.database.search.search(store, q)`` on several written forms
  (full code, words + number, type code + number, year form, a most-cited code);
* ``miner targets`` — ``miner.database.dataset.Dataset.targets(...)`` with a few filters
  (or the equivalent SQL over ``targets`` when miner/dataset.py is absent);
* ``miner find`` — ``miner.database.fulltext.search(store, q)`` (skipped when absent).

The library calls are what the commands run, minus printing. The goal is
< 50 ms; a query over the goal is flagged and, with --plans (default on), the
EXPLAIN QUERY PLAN of its main statement is printed.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL_MS = 50.0


def timed(fn, runs: int) -> tuple[float, float, int]:
    for _ in range(2):
        fn()
    samples = []
    size = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        samples.append((time.perf_counter() - t0) * 1000)
        size = len(out) if hasattr(out, "__len__") else 0
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return statistics.median(samples), p95, size


def most_cited_code(conn) -> str:
    row = conn.execute("SELECT d.code FROM directives d WHERE d.id = (SELECT directive_id FROM citations"
                       " GROUP BY directive_id ORDER BY count(*) DESC LIMIT 1)").fetchone()
    return row[0]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("db")
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--json", dest="json_out", default=None, help="also write the results as JSON here")
    ap.add_argument("--no-plans", dest="plans", action="store_false", help="do not print query plans")
    args = ap.parse_args(argv)
    if not os.path.isfile(args.db):
        ap.error(f"no database at {args.db} (build one with benchmarks/make_synthetic_db.py)")

    from miner.database.search import search
    from miner.database.writer import Store

    store = Store(args.db)
    conn = store.conn
    counts = store.counts()
    popular = most_cited_code(conn)
    results: list[dict] = []
    plans: dict[str, list[str]] = {}

    def record(group: str, label: str, fn, note: str = "", plan_sql: tuple[str, tuple] | None = None,
               goal: bool = True) -> None:
        median, p95, n = timed(fn, args.runs)
        ok = p95 < GOAL_MS and median < GOAL_MS
        results.append({"group": group, "query": label, "median_ms": round(median, 2), "p95_ms": round(p95, 2),
                        "rows": n, "runs": args.runs, "goal_met": ok, "note": note, "counted": goal})
        flag = "" if ok else ("  ** over goal" if goal else "  (informational, not a goal)")
        print(f"{group:8} {label:58} median {median:8.2f} ms  p95 {p95:8.2f} ms  rows {n:6}{flag}", flush=True)
        if plan_sql and (not ok or args.plans):
            sql, params = plan_sql
            plans[f"{group}: {label}"] = [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]

    # -- miner search
    search_sql = ("SELECT d.* FROM directives d WHERE d.number_key = ?", ("18",))
    popular_id = conn.execute("SELECT id FROM directives WHERE code = ? ORDER BY cited DESC LIMIT 1",
                              (popular,)).fetchone()[0]
    citing_sql = ("SELECT doc.source, doc.title, doc.published, c.snippet FROM citing_order o"
                  " JOIN citations c ON c.id = o.citation_id JOIN documents doc ON doc.id = c.document_id"
                  " WHERE o.directive_id = ? ORDER BY o.unpublished, o.published, o.source, o.citation_id"
                  " LIMIT ? OFFSET ?", (popular_id, 100, 0))
    for q in ("18-CT/TU", "chỉ thị 18", "ct 18", "18 CT TU", "28/2018/QĐ-TTg", "QĐ 28 TTg", "nghi quyet 36",
              "1386/QĐ-UBND", popular):
        label = f"search {q!r}" + (" (most-cited code)" if q == popular else "")
        record("search", label, lambda q=q: search(store, q), plan_sql=search_sql if q == "18-CT/TU" else
               (citing_sql if q == popular else None),
               note="miner.database.search.search: up to 50 directives, each with the first page (100) of its"
                    " citing documents and citing_total")

    # -- miner targets
    try:
        from miner.database import dataset
    except ImportError:
        dataset = None
    if dataset is not None:
        ds = dataset.open(args.db)
        page = getattr(dataset, "DEFAULT_LIMIT", 500)
        paged = hasattr(ds, "count_targets")
        # (label, filters, limit): a query that can return thousands of rows is measured as the first
        # page (limit=DEFAULT_LIMIT) plus the total (count_targets), what a paging client asks for
        cases = [
            ("year=2020", dict(year=2020), page),
            ("year=2020, limit=50", dict(year=2020), 50),
            ("category=e_government, year 2020-2025", dict(category="e_government", year_range=(2020, 2025)), page),
            ("province='Bắc Giang'", dict(province="Bắc Giang"), page),
            ("province='bac giang', year=2025, limit=50", dict(province="bac giang", year=2025), 50),
            ("directive='36-NQ/TW'", dict(directive="36-NQ/TW"), page),
            (f"directive={popular!r} (most cited)", dict(directive=popular), page),
            ("indicator='dich vu cong', limit=50", dict(indicator="dich vu cong"), 50),
            ("no filter, limit=50", dict(), 50),
        ]

        def page_and_count(kw, limit):
            frame = ds.targets(limit=limit, **kw)
            if paged:
                ds.count_targets(**kw)
            return frame

        from miner.database.schema import TARGETS_FULL_SQL
        for label, kwargs, limit in cases:
            plan = None
            if label == "year=2020":
                plan = (f"SELECT * FROM ({getattr(dataset, 'TARGET_KEYS_SQL', TARGETS_FULL_SQL)}) WHERE year = ?"
                        " ORDER BY year, target_id LIMIT ?", (2020, limit))
            what = f"first {limit} + count" if paged else f"limit {limit}"
            record("targets", f"targets {label} [{what}]", lambda kw=kwargs, lim=limit: page_and_count(kw, lim),
                   note="miner.database.dataset.Dataset.targets(limit=…) + count_targets()", plan_sql=plan)
        # informational: every row at once, as `miner targets` without --limit writes them (not a goal)
        for label, kwargs in (("year=2020", dict(year=2020)), (f"directive={popular!r}", dict(directive=popular))):
            record("targets", f"targets {label} [all rows, informational]",
                   lambda kw=kwargs: ds.targets(limit=None, **kw), note="every row; streaming output", goal=False)
        ds.close()
    else:
        for label, sql, params in (
                ("SQL year=2020", "SELECT * FROM targets WHERE year = ?", (2020,)),
                ("SQL category+year", "SELECT * FROM targets WHERE category = ? AND year BETWEEN ? AND ?",
                 ("e_government", 2020, 2025))):
            record("targets", label, lambda s=sql, p=params: conn.execute(s, p).fetchall(),
                   note="equivalent SQL (miner.database.dataset absent)", plan_sql=(sql, params))

    # -- miner find
    try:
        from miner.database import fulltext
    except ImportError:
        fulltext = None
    if fulltext is not None and conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'fulltext'").fetchone():
        for q, scope in (("chữ ký số", "all"), ("dich vu cong truc tuyen", "all"), ("36-NQ/TW", "documents"),
                         ("chuyen doi so", "targets"), ("chuyen*", "all"), ("an ninh thong tin", "solutions"),
                         ("xyzzy khong co", "all")):
            record("find", f"find {q!r} scope={scope}", lambda q=q, s=scope: fulltext.search(store, q, scope=s),
                   note="miner.database.fulltext.search, limit 20",
                   plan_sql=(("SELECT f.kind FROM fulltext f WHERE fulltext MATCH ? ORDER BY bm25(fulltext) LIMIT 20",
                              (fulltext.fts_query(q),)) if q == "chữ ký số" else None))
    else:
        print("find     (skipped: no miner.database.fulltext or no fulltext table)")

    store.close()
    size = os.path.getsize(args.db)
    print(f"\ndatabase {args.db}: {size / 1e6:.1f} MB; {json.dumps(counts)}")
    counted = [r for r in results if r.get("counted", True)]
    over = [r for r in counted if not r["goal_met"]]
    print(f"{len(counted) - len(over)}/{len(counted)} queries meet median and p95 < {GOAL_MS:.0f} ms"
          f" (informational rows not counted)")
    if plans:
        print("\nEXPLAIN QUERY PLAN")
        for label, lines in plans.items():
            print(f"  {label}")
            for line in lines:
                print(f"      {line}")
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as handle:
            json.dump({"db": args.db, "bytes": size, "counts": counts, "results": results, "plans": plans},
                      handle, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
