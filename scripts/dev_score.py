"""Extract the dev corpus with the library and score it (a developer's loop, not a test)."""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from miner.pipeline import extract_paths

dev = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus/dev")
out = Path(tempfile.mkstemp(suffix=".jsonl")[1])
with out.open("w", encoding="utf-8") as handle:
    for outcome in extract_paths([str(p) for p in sorted(dev.glob("*.txt"))]):
        if outcome.error:
            print("ERROR", outcome.path, outcome.error)
            continue
        handle.write(json.dumps(outcome.record.to_json(), ensure_ascii=False) + "\n")
subprocess.run([sys.executable, "../shared/eval/score.py", "--gold", str(dev), "--pred", str(out)] + sys.argv[2:])
print(out)
