"""Extraction throughput and memory on a replicated corpus — a benchmark, not a test.

    .venv/bin/python benchmarks/bench_extract.py [--pool /work/shared/corpus/pool] [--docs 5000]
        [--checkpoints 1000,2500,5000] [--tokenize-docs 138] [--paired-rounds 2]
        [--cli-jobs 2 --cli-docs 1000]
        [--markdown benchmarks/bench_README_extract.md]

1. Replicates the pool corpus (138 documents, 3.5 MB) into a temporary
   directory until there are --docs files; every copy gets a unique trailing
   line (letters only, so it adds no number, date or code), so no content is
   identical across copies.
2. Runs the full pipeline in this process (``miner.pipeline.extract_paths``,
   each record serialised with ``to_json()`` and dropped) and reports, at each
   checkpoint: documents/s and MB/s (wall clock), MB/s per core (MB over the
   process's CPU seconds, so other load on the machine does not count against
   it), peak RSS so far (``resource.getrusage``) and current RSS (/proc) —
   flat numbers mean memory does not grow with the number of documents.
3. underthesea ``word_tokenize`` alone, sentence by sentence (lines split,
   then ``sent_tokenize``, as docs/dependency-notes advise), over the first
   --tokenize-docs documents of the same set (by default one full copy of the
   pool: all the distinct text), for the ratio pipeline / word_tokenize.
4. Pipeline and word_tokenize alternating document by document over the same
   --tokenize-docs documents, --paired-rounds times: the ratio with both sides
   measured under the same machine speed (which drifts on a shared machine).
5. With --cli-jobs N (and a ``miner extract --jobs`` option present), runs
   ``miner extract DIR --jobs N --format jsonl --output /dev/null`` on the
   first --cli-docs files and reports wall-clock throughput, the CPU time of
   the process tree and the largest process RSS (both polled from /proc).

The table is printed and written to --markdown.
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MB = 1e6


def _letters(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = string.ascii_lowercase[r] + out
    return out


def replicate(pool: Path, target: Path, docs: int) -> list[Path]:
    sources = sorted(p for p in pool.iterdir() if p.is_file() and p.suffix in (".txt", ".md", ".html", ".htm"))
    if not sources:
        raise SystemExit(f"no documents in {pool}")
    blobs = [p.read_bytes() for p in sources]
    paths = []
    for i in range(docs):
        k = i % len(sources)
        src = sources[k]
        dst = target / f"{i:06d}_{src.name}"
        tail = f"\n\nGhi chú lưu trữ bản sao {_letters(i)}.\n".encode("utf-8")
        data = blobs[k]
        if src.suffix in (".html", ".htm"):
            data = data.replace(b"</body>", f"<p>Ghi chú lưu trữ bản sao {_letters(i)}.</p></body>".encode(), 1)
        else:
            data = data.rstrip() + tail
        dst.write_bytes(data)
        paths.append(dst)
    return paths


def rss_now_mb() -> float:
    try:
        with open("/proc/self/statm") as handle:
            pages = int(handle.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return float("nan")


def peak_rss_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kB on Linux


def bench_pipeline(paths: list[Path], checkpoints: list[int]) -> list[dict]:
    from miner import pipeline
    from miner.finders import classifier

    classifier.load()
    from underthesea import word_tokenize

    word_tokenize("khởi động", use_token_normalize=False)  # load the CRF model outside the timing
    rows = []
    done = 0
    size = 0
    failures = 0
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for outcome in pipeline.extract_paths(str(p) for p in paths):
        if outcome.record is None:
            failures += 1
        else:
            outcome.record.to_json()
            size += outcome.record.size or 0
        done += 1
        if done in checkpoints:
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
            rows.append({"docs": done, "MB": size / MB, "wall": wall, "cpu": cpu, "docs/s": done / wall,
                         "MB/s": size / MB / wall, "MB/s/core": size / MB / cpu,
                         "peak_rss": peak_rss_mb(), "rss": rss_now_mb(), "failures": failures})
            print(f"  {done:>6} docs  {size / MB:8.1f} MB  {wall:7.1f} s wall  {cpu:7.1f} s CPU  "
                  f"{done / wall:6.1f} docs/s  {size / MB / wall:5.2f} MB/s  {size / MB / cpu:5.2f} MB/s/core  "
                  f"peak RSS {peak_rss_mb():6.0f} MB  RSS {rss_now_mb():6.0f} MB  failures {failures}", flush=True)
    return rows


def _sentences(text: str):
    from underthesea import sent_tokenize

    for line in text.split("\n"):
        if line.strip():
            yield from sent_tokenize(line)


def bench_word_tokenize(paths: list[Path]) -> dict:
    from underthesea import word_tokenize

    from miner import reading

    texts = [reading.read_path(p).text for p in paths]
    size = sum(len(t.encode("utf-8")) for t in texts)
    chars = sum(len(t) for t in texts)
    word_tokenize("khởi động", use_token_normalize=False)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for text in texts:
        for sentence in _sentences(text):
            word_tokenize(sentence, use_token_normalize=False)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    row = {"docs": len(texts), "MB": size / MB, "chars": chars, "wall": wall, "cpu": cpu,
           "MB/s": size / MB / wall, "MB/s/core": size / MB / cpu, "chars/s/core": chars / cpu}
    print(f"  word_tokenize alone: {len(texts)} docs {size / MB:.1f} MB {chars} chars  {wall:.1f} s wall "
          f"{cpu:.1f} s CPU  {row['MB/s/core']:.3f} MB/s/core ({row['chars/s/core']:,.0f} chars/s)", flush=True)
    return row


def bench_paired(paths: list[Path], rounds: int) -> list[dict]:
    """Pipeline and word_tokenize document by document, alternately, over the same
    texts: the speed of this shared machine drifts by tens of percent between
    minutes, and alternating makes both sides of the ratio see the same drift."""
    from underthesea import word_tokenize

    from miner import reading
    from miner import pipeline

    sources = [reading.read_path(p) for p in paths]
    size = sum(src.size for src in sources)
    word_tokenize("khởi động", use_token_normalize=False)
    out = []
    for round_no in range(1, rounds + 1):
        cpu_pipeline = cpu_tokenize = 0.0
        for path, src in zip(paths, sources):
            t0 = time.process_time()
            pipeline.extract_path(str(path)).to_json()
            t1 = time.process_time()
            for sentence in _sentences(src.text):
                word_tokenize(sentence, use_token_normalize=False)
            t2 = time.process_time()
            cpu_pipeline += t1 - t0
            cpu_tokenize += t2 - t1
        row = {"round": round_no, "docs": len(paths), "MB": size / MB, "cpu_pipeline": cpu_pipeline,
               "cpu_tokenize": cpu_tokenize, "pipeline": size / MB / cpu_pipeline,
               "tokenize": size / MB / cpu_tokenize, "ratio": cpu_tokenize / cpu_pipeline}
        print(f"  round {round_no}: pipeline {row['pipeline']:.3f} MB/s/core, word_tokenize {row['tokenize']:.3f} "
              f"MB/s/core, ratio {row['ratio']:.2f}×", flush=True)
        out.append(row)
    return out


def bench_cli(directory: Path, jobs: int) -> dict | None:
    miner = ROOT / ".venv" / "bin" / "miner"
    help_text = subprocess.run([str(miner), "extract", "--help"], capture_output=True, text=True).stdout
    if "--jobs" not in help_text:
        print("  `miner extract --jobs` not available; skipped", flush=True)
        return None
    size = sum(p.stat().st_size for p in directory.iterdir())
    docs = sum(1 for _ in directory.iterdir())
    wall0 = time.perf_counter()
    proc = subprocess.Popen([str(miner), "extract", str(directory), "--jobs", str(jobs), "--format", "jsonl",
                             "--output", os.devnull, "--no-progress"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    # Worker processes are not reaped through wait() by the time we could read
    # RUSAGE_CHILDREN, so poll the process tree in /proc: CPU ticks and RSS per process.
    ticks: dict[int, int] = {}
    peak: dict[int, float] = {}
    while proc.poll() is None:
        for pid in _tree(proc.pid):
            stat = _proc_stat(pid)
            if stat:
                ticks[pid] = max(ticks.get(pid, 0), stat[0])
                peak[pid] = max(peak.get(pid, 0.0), stat[1])
        time.sleep(0.2)
    stderr = proc.stderr.read()
    wall = time.perf_counter() - wall0
    cpu = sum(ticks.values()) / os.sysconf("SC_CLK_TCK")
    row = {"docs": docs, "MB": size / MB, "jobs": jobs, "wall": wall, "cpu": cpu, "docs/s": docs / wall,
           "MB/s": size / MB / wall, "MB/s/core": size / MB / cpu if cpu else float("nan"),
           "peak_rss_child": max(peak.values(), default=float("nan")), "exit": proc.returncode}
    print(f"  miner extract --jobs {jobs}: {docs} docs {size / MB:.1f} MB {wall:.1f} s wall {cpu:.1f} s CPU "
          f"{row['docs/s']:.1f} docs/s {row['MB/s']:.2f} MB/s; largest child peak RSS {row['peak_rss_child']:.0f} MB;"
          f" exit {proc.returncode}", flush=True)
    if proc.returncode:
        print(stderr[-2000:], file=sys.stderr)
    return row


def _tree(root: int) -> list[int]:
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as handle:
                todo.extend(int(c) for c in handle.read().split())
        except OSError:
            pass
    return out


def _proc_stat(pid: int):
    """(utime + stime in clock ticks, RSS in MB) of a live process, or None."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12]), int(fields[21]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, IndexError, ValueError):
        return None


