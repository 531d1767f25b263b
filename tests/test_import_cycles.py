"""handlers/ and conversations/ never import each other in a circle: a flow may call a handler's
helper and a screen may start a flow, but no chain of imports (late ones inside functions
included) leads from a module back to itself, through the other package or inside one. What two
modules both need goes to a small module below both (handlers/session_buttons.py, dates.py)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("handlers", "conversations")


def _graph() -> dict[str, set[str]]:
    modules = {f"{p}.{f.stem}": f for p in PACKAGES for f in (ROOT / p).glob("*.py")}
    graph = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                found |= {m for m in (node.module, *(f"{node.module}.{a.name}" for a in node.names))
                          if m in modules}
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name in modules}
        graph[name] = found - {name}
    return graph


def _reaches(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in graph[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def test_no_import_circle_crosses_handlers_and_conversations():
    graph = _graph()
    circles = sorted(
        (a, b) for a in graph for b in _reaches(graph, a)
        if a.startswith("handlers.") and b.startswith("conversations.") and a in _reaches(graph, b))
    assert not circles


def test_no_module_reaches_itself():
    """Inside a package too: attendance <-> trainer, cards <-> part_cards and dashboard <->
    learning_gains were circles held together by late imports."""
    graph = _graph()
    assert sorted(a for a in graph if a in _reaches(graph, a)) == []


def test_the_walk_sees_late_imports():
    """The walk must see an import inside a function (the way circles used to be hidden)."""
    graph = _graph()
    assert "handlers.session_admin" in graph["conversations.cancel_session"]
    assert "conversations.cancel_session" in graph["handlers.session_manage"]
