"""The document model: one :class:`Document` built per text (``build``), read by every finder."""
from miner.document.model import Document, TableRow, build

__all__ = ["Document", "TableRow", "build"]
