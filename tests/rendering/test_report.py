"""miner report: the highlighted HTML page of one document."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from miner.cli.report import report as report_cmd
from miner.pipeline import extract
from miner.records import ListItem, Record, Reference, Span, Target
from miner.rendering.report import collect_highlights, render_html, render_text

from testdata import DATA

DEV = DATA / "dev"  # copies of dev pages (tests/data/README.md)
DEV_DOC = DEV / "000_a5a24a10da4b2c1e.txt"
CHROMIUM = "/usr/bin/chromium"

TEXT = (
    "Ngày đăng: 08/06/2015\n"
    "Huyện ủy Tân Yên triển khai Chỉ thị số 18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh ủy Bắc Giang "
    "và Quyết định số 28/2018/QĐ-TTg ngày 12/7/2018 của Thủ tướng Chính phủ.\n"
    "Mục tiêu: Phấn đấu đến năm 2020 có 100% cán bộ công chức đạt trình độ tin học A trở lên.\n"
)


class Page(HTMLParser):
    """Marks (kind, attrs, inner text), the text inside article.doc, well-formedness of the marks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.marks: list[dict] = []
        self.open_marks: list[dict] = []
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.in_doc = 0
        self.doc_text: list[str] = []
        self.tags: dict[str, int] = {}
        self.table_rows: dict[str, int] = {}
        self.current_table: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag in ("meta", "br", "link"):
            return
        self.stack.append(tag)
        if tag == "article" and "doc" in (a.get("class") or ""):
            self.in_doc = len(self.stack)
        if tag == "mark":
            entry = {"attrs": a, "text": ""}
            self.marks.append(entry)
            self.open_marks.append(entry)
        if tag == "table":
            self.current_table = (a.get("class") or "").split()[-1]
        if tag == "tr" and self.current_table:
            self.table_rows[self.current_table] = self.table_rows.get(self.current_table, 0) + 1

    def handle_endtag(self, tag):
        if tag in ("meta", "br", "link"):
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            return
        if self.in_doc == len(self.stack):
            self.in_doc = 0
        self.stack.pop()
        if tag == "mark":
            self.open_marks.pop()
        if tag == "table":
            self.current_table = None

    def handle_data(self, data):
        if self.in_doc:
            self.doc_text.append(data)
        for entry in self.open_marks:
            entry["text"] += data


def parse(page: str) -> Page:
    p = Page()
    p.feed(page)
    p.close()
    return p


def kinds(p: Page, kind: str) -> list[dict]:
    return [m for m in p.marks if m["attrs"].get("data-kind") == kind]


@pytest.fixture(scope="module")
def record() -> Record:
    return extract(TEXT, source="t.txt")


def test_every_reference_code_is_inside_a_highlight(record):
    assert {r.code for r in record.references} >= {"18-CT/TU", "28/2018/QĐ-TTg"}
    p = parse(render_html(TEXT, record))
    assert not p.errors
    refs = kinds(p, "reference")
    for r in record.references:
        holding = [m for m in refs if m["attrs"].get("data-code") == r.code]
        assert holding, r.code
        assert any(r.code in m["text"] or (r.text and r.text in m["text"]) for m in holding)
        assert "kind: " in holding[0]["attrs"]["title"]


def test_text_round_trips_and_targets_places_are_highlighted(record):
    p = parse(render_html(TEXT, record))
    assert "".join(p.doc_text) == TEXT  # the highlighted text is exactly the decoded text
    assert [m["text"] for m in kinds(p, "target")] == [TEXT[t.span.start:t.span.end] for t in record.targets]
    assert kinds(p, "place")
    tip = kinds(p, "target")[0]["attrs"]["title"]
    for field in ("value: 100", "unit: %", "year: 2020", "indicator: ", "confidence: "):
        assert field in tip


def test_side_table_lists_the_targets(record):
    page = render_html(TEXT, record)
    p = parse(page)
    assert record.targets
    assert p.table_rows["targets"] == len(record.targets) + 1  # header row + one per target
    assert p.table_rows["references"] == len(record.references) + 1
    for t in record.targets:
        assert t.indicator in page


def test_published_date_is_highlighted_when_found_in_text(record):
    from miner.rendering.report import published_span

    span = published_span(TEXT, record.published)
    assert record.published == "2015-06-08" and span is not None
    assert TEXT[span.start:span.end] == "08/06/2015"
    p = parse(render_html(TEXT, record, span))
    assert [m["text"] for m in kinds(p, "date")] == ["08/06/2015"]


def test_script_in_input_stays_inert():
    evil = 'Chỉ thị số 18-CT/TU <script>alert("x")</script> <img src=x onerror=alert(1)> & "quotes"'
    rec = extract(evil, source="<script>.txt")
    rec.title = "<script>alert(2)</script>"
    rec.targets.append(Target(value=5, unit="<b>", indicator='"><script>alert(3)</script>',
                              span=Span(0, 3), category="<i>"))
    page = render_html(evil, rec)
    assert "<script" not in page.lower()
    assert "<img" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    p = parse(page)
    assert not p.errors and "script" not in p.tags
    assert "".join(p.doc_text) == evil


