"""No two apps import each other, directly or round a loop: each app is a domain concept that
others may call, never one tangled with another (the analysis and publishing apps were)."""

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "mutualwatch"


def app_of(module: str) -> str | None:
    """The app a module belongs to ("mutualwatch.register.services" -> "register"); None for
    the project's neutral top-level modules (settings, page_cache, html_rows ...)."""
    parts = module.split(".")
    if parts[0] != "mutualwatch" or len(parts) < 2:
        return None
    return parts[1] if (PACKAGE / parts[1]).is_dir() else None


def app_imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        here = app_of(module)
        if here is None or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                there = app_of(name)
                if there is not None and there != here:
                    graph[here].add(there)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found = []
    for start in sorted(graph):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for following in sorted(graph.get(node, ())):
                if following == start:
                    found.append([*path, start])
                elif following not in path and following > start:
                    stack.append((following, [*path, following]))
    return found


def test_no_app_imports_round_a_loop():
    graph = app_imports()
    assert "analysis" in graph["publishing"], "the test must see the apps' imports"
    assert not cycles(graph), cycles(graph)


def test_the_loop_finder_finds_a_loop():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert not cycles({"a": {"b"}, "b": {"c"}})
