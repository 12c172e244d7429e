"""The package as installed: shipped files, ``python -m``, ``--version``, the notebooks command.

What the build puts into the wheel is declared in ``pyproject.toml``; these tests check the
declarations against the source tree, read the shipped files through
:mod:`dangjian_analysis.resources` (also from a zip with a wheel's layout), and build the wheel
from a copy of the sources to list it (about 7 s). CI installs that wheel in a fresh venv and uses it from outside the checkout.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

import dangjian_analysis as dj
from dangjian_analysis import resources

from helpers import ROOT, SAMPLE, run_cli

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _python(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, encoding="utf-8",
                          cwd=cwd, env=env)


def _same_files(folder: Path, expected: list[Path]) -> bool:
    names = sorted(p.name for p in folder.iterdir() if p.is_file())
    return names == sorted(p.name for p in expected) and all(
        filecmp.cmp(folder / p.name, p, shallow=False) for p in expected)


def test_python_m_prints_the_version(tmp_path):
    result = _python("-m", "dangjian_analysis", "--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"dangjian-analysis {metadata.version('dangjian-analysis')}\n"
    assert result.stderr == ""


def test_version_comes_from_the_metadata_and_is_read_only_when_asked():
    assert dj.__version__ == metadata.version("dangjian-analysis") == PYPROJECT["project"]["version"]
    code = "import sys, dangjian_analysis; print('importlib.metadata' in sys.modules)"
    assert _python("-c", code).stdout.strip() == "False"


#: What the package carries of data/sample: the 11 workbooks an analyst receives and the analyst's own
#: 报告文字.docx, so that an installed sample report is final too.
SAMPLE_FILES = sorted([*SAMPLE.glob("*.xlsx"), SAMPLE / "报告文字.docx"])


def test_sample_path_holds_the_eleven_workbooks_of_data_sample():
    path = dj.sample_path()
    assert path == resources.sample_path() and path.is_absolute()
    assert len(list(path.glob("*.xlsx"))) == 11
    assert _same_files(path, SAMPLE_FILES)


def test_copy_notebooks_copies_the_five_and_never_clobbers_an_edit(tmp_path):
    assert resources.notebook_names() == [p.name for p in NOTEBOOKS] and len(NOTEBOOKS) == 5
    assert resources.notebook_text(NOTEBOOKS[0].name) == NOTEBOOKS[0].read_text("utf-8")
    assert resources.notebook_path(NOTEBOOKS[-1].name).read_bytes() == NOTEBOOKS[-1].read_bytes()
    with pytest.raises(KeyError, match="没有名为"):
        resources.notebook_text("06_不存在.ipynb")

    out = tmp_path / "分析"
    assert resources.copy_notebooks(out) == [out / p.name for p in NOTEBOOKS]
    assert _same_files(out, NOTEBOOKS)
    assert resources.copy_notebooks(out) == [out / p.name for p in NOTEBOOKS]   # identical: fine
    edited = out / NOTEBOOKS[1].name
    edited.write_text("{}", "utf-8")
    (out / NOTEBOOKS[0].name).unlink()
    with pytest.raises(FileExistsError, match=f"内容不同的文件：{NOTEBOOKS[1].name}；为免覆盖"):
        resources.copy_notebooks(out)
    assert edited.read_text("utf-8") == "{}" and not (out / NOTEBOOKS[0].name).exists()   # nothing written
    resources.copy_notebooks(out, overwrite=True)
    assert _same_files(out, NOTEBOOKS)


def test_dangjian_notebooks_command(tmp_path):
    result = run_cli("notebooks", "--out", "笔记本", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"已把 5 个分析笔记本复制到 笔记本：{'、'.join(p.name for p in NOTEBOOKS)}\n"
    assert _same_files(tmp_path / "笔记本", NOTEBOOKS)
    (tmp_path / "笔记本" / NOTEBOOKS[2].name).write_text("{}", "utf-8")
    refused = run_cli("notebooks", "--out", "笔记本", cwd=tmp_path)
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.startswith("dangjian notebooks：") and NOTEBOOKS[2].name in refused.stderr
    assert "Traceback" not in refused.stderr and refused.stderr.count("\n") == 1
    assert run_cli("notebooks", "--out", "笔记本", "--force", cwd=tmp_path).returncode == 0
    assert _same_files(tmp_path / "笔记本", NOTEBOOKS)


def test_commands_work_from_a_folder_outside_the_checkout(tmp_path):
    validated = run_cli("validate", str(dj.sample_path()), cwd=tmp_path)
    assert validated.returncode == 0, validated.stderr
    assert "共 11 个文件：错误 0 条" in validated.stdout
    ranked = run_cli("rank", cwd=tmp_path)                     # no data given: the shipped sample
    assert ranked.returncode == 0, ranked.stderr
    assert f"使用自带的虚构示例县 {dj.sample_path()}" in ranked.stderr


def test_the_wheel_declares_every_sub_package_and_its_files():
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "dangjian_analysis").rglob("__init__.py")}
    mapped = SETUPTOOLS["package-dir"]
    assert set(SETUPTOOLS["packages"]) == found | set(mapped)
    assert mapped == {"dangjian_analysis.notebooks": "notebooks", "dangjian_analysis.sample_data": "data/sample"}
    data = SETUPTOOLS["package-data"]
    for package, globs in data.items():
        folder = ROOT / mapped.get(package, package.replace(".", "/"))
        assert all(list(folder.glob(g)) for g in globs), package
    assert len(list((ROOT / "notebooks").glob(*data["dangjian_analysis.notebooks"]))) == 5
    assert sorted(f for g in data["dangjian_analysis.sample_data"] for f in SAMPLE.glob(g)) == SAMPLE_FILES
    assert data["dangjian_analysis"] == ["py.typed"] and (ROOT / "dangjian_analysis" / "py.typed").is_file()


def test_license_is_mit_and_shipped():
    assert PYPROJECT["project"]["license"] == "MIT"
    assert PYPROJECT["project"]["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text("utf-8")
    assert text.startswith("MIT License") and "dangjian-analysis developers" in text


def _wheel_layout_zip(path: Path) -> Path:
    """The package's modules and mapped data folders zipped as a wheel lays them out (no fonts)."""
    mapped = {package.split(".")[-1]: ROOT / folder for package, folder in SETUPTOOLS["package-dir"].items()}
    with zipfile.ZipFile(path, "w") as zf:
        for module in (ROOT / "dangjian_analysis").rglob("*.py"):
            zf.write(module, module.relative_to(ROOT).as_posix())
        for name, folder in mapped.items():
            for file in folder.iterdir():
                zf.write(file, f"dangjian_analysis/{name}/{file.name}")
    return path


