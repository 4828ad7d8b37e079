"""The house rules of issue 31, checked over the source tree.

- no SQL (`execute(`, `executemany(`, `executescript(`) in api/, nlp/ or index/ outside index/store/
- no module-level mutable state: no `global` statement; no module-level name bound to a mutable
  container (list/dict/set literal or comprehension, dict()/list()/set()/defaultdict()/OrderedDict()/
  Counter()/deque()/bytearray()); no functools cache on a function that takes no arguments (a hidden
  singleton: a model, a pool, a connection)
- no import cycle among the project's modules, counting imports inside functions too
"""

from __future__ import annotations

import ast
import collections
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGES = ("api", "nlp", "index", "ingest")
MUTABLE_CALLS = {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque", "bytearray"}
CACHES = {"lru_cache", "cache"}


def _modules() -> dict[str, pathlib.Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()
TREES = {name: ast.parse(path.read_text(), str(path)) for name, path in MODULES.items()}


def _call_name(node: ast.AST) -> str:
    func = node.func if isinstance(node, ast.Call) else node
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def test_sql_lives_in_the_store() -> None:
    found = []
    for name, tree in TREES.items():
        if name.split(".")[0] == "ingest" or name.startswith("index.store"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _call_name(node) in {"execute", "executemany", "executescript"}:
                found.append(f"{MODULES[name].relative_to(ROOT)}:{node.lineno}")
    assert not found, f"{len(found)} SQL calls outside index/store/: {found[:20]}"


def _mutable(value: ast.AST | None) -> bool:
    if isinstance(value, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)):
        return True
    return isinstance(value, ast.Call) and _call_name(value) in MUTABLE_CALLS


def test_no_module_level_mutable_state() -> None:
    found = []
    for name, tree in TREES.items():
        where = MODULES[name].relative_to(ROOT)
        for node in tree.body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and _mutable(node.value):
                found.append(f"{where}:{node.lineno} module-level mutable value")
        for node in ast.walk(tree):
            if isinstance(node, ast.Global):
                found.append(f"{where}:{node.lineno} global {', '.join(node.names)}")
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                args = node.args
                takes_none = not (
                    args.args or args.posonlyargs or args.kwonlyargs or args.vararg or args.kwarg
                )
                cached = any(_call_name(d) in CACHES for d in node.decorator_list)
                if cached and takes_none:
                    found.append(f"{where}:{node.lineno} cached singleton {node.name}()")
    assert not found, f"{len(found)} places hold process-wide state: {found[:30]}"


def _import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = collections.defaultdict(set)
    for name, tree in TREES.items():
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            for target in targets:
                while target and target not in MODULES:
                    target = target.rpartition(".")[0]
                if target and target != name and target.split(".")[0] in PACKAGES:
                    graph[name].add(target)
    return graph


def test_no_import_cycle_even_through_imports_inside_functions() -> None:
    graph = _import_graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for module in sorted(MODULES):
        if module not in state:
            visit(module, [module])
    assert not cycles, f"{len(cycles)} import cycles: {[' -> '.join(c) for c in cycles[:10]]}"
