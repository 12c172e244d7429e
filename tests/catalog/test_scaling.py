"""Loading a catalogue is linear in its townships and villages.

A duplicate township or village is reported wherever it is, with the same message; the work
of loading is counted, never timed, at two sizes: the lines the catalogue package executes
(``sys.settrace``) and the comparisons of ids and names (the parsed strings replaced by a
``str`` that counts its ``==``). A scan over everything read so far — what made the loader
quadratic — multiplies either count by 100 when the catalogue grows tenfold, not by 10.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

import dangjian_analysis.catalog as catalog_package
from dangjian_analysis.catalog import CatalogError, default_catalog_text, load_catalog

from helpers import write_catalog

N = 60   # townships in the catalogues of the duplicate tests


def _town(t: int, villages: int = 2, *, last=None, **fields) -> dict:
    """One generated township: its ``id``, ``name`` (or those of ``fields``) and village rows
    ``(id, name)``, the last one ``last`` if given."""
    rows = [(f"P{t:04d}V{v:02d}", f"第{t:04d}镇{v:02d}村") for v in range(1, villages + 1)]
    if last is not None:
        rows[-1] = last
    return {"id": f"P{t:04d}", "name": f"第{t:04d}镇", "villages": rows, **fields}


def _text(towns: list[dict]) -> str:
    """The default catalogue with ``towns`` as its townships."""
    head, _, rest = default_catalog_text().partition("[[townships]]")
    blocks = []
    for town in towns:
        villages = ", ".join(f'{{ id = "{i}", name = "{n}" }}' for i, n in town["villages"])
        blocks.append(f'[[townships]]\nid = "{town["id"]}"\nname = "{town["name"]}"\nvillages = [{villages}]\n')
    return head + "\n".join(blocks) + "\n" + rest[rest.index("# ----"):]


def _where(k: int, town: dict, v: int | None = None) -> str:
    where = f"townships[{k}]（id = {town['id']}）"
    return where if v is None else f"{where}.villages[{v}]（id = {town['villages'][v][0]}）"


def _error(tmp_path: Path, towns: list[dict]) -> str:
    path = write_catalog(tmp_path, _text(towns))
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    return str(info.value).removeprefix(f"指标体系 {path}：")


PAIRS = [(0, 1), (0, N - 1), (N // 2, N - 1), (N - 2, N - 1), (1, N // 2)]


@pytest.mark.parametrize("first, second", PAIRS)
@pytest.mark.parametrize("key", ["id", "name"])
def test_a_duplicate_township_anywhere_is_reported(tmp_path, first, second, key):
    towns = [_town(t) for t in range(1, N + 1)]
    towns[second] = _town(second + 1, **{key: towns[first][key]})
    assert _error(tmp_path, towns) == f"{_where(second, towns[second])}.id 重复：乡镇编号和名称必须唯一"


@pytest.mark.parametrize("first, second", PAIRS)
def test_a_duplicate_village_id_anywhere_is_reported(tmp_path, first, second):
    towns = [_town(t) for t in range(1, N + 1)]
    towns[second] = _town(second + 1, last=(towns[first]["villages"][0][0], "另一村"))
    assert _error(tmp_path, towns) == (f"{_where(second, towns[second], 1)}.id 重复：与 {_where(first, towns[first], 0)} "
                                       f"的编号相同，村（社区）编号必须唯一")


@pytest.mark.parametrize("town", [0, N // 2, N - 1])
def test_a_duplicate_village_name_anywhere_is_reported(tmp_path, town):
    towns = [_town(t, villages=30) for t in range(1, N + 1)]
    rows = towns[town]["villages"]
    rows[29] = (rows[29][0], rows[3][1])
    assert _error(tmp_path, towns) == (f"{_where(town, towns[town], 29)}.name 重复：与 {_where(town, towns[town], 3)} "
                                       f"同名（{rows[3][1]}），同一乡镇同一年的村名必须唯一")


class _Counted(str):
    """A parsed id or name that counts how often it is compared for equality."""

    compared = 0
    __hash__ = str.__hash__

    def __eq__(self, other):
        _Counted.compared += 1
        return str.__eq__(self, other)

    def __ne__(self, other):
        _Counted.compared += 1
        return str.__ne__(self, other)


def _counted(value):
    if isinstance(value, str):
        return _Counted(value)
    if isinstance(value, list):
        return [_counted(v) for v in value]
    if isinstance(value, dict):
        return {k: _counted(v) for k, v in value.items()}
    return value


def _work(tmp_path: Path, townships: int) -> tuple[int, int]:
    """(lines executed in the catalogue package, comparisons of parsed strings) of one load."""
    path = write_catalog(tmp_path, _text([_town(t, villages=3) for t in range(1, townships + 1)]))
    package = str(Path(catalog_package.__file__).parent)
    lines = 0

    def local(frame, event, arg):
        nonlocal lines
        lines += event == "line"
        return local

    def tracer(frame, event, arg):
        return local if frame.f_code.co_filename.startswith(package) else None

    _Counted.compared = 0
    sys.settrace(tracer)
    try:
        cat = load_catalog(path)
    finally:
        sys.settrace(None)
    assert len(cat.villages) == 3 * townships
    return lines, _Counted.compared


def test_the_work_of_loading_grows_linearly(tmp_path, monkeypatch):
    """A township added costs as much at 200 townships as at 20: work = a + b × townships.
    (Before, each township was compared with all those read before it: at 200–400 townships
    791 lines and 599 comparisons a township, against 521 and 59 at 20–40.)"""
    parse = tomllib.loads
    monkeypatch.setattr(tomllib, "loads", lambda text: _counted(parse(text)))
    work = {n: _work(tmp_path, n) for n in (20, 40, 200, 400)}
    for k, what in enumerate(["lines executed", "comparisons of ids and names"]):
        small, big = (work[40][k] - work[20][k]) / 20, (work[400][k] - work[200][k]) / 200
        assert big <= 1.05 * small + 1, f"{what}: {small:.0f} a township at 20–40 townships, {big:.0f} at 200–400"