def test_resources_from_a_zip_are_extracted_to_a_lasting_cache(tmp_path):
    archive = _wheel_layout_zip(tmp_path / "dangjian.zip")
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import dangjian_analysis as dj\n"
            "from dangjian_analysis import resources as r\n"
            "assert dj.__file__.startswith(sys.argv[1]), dj.__file__\n"
            "print(dj.sample_path()); print(r.notebook_path(r.notebook_names()[0]).parent); print(dj.sample_path())")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "LOCALAPPDATA": str(tmp_path / "cache")}
    result = _python("-c", code, str(archive), cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    sample, notebooks, again = map(Path, result.stdout.splitlines())
    assert sample == again and sample.is_relative_to(tmp_path / "cache")
    assert _same_files(sample, SAMPLE_FILES)
    assert _same_files(notebooks, NOTEBOOKS)


def test_the_built_wheel_holds_the_data_the_license_and_py_typed(tmp_path):
    """Build the wheel from a copy of the sources (nothing written into the checkout) and list it."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, src / name)
    for folder in ("dangjian_analysis", "notebooks", "data/sample"):
        shutil.copytree(ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__"))
    built = _python("-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "dist"), str(src))
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("dangjian_analysis-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {"dangjian_analysis/py.typed", "dangjian_analysis/__main__.py", "dangjian_analysis/resources.py",
                "dangjian_analysis/catalog/catalog.toml", "dangjian_analysis/charts/fonts/OFL.txt",
                *(f"dangjian_analysis/notebooks/{p.name}" for p in NOTEBOOKS),
                *(f"dangjian_analysis/sample_data/{p.name}" for p in SAMPLE.glob("*.xlsx")),
                f"dangjian_analysis-{dj.__version__}.dist-info/licenses/LICENSE"}
    assert expected <= names, sorted(expected - names)
    assert len([n for n in names if n.endswith(".otf")]) == 2
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "dangjian_analysis").rglob("*.py")}
    assert modules <= names, sorted(modules - names)