def markdown(pipe: list[dict], tok: dict, paired: list[dict], cli: dict | None, args) -> str:
    load = os.getloadavg()
    lines = [
        "# Extraction benchmark (`benchmarks/bench_extract.py`)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (other jobs were running, "
        "so wall-clock rates are pessimistic; MB/s per core uses this process's CPU time).",
        f"Corpus: `{args.pool}` replicated to {args.docs} documents (each copy with a unique trailing line), "
        "full pipeline in one process (`miner.pipeline.extract_paths`, records serialised with `to_json()`).",
        "",
        "| documents | MB | wall s | CPU s | docs/s | MB/s | MB/s per core | peak RSS MB | RSS now MB | failures |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in pipe:
        lines.append(f"| {r['docs']:,} | {r['MB']:.1f} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['docs/s']:.1f} | "
                     f"{r['MB/s']:.2f} | {r['MB/s/core']:.2f} | {r['peak_rss']:.0f} | {r['rss']:.0f} | {r['failures']} |")
    last = pipe[-1]
    lines += [
        "",
        "underthesea `word_tokenize` alone, sentence by sentence (lines, then `sent_tokenize`), "
        f"`use_token_normalize=False`, over the first {tok['docs']} documents ({tok['MB']:.1f} MB, "
        f"{tok['chars']:,} characters — all the distinct text of the set):",
        "",
        "| | MB/s per core | chars/s per core |",
        "|---|---:|---:|",
        f"| word_tokenize alone | {tok['MB/s/core']:.3f} | {tok['chars/s/core']:,.0f} |",
        f"| full pipeline ({last['docs']:,} docs) | {last['MB/s/core']:.3f} | |",
        f"| **ratio pipeline / word_tokenize** | **{last['MB/s/core'] / tok['MB/s/core']:.2f}×** | |",
    ]
    if paired:
        lines += [
            "",
            f"The same {paired[0]['docs']} documents ({paired[0]['MB']:.1f} MB), pipeline and `word_tokenize` "
            "alternating document by document (both see the same machine speed):",
            "",
            "| round | pipeline MB/s per core | word_tokenize MB/s per core | ratio |",
            "|---:|---:|---:|---:|",
        ]
        lines += [f"| {r['round']} | {r['pipeline']:.3f} | {r['tokenize']:.3f} | **{r['ratio']:.2f}×** |"
                  for r in paired]
    if cli:
        lines += [
            "",
            f"`miner extract DIR --jobs {cli['jobs']} --format jsonl --output /dev/null` on {cli['docs']:,} documents "
            f"({cli['MB']:.1f} MB): {cli['wall']:.1f} s wall, {cli['docs/s']:.1f} docs/s, {cli['MB/s']:.2f} MB/s, "
            f"{cli['MB/s/core']:.2f} MB/s per core (CPU time of the process tree, polled from /proc), largest process peak RSS "
            f"{cli['peak_rss_child']:.0f} MB, exit status {cli['exit']}.",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pool", default="/work/shared/corpus/pool")
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--checkpoints", default="1000,2500,5000")
    parser.add_argument("--tokenize-docs", type=int, default=138)
    parser.add_argument("--paired-rounds", type=int, default=2,
                        help="rounds of pipeline and word_tokenize alternating per document (0: none)")
    parser.add_argument("--cli-jobs", type=int, default=0)
    parser.add_argument("--cli-docs", type=int, default=1000)
    parser.add_argument("--markdown", default=str(ROOT / "benchmarks" / "bench_README_extract.md"))
    args = parser.parse_args()
    checkpoints = sorted({int(c) for c in args.checkpoints.split(",") if c} | {args.docs})
    checkpoints = [c for c in checkpoints if c <= args.docs]

    tmp = Path(tempfile.mkdtemp(prefix="bench_extract_"))
    try:
        print(f"replicating {args.pool} to {args.docs} documents in {tmp}", flush=True)
        paths = replicate(Path(args.pool), tmp, args.docs)
        print("full pipeline, one process:", flush=True)
        pipe = bench_pipeline(paths, checkpoints)
        print("underthesea word_tokenize alone:", flush=True)
        tok = bench_word_tokenize(paths[: args.tokenize_docs])
        paired = []
        if args.paired_rounds:
            print("pipeline and word_tokenize alternating per document:", flush=True)
            paired = bench_paired(paths[: args.tokenize_docs], args.paired_rounds)
        cli = None
        if args.cli_jobs:
            sub = tmp / "cli"
            sub.mkdir()
            for p in paths[: args.cli_docs]:
                os.link(p, sub / p.name)
            cli = bench_cli(sub, args.cli_jobs)
        text = markdown(pipe, tok, paired, cli, args)
        print(text)
        if args.markdown:
            Path(args.markdown).write_text(text, encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