def test_overlapping_spans_do_not_break_the_markup():
    text = "0123456789abcdefghijklmnopqrstuvwxyz<>&"
    rec = Record(
        source="x",
        references=[Reference("Chỉ thị", "A", span=Span(15, 30), mentions=[Span(15, 30), Span(2, 6)]),
                    Reference("Chỉ thị", "B", span=Span(0, 20), mentions=[Span(0, 20)])],
        targets=[Target(1, "%", span=Span(5, 10)), Target(2, "%", span=Span(5, 10)),
                 Target(3, "%", span=Span(25, 38)), Target(4, "%", span=Span(36, 39))],
        objectives=[ListItem("o", Span(0, 20))],
        solutions=[ListItem("s", Span(18, 39)), ListItem("bad", Span(30, 10)), ListItem("out", Span(5, 999))],
    )
    body = render_text(text, collect_highlights(text, rec))
    p = parse(f'<article class="doc">{body}</article>')
    assert not p.errors and not p.stack
    assert "".join(p.doc_text) == text
    assert len(p.marks) == 9  # every valid span gave a mark; the reversed and out-of-range ones none
    assert any(m["attrs"].get("data-clipped") for m in p.marks)
    page = render_html(text, rec)
    assert not parse(page).errors


def test_command_writes_the_file_and_prints_its_path(tmp_path):
    src = tmp_path / "doc.txt"
    src.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "r.html"
    result = CliRunner().invoke(report_cmd, [str(src), "--html", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(out)
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'charset="utf-8"' in page
    assert "http://" not in page and "https://" not in page  # self-contained


def test_command_errors_are_clear(tmp_path):
    runner = CliRunner()
    result = runner.invoke(report_cmd, [str(tmp_path / "missing.txt"), "--html", str(tmp_path / "o.html")])
    assert result.exit_code != 0 and "no such file" in result.output
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    result = runner.invoke(report_cmd, [str(binary), "--html", str(tmp_path / "o.html")])
    assert result.exit_code != 0 and "Error:" in result.output
    result = runner.invoke(report_cmd, ["x.txt", "--db", str(tmp_path / "none.db"), "--html", str(tmp_path / "o.html")])
    assert result.exit_code != 0 and "no database" in result.output
    assert not (tmp_path / "o.html").exists()


def test_command_reads_a_stored_document(tmp_path):
    from miner.database.writer import Store

    rec = extract(TEXT, source="stored.txt")
    db = tmp_path / "m.db"
    with Store(str(db)) as store:
        store.add_records([rec], "test", texts={"stored.txt": TEXT})
    out = tmp_path / "s.html"
    result = CliRunner().invoke(report_cmd, ["stored.txt", "--db", str(db), "--html", str(out)])
    assert result.exit_code == 0, result.output
    p = parse(out.read_text(encoding="utf-8"))
    assert not p.errors
    assert {m["attrs"]["data-code"] for m in kinds(p, "reference")} == {r.code for r in rec.references}
    assert len(kinds(p, "target")) == len(rec.targets)
    assert "".join(p.doc_text) == TEXT
    result = CliRunner().invoke(report_cmd, ["nope.txt", "--db", str(db), "--html", str(out)])
    assert result.exit_code != 0 and "no stored document" in result.output


@pytest.mark.skipif(not DEV_DOC.is_file(), reason="../shared/corpus/dev is not beside the project")
def test_dev_document_report(tmp_path):
    from miner.rendering.report import report_for_path

    from miner.pipeline import extract_path

    rec = extract_path(str(DEV_DOC))
    p = parse(report_for_path(DEV_DOC))
    assert not p.errors
    codes = {m["attrs"].get("data-code") for m in kinds(p, "reference")}
    assert {r.code for r in rec.references} <= codes
    assert len(kinds(p, "target")) == len(rec.targets)


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no /usr/bin/chromium (apt-get install chromium)")
def test_highlights_survive_a_real_browser(tmp_path, record):
    page = tmp_path / "report.html"
    page.write_text(render_html(TEXT, record), encoding="utf-8")
    profile = tempfile.mkdtemp(prefix="miner-test-chromium-")
    try:
        run = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
            capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert run.returncode == 0, run.stderr[-2000:]
    p = parse(run.stdout)
    assert not p.errors
    codes = {m["attrs"].get("data-code") for m in kinds(p, "reference")}
    assert {r.code for r in record.references} <= codes
    assert len(kinds(p, "target")) == len(record.targets)
    assert kinds(p, "place") and "script" not in p.tags
    assert "".join(p.doc_text) == TEXT
