"""Every audit action the code can write, found by reading the source (no import of the apps).

``record(action=…)`` is called with a literal (most services), an f-string over a parameter
(``f"enforcement.{action}"``) or a parameter passed on (``record_audit(actor, "linkage.…")``).
A parameter is resolved one level up: every call of the enclosing function anywhere in
``yaojian/`` whose argument is a literal, an enum member (``NoticeState.READ``) or ``a if c else
b``. A local variable (a list of pending events) is resolved to the ``app.action`` literals of
the enclosing function. A site none of this resolves is reported, so the scan cannot silently
miss a new way of writing actions.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # yaojian/
CODE = re.compile(r"^[a-z]+\.[a-z][a-z0-9_]*$")


@dataclass
class Scan:
    actions: set[str] = field(default_factory=set)
    unresolved: list[str] = field(default_factory=list)


def _sources() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(ROOT.rglob("*.py")):
        parts = set(path.relative_to(ROOT).parts)
        if parts & {"tests", "migrations"}:
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _callee(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _module_name(path: Path) -> str:
    return ".".join(("yaojian", *path.relative_to(ROOT).with_suffix("").parts))


def _values(expr: ast.expr, path: Path) -> set[str] | None:
    """The strings ``expr`` can be, or None when it is not a constant expression."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.IfExp):
        body, orelse = _values(expr.body, path), _values(expr.orelse, path)
        return None if body is None or orelse is None else body | orelse
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
        namespace = vars(importlib.import_module(_module_name(path)))
        owner = namespace.get(expr.value.id)  # an enum, e.g. NoticeState.READ
        value = getattr(owner, expr.attr, None)
        if isinstance(value, str):
            return {str(getattr(value, "value", value))}
        return None
    return None


def _enclosing(tree: ast.Module) -> dict[ast.AST, ast.FunctionDef]:
    """Each node's innermost enclosing function (ast.walk visits outer functions first)."""
    parents: dict[ast.AST, ast.FunctionDef] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for child in ast.walk(node):
                if child is not node:
                    parents[child] = node
    return parents


def _argument(call: ast.Call, function: ast.FunctionDef, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    positional = [a.arg for a in function.args.posonlyargs + function.args.args]
    if name in positional and positional.index(name) < len(call.args):
        return call.args[positional.index(name)]
    return None


def _params(function: ast.FunctionDef) -> set[str]:
    args = function.args
    return {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}


def _passed(
    trees: list[tuple[Path, ast.Module, dict[ast.AST, ast.FunctionDef]]],
    function: ast.FunctionDef,
    name: str,
    depth: int,
) -> set[str]:
    """The strings passed as ``name`` to ``function`` anywhere, following pass-throughs."""
    found: set[str] = set()
    for path, tree, parents in trees:
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and _callee(call) == function.name):
                continue
            arg = _argument(call, function, name)
            if arg is None:
                continue
            values = _values(arg, path)
            if values is not None:
                found |= values
                continue
            caller = parents.get(call)
            if depth and isinstance(arg, ast.Name) and caller and arg.id in _params(caller):
                found |= _passed(trees, caller, arg.id, depth - 1)
    return found


def scan() -> Scan:
    result = Scan()
    trees = [(path, tree, _enclosing(tree)) for path, tree in _sources()]
    for path, tree, parents in trees:
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _callee(node) == "record"):
                continue
            action = next((k.value for k in node.keywords if k.arg == "action"), None)
            if action is None:
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            literal = _values(action, path)
            if literal is not None:
                result.actions |= literal
                continue
            prefix, name = "", None
            if isinstance(action, ast.Name):
                name = action.id
            elif (
                isinstance(action, ast.JoinedStr)
                and len(action.values) == 2
                and isinstance(action.values[0], ast.Constant)
                and isinstance(action.values[1], ast.FormattedValue)
                and isinstance(action.values[1].value, ast.Name)
            ):
                prefix, name = str(action.values[0].value), action.values[1].value.id
            function = parents.get(node)
            if name is None or function is None:
                result.unresolved.append(where)
                continue
            found: set[str] = set()
            if name in _params(function):
                found = {prefix + v for v in _passed(trees, function, name, depth=3)}
            else:  # a local variable: the action literals of the function
                found = {
                    n.value
                    for n in ast.walk(function)
                    if isinstance(n, ast.Constant)
                    and isinstance(n.value, str)
                    and CODE.match(n.value)
                }
            if found:
                result.actions |= found
            else:
                result.unresolved.append(where)
    return result
