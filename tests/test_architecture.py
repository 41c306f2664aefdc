"""The package's import graph, built from the source: no circles, and every import points down the layers.

The layers, from the bottom: the record and text helpers; the rule tables; reading (paths, decoding,
HTML); the document model; the finders; resolution (kind, date, issuer, directive identity, links);
then the pipeline and the database side by side (neither imports the other); running and rendering;
the command line. A module may import its own package and the layers below it, never above.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "miner"

LAYERS = [
    {"miner.records", "miner.folding", "miner.snippets", "miner._lazy", "miner._rules", "miner._models"},
    {"miner.rulebook"},
    {"miner.reading"},
    {"miner.document"},
    {"miner.finders"},
    {"miner.resolution"},
    {"miner.pipeline", "miner.database"},
    {"miner.running", "miner.rendering"},
    {"miner.cli"},
    {"miner", "miner.__main__"},  # the package's face (lazy re-exports) and `python -m miner`
]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


# package data mapped in by pyproject.toml (rules/ and models/ of the checkout)
DATA_PACKAGES = {"miner._rules": PACKAGE.parent / "rules" / "__init__.py",
                 "miner._models": PACKAGE.parent / "models" / "__init__.py"}


def _modules() -> dict[str, Path]:
    return {**{_module_name(p): p for p in PACKAGE.rglob("*.py")}, **DATA_PACKAGES}


def _imports(path: Path, name: str, modules: set[str]) -> set[str]:
    """The miner modules `path` imports, at any depth of its code (imports inside functions count)."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name if is_package else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    anchor = anchor.rpartition(".")[0]
                base = f"{anchor}.{base}" if base else anchor
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target.startswith("miner") and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, name, set(modules)) for name, path in modules.items()}


def _layer_of(module: str) -> tuple[int, str]:
    best = None
    for rank, members in enumerate(LAYERS):
        for member in members:
            if module == member or module.startswith(member + "."):
                if best is None or len(member) > len(best[1]):
                    best = (rank, member)
    assert best is not None, f"{module} belongs to no layer: add it to LAYERS"
    return best


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_graph_is_read_from_the_source():
    graph = import_graph()
    assert "miner.database.writer" in graph and "miner.finders.targets" in graph
    assert "miner.database.schema" in graph["miner.database.writer"]
    assert "miner.finders.classifier" in graph["miner.finders.targets"]  # an import inside a function counts


def test_no_import_circles():
    assert _cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_imports_point_down_the_layers():
    wrong = []
    for module, targets in import_graph().items():
        rank, unit = _layer_of(module)
        for target in targets:
            target_rank, target_unit = _layer_of(target)
            if target_unit != unit and target_rank >= rank:
                wrong.append(f"{module} -> {target}")
    assert wrong == []


def test_the_database_writer_imports_nothing_above_it():
    graph = import_graph()
    reach, todo = set(), ["miner.database.writer"]
    while todo:
        for target in graph[todo.pop()]:
            if target not in reach:
                reach.add(target)
                todo.append(target)
    above = {m for m in reach if _layer_of(m)[0] >= _layer_of("miner.database.writer")[0]
             and not m.startswith("miner.database")}
    assert above == set()


def test_every_package_is_listed_for_installation():
    """pyproject.toml lists the packages (with the rules and models mapped in): a new folder must be added."""
    import tomllib

    listed = set(tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    packages = {_module_name(p) for p in PACKAGE.rglob("__init__.py")} | set(DATA_PACKAGES)
    assert packages - listed == set()
