"""The declared dependencies are true: each floor in pyproject.toml is the version CI installs
from ``.ci/minimum-versions.txt`` (and runs the whole suite at), the package imports nothing
it does not declare, and it declares nothing it does not use."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "dangjian_analysis"
TESTS = ROOT / "tests"

#: Declared although no module of the package imports them, and why.
USED_WITHOUT_IMPORT = {
    "jupyter": "the analysts' notebooks (notebooks/) are opened in Jupyter",
    "ipykernel": "the kernel the notebooks and `dangjian report --notebook` run in",
    "lxml": "openpyxl writes through lxml when it is installed: the same workbook bytes on every machine",
    "pytest-xdist": "runs the suite on both cores (`-n 2` in pyproject's addopts)",
}
#: Imported by the package without being declared: a declared dependency requires them (checked
#: against its metadata below), so they are installed and their floor is that dependency's.
THROUGH = {"ipython": "ipykernel", "jupyter-client": "nbclient", "cycler": "matplotlib",
           "packaging": "pytest"}      # packaging: only this test uses it


def _declared() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    lines = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    return {canonicalize_name(r.name): r for r in map(Requirement, lines)}


def _pinned() -> dict[str, Version]:
    pins = {}
    for line in (ROOT / ".ci" / "minimum-versions.txt").read_text("utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"not name==version: {line!r}"
            pins[canonicalize_name(name)] = Version(version)
    return pins


def _imported(paths, local=frozenset()) -> dict[str, set[str]]:
    """Top-level third-party module → the files importing it (absolute imports only)."""
    found: dict[str, set[str]] = {}
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for top in {n.split(".")[0] for n in names} - set(sys.stdlib_module_names) - local - {"dangjian_analysis"}:
                found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def _distributions(modules) -> dict[str, set[str]]:
    """Distribution (canonical name) → the modules of it that are imported."""
    owners = metadata.packages_distributions()
    out: dict[str, set[str]] = {}
    for module in modules:
        assert module in owners, f"{module} is imported but not installed"
        for dist in owners[module]:
            out.setdefault(canonicalize_name(dist), set()).add(module)
    return out


def test_every_floor_is_the_pinned_version_ci_tests():
    declared, pinned = _declared(), _pinned()
    assert sorted(pinned) == sorted(declared), "one pin per declared dependency, and nothing else"
    for name, req in declared.items():
        floors = [s.version for s in req.specifier if s.operator == ">="]
        assert len(floors) == 1, f"{name}: needs exactly one >= floor, has {req.specifier}"
        assert Version(floors[0]) == pinned[name], f"{name}: floor {floors[0]}, CI tests {pinned[name]}"
        assert req.specifier.contains(pinned[name]), f"{name}: {pinned[name]} outside {req.specifier}"


def test_the_package_imports_only_what_it_declares_and_uses_what_it_declares():
    declared = _declared()
    runtime = {n for n in declared if n not in ("pytest", "hypothesis")}
    used = _distributions(_imported(sorted(PACKAGE.rglob("*.py"))))
    undeclared = {d: m for d, m in used.items() if d not in declared and d not in THROUGH}
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"
    unused = runtime - set(used) - set(USED_WITHOUT_IMPORT)
    assert not unused, f"declared but imported nowhere in dangjian_analysis/: {sorted(unused)}"
    assert not set(USED_WITHOUT_IMPORT) - runtime, "a reason kept for a dependency no longer declared"


def test_undeclared_imports_come_with_a_declared_dependency():
    declared = _declared()
    for child, parent in THROUGH.items():
        assert parent in declared, (child, parent)
        requires = {canonicalize_name(Requirement(r).name) for r in metadata.requires(parent) or []
                    if "extra ==" not in r}
        assert canonicalize_name(child) in requires, f"{parent} does not require {child}: declare {child}"


def test_the_test_extra_is_what_the_tests_import():
    local = {p.stem for p in TESTS.rglob("*.py")} | {p.name for p in TESTS.rglob("*") if p.is_dir()}
    used = _distributions(_imported(sorted(TESTS.rglob("*.py")), frozenset(local)))
    declared = _declared()
    assert {"pytest", "hypothesis"} <= set(used)
    assert not {d for d in used if d not in declared and d not in THROUGH}, sorted(used)
