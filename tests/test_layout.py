"""The package is laid out as the pipeline, and stays small enough to read.

catalog → intake → metrics → charts → documents: each stage imports only the stages before
it; no module over 400 lines, no class over 200, no function over 120; every public name
imports, and ``import dangjian_analysis`` loads no heavy library.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import dangjian_analysis as dj

PACKAGE = Path(dj.__file__).parent
STAGES = ["catalog", "intake", "metrics", "charts", "documents"]
#: Top-level modules below every stage: the shipped files (sample county, notebooks) and nothing else.
BELOW = {"resources"}
MODULES = sorted(PACKAGE.rglob("*.py"))


def _stage(path: Path) -> str | None:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 and parts[0] in STAGES else None


def test_each_stage_is_a_sub_package_with_a_docstring():
    for stage in STAGES:
        init = PACKAGE / stage / "__init__.py"
        assert init.exists(), stage
        assert len(ast.get_docstring(ast.parse(init.read_text("utf-8"))) or "") > 200, stage
    flat = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert flat == ["__init__.py", "__main__.py", "cli.py", "resources.py", "sample.py"]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_sizes_stay_small(path):
    text = path.read_text("utf-8")
    assert text.count("\n") <= 400, f"{path.name}: {text.count(chr(10))} lines"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ClassDef):
            assert node.end_lineno - node.lineno + 1 <= 200, f"class {node.name}"
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            assert node.end_lineno - node.lineno + 1 <= 120, f"function {node.name}"


@pytest.mark.parametrize("path", [p for p in MODULES if _stage(p)], ids=lambda p: str(p.relative_to(PACKAGE)))
def test_stages_import_only_earlier_stages(path):
    own = STAGES.index(_stage(path))
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 2 and node.module:
            target = node.module.split(".")[0]
            assert target in BELOW or (target in STAGES and STAGES.index(target) < own), \
                f"{path.relative_to(PACKAGE)} imports ..{node.module}"


def test_every_public_name_imports_and_the_package_stays_light():
    for name in dj.__all__:
        assert getattr(dj, name) is not None
    code = ("import sys, dangjian_analysis; "
            "print(sorted(m for m in ('pandas', 'numpy', 'matplotlib', 'openpyxl', 'python_calamine') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
