"""An implementation chain (``miner show``) as text: the directive, its chain as a tree, its targets."""
from __future__ import annotations

from miner.database.chain import Chain, Node

def _label(node: Node) -> str:
    bits = [f"{node.kind or '?'} {node.code}"]
    bits.append(f"({node.issuer or '?'}, {node.date or '?'})")
    return " ".join(bits)


def render(chain: Chain, max_targets: int = 30) -> str:
    root = chain.root
    lines = [f"{root.kind or '?'} {root.code}",
             f"  date    {root.date or '?'}   (consensus of {root.cited} citation{'s' if root.cited != 1 else ''})",
             f"  issuer  {root.issuer or '?'}",
             f"  level   {root.level or '?'}" + (f"   Party term from {root.term}" if root.term else "")]
    for v in root.variants:
        lines.append(f"  disagreeing {v['field']}: {v['value']} ({v['citations']}× in {v['sources']})")
    lines.append("")
    lines.append("Implementation chain (documents that implement each directive; links stated by a document):")
    _render_node(root, lines, "", True, is_root=True)
    if chain.targets:
        lines.append("")
        lines.append(f"Targets in these documents ({len(chain.targets)}):")
        for t in chain.targets[:max_targets]:
            value = _fmt(t["value"]) + (f"–{_fmt(t['value_max'])}" if t["value_max"] is not None else "")
            lines.append(f"  {t['province'] or '?'} {t['year'] or '?'}: {t['comparator'] or ''} {value} {t['unit'] or ''}"
                         f"  {t['indicator'] or ''}  [{t['source']}]".replace("  ", " ", 1))
        if len(chain.targets) > max_targets:
            lines.append(f"  … {len(chain.targets) - max_targets} more (--json for all)")
    return "\n".join(lines)


def _fmt(v) -> str:
    return str(int(v)) if v is not None and float(v).is_integer() else str(v)


def _render_node(node: Node, lines: list[str], indent: str, last: bool, is_root: bool = False) -> None:
    if is_root:
        lines.append(_label(node))
        child_indent = ""
    else:
        lines.append(f"{indent}{'└─' if last else '├─'} {_label(node)}  [{node.rule}: {node.via}]")
        child_indent = indent + ("   " if last else "│  ")
    items = [("docs", p, y, ds) for p, years in node.documents.items() for y, ds in years.items()]
    total = len(items) + len(node.children)
    k = 0
    for _, province, year, docs in items:
        k += 1
        branch = "└─" if k == total else "├─"
        lines.append(f"{child_indent}{branch} {province}, {year}: "
                     + "; ".join(f"{d['source']}" + (f" (cited {d['cited_date']})" if d["cited_date"] else "")
                                 + (" [own number]" if d["own_number"] else
                                    f" [{d['relation']}]" if d.get("relation") and d["relation"] != "implements" else "")
                                 for d in docs))
    for i, child in enumerate(node.children):
        k += 1
        _render_node(child, lines, child_indent, k == total)
