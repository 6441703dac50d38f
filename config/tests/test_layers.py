"""The layering rule, read from the source: the kernel imports no app, apps import only below.

core <- accounts <- interviews <- assessments; `config` (the project), `bench` and `e2e` sit
above every app and no app imports them. The rule covers every import statement, function-level
ones included, in application code and migrations; tests may import across layers (they exercise
the whole). The same walk checks the size rule (no module over 400 lines outside migrations and
tests) and that every module opens with a docstring saying what it holds.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Each package's layer: a module may import packages of a lower layer, and its own.
LAYERS = {"core": 0, "accounts": 1, "interviews": 2, "assessments": 3}
# Project packages above every app: an app (or the kernel) importing them imports upward.
TOP = {"config", "bench", "e2e"}
MAX_LINES = 400


def _modules(package: str, *, with_migrations: bool):
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or (not with_migrations and "migrations" in parts):
            continue
        yield path


def _imported_packages(path: Path):
    """(line, top-level package) of every absolute import in the module."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


def upward_imports(package: str) -> list[str]:
    layer = LAYERS[package]
    found = []
    for path in _modules(package, with_migrations=True):
        for line, imported in _imported_packages(path):
            above = imported in TOP or LAYERS.get(imported, -1) > layer
            if above and imported != package:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {imported}")
    return found


@pytest.mark.parametrize("package", sorted(LAYERS, key=LAYERS.get))
def test_no_package_imports_upward(package):
    assert upward_imports(package) == []


def test_the_walk_sees_function_level_imports(tmp_path):
    """The checker itself: an import inside a function counts like one at the top."""
    module = tmp_path / "m.py"
    module.write_text('"""M."""\n\ndef f():\n    from assessments.models import AssessmentResult\n')
    assert list(_imported_packages(module)) == [(4, "assessments")]


def _source_modules():
    for package in [*LAYERS, "config", "bench"]:
        yield from _modules(package, with_migrations=False)


def test_no_module_over_the_size_limit():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in _source_modules()
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert too_long == {}


def test_every_module_says_what_it_holds():
    """Each non-empty module opens with a docstring (an empty package marker needs none)."""
    missing = [
        str(path.relative_to(ROOT))
        for path in _source_modules()
        if path.read_text().strip() and not ast.get_docstring(ast.parse(path.read_text()))
    ]
    assert missing == []
