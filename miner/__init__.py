"""vn-policy-miner: extract references, dates, places and targets from Vietnamese policy texts.

    import miner
    record = miner.extract(text, source="page.txt")
    for outcome in miner.extract_paths(["corpus/sample"]): ...
"""
from .dataset import open  # noqa: A001  (miner.open("miner.db").targets(...), like sqlite3.connect)
from .pipeline import extract, extract_path, extract_paths
from .records import ListItem, Place, Record, Reference, Span, Target

__all__ = ["open", "extract", "extract_path", "extract_paths", "Record", "Reference", "Place", "Target", "ListItem", "Span"]
__version__ = "0.1.0"
