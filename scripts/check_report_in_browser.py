"""Render a report for a real document in headless Chromium: screenshot + DOM check.

    .venv/bin/python scripts/check_report_in_browser.py [DOC] [--out DIR]

DOC defaults to ../shared/corpus/dev/000_a5a24a10da4b2c1e.txt. Writes
DIR/report.html, DIR/report.png (1400×1800 screenshot) and DIR/dom.html (the
DOM after rendering, from ``--dump-dom``), then checks in the dumped DOM that
every reference of the record has a highlight holding its code, that each
target and place with a span is highlighted, that the side panel's tables are
there and that no <script> element exists. Exit status 0 when every check
passes, 1 otherwise, 2 when Chromium is missing (``apt-get install chromium``).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DOC = ROOT.parent / "shared" / "corpus" / "dev" / "000_a5a24a10da4b2c1e.txt"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


def chromium(binary: str, args: list[str], timeout: int = 90) -> subprocess.CompletedProcess:
    profile = tempfile.mkdtemp(prefix="miner-chromium-")
    try:
        return subprocess.run([binary, *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


class Marks(HTMLParser):
    """Collects the <mark> elements of a DOM dump: (data-kind, attributes, text inside)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.marks: list[dict] = []
        self.open: list[dict] = []
        self.tags: dict[str, int] = {}
        self.classes: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        a = dict(attrs)
        for cls in (a.get("class") or "").split():
            self.classes.add(cls)
        if tag == "mark":
            entry = {"attrs": a, "text": ""}
            self.marks.append(entry)
            self.open.append(entry)

    def handle_endtag(self, tag):
        if tag == "mark" and self.open:
            self.open.pop()

    def handle_data(self, data):
        for entry in self.open:
            entry["text"] += data


def check_dom(dom: str, record) -> list[str]:
    """Problems found in the dumped DOM (empty when all is well)."""
    parser = Marks()
    parser.feed(dom)
    problems = []
    refs = [m for m in parser.marks if m["attrs"].get("data-kind") == "reference"]
    for r in record.references:
        if r.span is None:
            continue
        holding = [m for m in refs if m["attrs"].get("data-code") == r.code]
        if not holding:
            problems.append(f"reference {r.code}: no highlight")
        elif not any(m["text"].strip() for m in holding):
            problems.append(f"reference {r.code}: highlight is empty")
    for kind, items in (("target", record.targets), ("place", record.places),
                        ("objective", record.objectives), ("solution", record.solutions)):
        want = sum(1 for x in items if x.span is not None)
        got = sum(1 for m in parser.marks if m["attrs"].get("data-kind") == kind)
        if got < want:
            problems.append(f"{kind}: {got} highlights for {want} spans")
    for cls in ("doc", "side", "references", "targets"):
        if record.references or cls != "references":
            if (cls == "targets" and not record.targets):
                continue
            if cls not in parser.classes:
                problems.append(f"no element of class {cls!r}")
    if parser.tags.get("script"):
        problems.append("the page holds a <script> element")
    return problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("doc", nargs="?", default=str(DEFAULT_DOC))
    ap.add_argument("--out", default=None, help="output directory (default: a new temporary directory)")
    ap.add_argument("--size", default="1400,1800", help="window size for the screenshot")
    args = ap.parse_args(argv)

    binary = find_chromium()
    if not binary:
        print("chromium not found: apt-get install -y chromium", file=sys.stderr)
        return 2
    from miner import reading
    from miner.pipeline import extract_source
    from miner.rendering.report import published_span, render_html

    out = Path(args.out or tempfile.mkdtemp(prefix="miner-report-"))
    out.mkdir(parents=True, exist_ok=True)
    src = reading.read_path(args.doc)
    record = extract_source(src)
    page = out / "report.html"
    page.write_text(render_html(src.text, record, published_span(src.text, record.published)), encoding="utf-8")
    url = page.resolve().as_uri()

    png = out / "report.png"
    shot = chromium(binary, [f"--screenshot={png}", f"--window-size={args.size}", url])
    if not png.exists() or png.stat().st_size == 0:
        print(f"screenshot failed (exit {shot.returncode}):\n{shot.stderr[-2000:]}", file=sys.stderr)
        return 1
    dump = chromium(binary, ["--dump-dom", url])
    dom = dump.stdout
    (out / "dom.html").write_text(dom, encoding="utf-8")
    if dump.returncode != 0 or "<mark" not in dom:
        print(f"--dump-dom failed (exit {dump.returncode}):\n{dump.stderr[-2000:]}", file=sys.stderr)
        return 1

    problems = check_dom(dom, record)
    parser = Marks()
    parser.feed(dom)
    kinds: dict[str, int] = {}
    for m in parser.marks:
        kinds[m["attrs"].get("data-kind", "?")] = kinds.get(m["attrs"].get("data-kind", "?"), 0) + 1
    print(f"document   {args.doc}")
    print(f"report     {page}")
    print(f"screenshot {png} ({png.stat().st_size:,} bytes)")
    print(f"dom        {out / 'dom.html'} ({len(dom):,} chars)")
    print("highlights " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    print(f"record     {len(record.references)} references, {len(record.targets)} targets, "
          f"{len(record.places)} places, {len(record.objectives)} objectives, {len(record.solutions)} solutions")
    for p in problems:
        print(f"FAIL {p}")
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
