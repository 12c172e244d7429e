"""Files are validated in the order their fetch completes, with checks run ahead while the
last one is read: the Dataset is the same whatever that order and whenever the main thread
found itself waiting — same observations, tables, issues (same order), counts.

The fetching is replaced by one that hands the files over in a given order and calls the
idle hook at random moments and when one file is left (all its steps, or only the first).
"""

from __future__ import annotations

import random
import shutil

import pytest

from dangjian_analysis.intake import dataset, load
from dangjian_analysis.intake._files import fetch
from helpers import SAMPLE, SAMPLE_CSV

TABLES = ("observations", "ballots", "ledger", "links", "issues", "files", "sheets")


class _Shuffled:
    """Stands in for :class:`~dangjian_analysis.intake._files.Prefetch`: every file fetched
    first, then handed over in ``order(files)``, ``idle`` called at random moments."""

    def __init__(self, order, seed, steps):
        self.order, self.rng, self.steps = order, random.Random(seed), steps

    def __call__(self, files, *args, **kwargs):
        self.files, self.idle = list(files), None
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def __iter__(self):
        order = self.order(self.files, self.rng)
        fetched = {f: fetch(f) for f in order}
        for k, f in enumerate(order):
            steps = self.steps                      # 1: the file comes in after the first step
            if self.idle and (k == len(order) - 1 or self.rng.random() < 0.3):
                while steps and self.idle(order[k:]):
                    steps -= 1
            yield f, fetched[f]


def _edit(path, fn):
    lines = path.read_text("utf-8-sig").splitlines()
    path.write_text("\ufeff" + "\n".join(fn(lines)) + "\n", "utf-8")


@pytest.fixture(scope="module")
def big_township(tmp_path_factory):
    """Two townships' CSV exports and a third township's village sheet, its rows given ten
    times: a file much larger than the others, with indicator rows (checks run ahead while it
    is read are dropped)."""
    folder = tmp_path_factory.mktemp("big")
    for f in [*SAMPLE_CSV.glob("东山镇_*.csv"), *SAMPLE_CSV.glob("北塘镇_*.csv")]:
        shutil.copy(f, folder / f.name)
    shutil.copy(SAMPLE_CSV / "南岭镇_村级指标.csv", folder / "南岭镇_村级指标.csv")
    _edit(folder / "南岭镇_村级指标.csv", lambda ls: ls[:1] + ls[1:] * 10)
    return folder


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """The sample's CSV export with later years (accepted and not), a value given twice with
    another value, county rows of later years, a corrupt workbook and a lock file."""
    folder = tmp_path_factory.mktemp("mixed")
    for f in SAMPLE_CSV.glob("*.csv"):
        shutil.copy(f, folder / f.name)
    _edit(folder / "东山镇_乡镇指标.csv", lambda ls: ls + [ls[1].replace("2012", "2016"), ls[2].replace("2013", "2030")])
    _edit(folder / "北塘镇_村级指标.csv", lambda ls: ls + [ls[3].rsplit(",", 1)[0] + ",99"])
    _edit(folder / "县级数据_述职评议.csv", lambda ls: [("2031" + l[4:] if i and i % 97 == 0 else l)
                                                   for i, l in enumerate(ls)])
    shutil.copy(SAMPLE / "东山镇.xlsx", folder / "东山镇.xlsx")
    (folder / "坏.xlsx").write_bytes(b"PK\x03\x04" + b"x" * 100)
    (folder / "~$坏.xlsx").write_bytes(b"lock")
    return folder


def _orders():
    largest_last = lambda files, rng: sorted(files, key=lambda f: (f.stat().st_size, rng.random()))  # noqa: E731
    town_last = lambda files, rng: sorted(files, key=lambda f: ("县级" not in f.name, rng.random()))  # noqa: E731
    shuffled = lambda files, rng: rng.sample(files, len(files))  # noqa: E731
    return [(largest_last, 1, 10), (largest_last, 2, 1), (town_last, 3, 10), (shuffled, 4, 10)]


@pytest.mark.parametrize("which", ["sample", "mixed", "both", "big"])
def test_the_dataset_does_not_depend_on_the_reading_order(which, mixed, big_township, monkeypatch):
    paths = {"sample": [SAMPLE], "mixed": [mixed], "big": [big_township],
             "both": [SAMPLE / "县级数据.xlsx", SAMPLE / "东山镇.xlsx", SAMPLE_CSV / "县级数据_述职评议.csv",
                      *SAMPLE_CSV.glob("东山镇_*.csv")]}[which]
    expected = load(*paths)
    for order, seed, steps in _orders():
        monkeypatch.setattr(dataset, "Prefetch", _Shuffled(order, seed, steps))
        got = load(*paths)
        for table in TABLES:
            assert getattr(got, table).equals(getattr(expected, table)), (which, seed, table)
        monkeypatch.undo()


def test_the_mixed_batch_has_what_it_should(mixed):
    ds = load(mixed)
    codes = set(ds.issues["code"])
    assert {"bad_year", "bad_ballots", "duplicate_conflict", "duplicate_same", "corrupt"} <= codes
    assert (ds.files["status"] == "skipped").sum() == 1
