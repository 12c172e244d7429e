"""Private: checks a workbook before anything parses it (untrusted input).

:func:`inspect_workbook` refuses, in bounded time and memory, zero-byte files, text or
HTML renamed ``.xlsx``, old ``.xls`` files, encrypted workbooks, truncated or corrupt
zips, zips whose member names leave the package (``../``, absolute paths), zip bombs (declared and actual uncompressed sizes and compression ratios are
checked before anything is parsed) and XML with a DOCTYPE (entity expansion, external
entities). Every worksheet is inflated in full, so the scan also learns what
python-calamine does not say (:mod:`._sheetxml`): formula cells with and without a cached
value, Excel error values, percentage and scaling number formats. It keeps the grid
python-calamine builds bounded (:mod:`._extent`): cells far from the data block are cut
out of the XML handed to python-calamine and reported. Nothing is ever evaluated or run.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..catalog.tables import TEMPLATE_PRINT_SUFFIX
from ._extent import bound_cells
from ._numfmt import style_effects, year_styles
from ._split import SPLIT_BYTES
from ._links import external_links, linked_formulas
from ._sheetxml import (cells_of_styles, error_cells, formula_cells, has_formula, is_plain, merged_ranges, relationships,
                        sheet_names, styled_cells, unread_parts, worksheet_targets)

__all__ = ["Refused", "WorkbookFacts", "Scan", "inspect_workbook", "scan_workbook", "LIMITS", "MESSAGES", "SKIP_SHEETS",
           "skipped_sheet"]

_sheet_names = sheet_names            # the older private name, used by tests

#: Documented limits on one workbook.
LIMITS = {
    "file_bytes": 100 * 1024**2,      # the file on disk
    "xml_bytes": 200 * 1024**2,       # all XML parts together, uncompressed
    "entries": 5000,                  # parts in the zip
    "ratio": 200,                     # uncompressed/compressed, for parts over 1 MiB
}
#: Sheets that are never read (nor scanned): the template's guide and hidden lists, and the
#: explanation sheet of a workbook sent back for correction.
SKIP_SHEETS = frozenset({"填报说明", "名录", "退回说明"})


def skipped_sheet(name: str) -> bool:
    """Whether the intake never reads (nor scans) the sheet ``name``: one of :data:`SKIP_SHEETS`,
    or a template's print-only sheet (its name ends with
    :data:`~dangjian_analysis.catalog.tables.TEMPLATE_PRINT_SUFFIX`, ``村级指标（对照打印）``)."""
    return name in SKIP_SHEETS or name.endswith(TEMPLATE_PRINT_SUFFIX)


#: Refusal messages also given for CSV and .xls files.
MESSAGES = {"empty_file": "文件为空（0 字节），请重新报送",
            "legacy_xls": "旧版 .xls 格式，请在 Excel 中另存为 .xlsx 后重新报送"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DEFLATE_MAX_RATIO = 1032
_PROLOG = 4096                        # a DOCTYPE can only stand before the root element
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ROOT = re.compile(rb"<[A-Za-z_]")
_SI = re.compile(rb"<(?:\w+:)?si\b.*?</(?:\w+:)?si\s*>", re.S)
_SI_T = re.compile(rb"<(?:\w+:)?t\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?t\s*>)", re.S)
#: Errors of reading a damaged zip or XML part: the file is refused as corrupt.
_CORRUPT = (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ValueError, IndexError, struct.error,
            NotImplementedError, SyntaxError)


class Refused(Exception):
    """A file that must not be parsed; ``code`` and a Chinese ``message``."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass
class WorkbookFacts:
    """What the pre-scan learnt, per sheet name and A1 address, and whether macros exist.

    Attributes
    ----------
    formulas_without_value, formulas_with_value : dict of str to set
        Formula cells without / with a cached value (see :func:`~._sheetxml.formula_cells`).
    percent_cells : dict of str to set
        Cells whose number format shows a percentage (85 % is stored as 0.85).
    scaled_cells : dict of str to dict
        Address → divisor (1000.0 for ``0.0,``) of cells whose format scales what is shown.
    error_cells : dict of str to dict
        Address → the Excel error value shown (``"#DIV/0!"``).
    far_cells : dict of str to dict
        Address → value of non-empty cells far from the data block, cut out of what
        python-calamine reads (:mod:`._extent`); they appear in no other field.
    year_cells : dict of str to set
        Cells whose number format shows a date as its year alone (``yyyy``, ``yyyy"年"``):
        python-calamine gives the date, the clerk sees the year.
    merged : dict of str to tuple
        Merged ranges ``(first row, first column, last row, last column)``, 0-based.
    linked : dict of str to dict
        Address → (``"dde"`` or ``"external"``, formula text, link) of formulas that reach
        outside the workbook (:func:`~._links.linked_formulas`).
    """

    formulas_without_value: dict[str, set[str]] = field(default_factory=dict)
    formulas_with_value: dict[str, set[str]] = field(default_factory=dict)
    percent_cells: dict[str, set[str]] = field(default_factory=dict)
    scaled_cells: dict[str, dict[str, float]] = field(default_factory=dict)
    error_cells: dict[str, dict[str, str]] = field(default_factory=dict)
    far_cells: dict[str, dict[str, object]] = field(default_factory=dict)
    year_cells: dict[str, set[str]] = field(default_factory=dict)
    merged: dict[str, tuple] = field(default_factory=dict)
    linked: dict[str, dict[str, tuple]] = field(default_factory=dict)
    has_macros: bool = False


def inspect_workbook(path: str | Path) -> tuple[WorkbookFacts, bytes]:
    """Check one ``.xlsx``/``.xlsm`` file; raise :class:`Refused` if it must not be parsed.

    Returns what the scan learnt and the bytes to hand to python-calamine: the file's own
    bytes (read once), or a copy whose worksheets had far cells cut out.
    """
    scan = scan_workbook(path)
    return scan.facts(), scan.data


def scan_workbook(path: str | Path) -> Scan:
    """The checks of :func:`inspect_workbook` that must pass before python-calamine parses the
    file (raising :class:`Refused`); the rest of the facts are :meth:`Scan.facts`."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise Refused("empty_file", MESSAGES["empty_file"])
    if size > LIMITS["file_bytes"]:
        raise Refused("too_large", f"文件过大（{size / 1024**2:.0f} MB，上限 {LIMITS['file_bytes'] // 1024**2} MB）")
    data = path.read_bytes()
    head = data[:512]
    if head.startswith(_OLE):
        raise _ole_refusal(data)
    if not head.startswith(b"PK\x03\x04"):
        text = head.lstrip().lower()
        if text.startswith((b"<", b"\xef\xbb\xbf<")) or b"<html" in text:
            raise Refused("not_excel", "不是有效的 Excel 文件：内容是网页（HTML），可能是改了扩展名；请在 Excel 中另存为 .xlsx")
        raise Refused("not_excel", "不是有效的 Excel 文件（可能是文本或其他格式改了扩展名），请在 Excel 中另存为 .xlsx")
    try:
        return _scan_zip(zipfile.ZipFile(io.BytesIO(data)), data)
    except _CORRUPT:
        raise _corrupt() from None


def _corrupt() -> Refused:
    return Refused("corrupt", "文件已损坏或不完整（压缩包无法读取），请重新保存后报送")


def _ole_refusal(data: bytes) -> Refused:
    head = data[: 4 * 1024**2]
    if "EncryptionInfo".encode("utf-16-le") in head or "EncryptedPackage".encode("utf-16-le") in head:
        return Refused("encrypted", "工作簿已加密（设置了打开密码），请取消密码后重新报送")
    return Refused("legacy_xls", MESSAGES["legacy_xls"])


def _scan_zip(zf: zipfile.ZipFile, data: bytes) -> Scan:
    infos = zf.infolist()
    if len(infos) > LIMITS["entries"]:
        raise Refused("zip_bomb", f"压缩包内文件过多（{len(infos)} 个），拒绝读取")
    names = {i.filename for i in infos}
    leaving = [i.filename for i in infos if _leaves_package(i.filename)]
    if leaving:
        raise Refused("zip_path", f"压缩包内有指向工作簿之外的路径（{leaving[0]}{' 等' if len(leaving) > 1 else ''}），"
                                  "可能是恶意文件，拒绝读取；请在 Excel 或 WPS 中重新另存为 .xlsx 后报送")
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise Refused("not_excel", "不是有效的 Excel 文件：压缩包中没有工作簿（xl/workbook.xml）")
    if any(i.flag_bits & 0x1 for i in infos):
        raise Refused("encrypted", "工作簿已加密，请取消密码后重新报送")
    xml = [i for i in infos if i.filename.endswith((".xml", ".rels", ".vml"))]
    _check_sizes(xml)
    # Worksheets are found under xl/worksheets/ and wherever the workbook points; those of
    # the template's sheets that are never read (SKIP_SHEETS) are not scanned.
    sheet_parts = {n for n in names if n.startswith("xl/worksheets/") and not n.endswith(".rels")}
    if "xl/_rels/workbook.xml.rels" in names:
        rels = relationships(_inflate_small(data, zf.getinfo("xl/_rels/workbook.xml.rels"), LIMITS["xml_bytes"]))
        sheet_parts |= worksheet_targets(rels) & names
        workbook = _inflate_small(data, zf.getinfo("xl/workbook.xml"), 4 * 1024**2)
        sheet_parts -= unread_parts(workbook, rels, SKIP_SHEETS | {
            n for n in re.findall(r'<sheet\b[^>]*?\sname="([^"]*)"', workbook.decode("utf-8", "replace"))
            if skipped_sheet(n)})
    odd = [i for i in infos if i.filename in sheet_parts and not i.filename.endswith((".xml", ".rels", ".vml"))]
    if odd:                                            # e.g. a worksheet stored as xl/data/s.bin
        xml += odd
        _check_sizes(xml)
    # Deflate never expands more than 1032:1, so small files cannot hide a bomb whatever their
    # headers claim; then only worksheets are inflated in full, other parts up to their prolog.
    worst = sum(_DEFLATE_MAX_RATIO * i.compress_size for i in xml)
    full = worst > LIMITS["xml_bytes"]
    budget = LIMITS["xml_bytes"]
    sheets: dict[str, bytes] = {}
    for info in xml:
        is_sheet = info.filename in sheet_parts
        part = _inflate(data, info, min(info.file_size, budget) if (full or is_sheet) else _PROLOG)
        if not full and not _ROOT.search(part) and len(part) < info.file_size:
            part = _inflate(data, info, min(info.file_size, budget))   # a padded prolog: read on
        budget -= len(part)
        root = _ROOT.search(part)
        if _DTD.search(part, 0, root.start() if root else len(part)):
            raise Refused("xml_dtd", f"{info.filename} 含有 DOCTYPE/ENTITY 声明（可能是 XML 实体炸弹或外部实体），拒绝读取")
        if is_sheet:
            sheets[info.filename] = part
    effects, years = {}, frozenset()
    if "xl/styles.xml" in names:
        info = zf.getinfo("xl/styles.xml")
        styles = _inflate(data, info, min(info.file_size, 50 * 1024**2))
        effects, years = style_effects(styles), year_styles(styles)
    return Scan(zf, data, sheets, effects, years)


def _leaves_package(name: str) -> bool:
    """Whether a zip member's name points outside the package: absolute (``/x``, ``\\x``,
    ``C:x``) or through ``..``."""
    name = name.replace("\\", "/")
    return name.startswith("/") or (len(name) > 1 and name[1] == ":") or ".." in name.split("/")


def _check_sizes(xml: list[zipfile.ZipInfo]) -> None:
    """Refuse parts whose declared sizes or compression ratios betray a zip bomb."""
    declared = sum(i.file_size for i in xml)
    if declared > LIMITS["xml_bytes"]:
        raise Refused("zip_bomb", f"工作簿解压后过大（{declared / 1024**2:.0f} MB），超过 "
                                  f"{LIMITS['xml_bytes'] // 1024**2} MB 上限，疑似压缩炸弹，拒绝读取")
    for info in xml:
        if info.file_size > 1024**2 and info.file_size > LIMITS["ratio"] * max(info.compress_size, 1):
            raise Refused("zip_bomb", f"{info.filename} 的压缩比异常（{info.file_size // max(info.compress_size, 1)} 倍），"
                                      "疑似压缩炸弹，拒绝读取")


class Scan:
    """A workbook that passed the safety checks: ``data``, the bytes to hand python-calamine
    (far cells cut out of its worksheets), ``large`` — sheet name → ``(part name, worksheet
    XML)`` of the large plain worksheets that :mod:`._split` reads in halves — and
    :meth:`facts`, what python-calamine does not say, which it does not need to parse."""

    def __init__(self, zf: zipfile.ZipFile, data: bytes, sheets: dict[str, bytes], effects, years=frozenset()):
        self.zf, self.effects, self.years = zf, effects, years
        self.parts: dict[str, tuple[bytes, bool]] = {}      # part name → (XML as read, plain)
        self.far: dict[str, dict] = {}
        strings = _SharedStrings(zf, data)
        replaced = {}
        for name, part in sheets.items():
            plain = is_plain(part)
            far = bound_cells(part, strings, plain)
            if far is not None:
                if far.refuse:
                    raise Refused("sheet_too_large", f"工作表“{sheet_names(zf).get(name, name)}”{far.refuse}")
                replaced[name] = part = far.part
                self.far[name] = far.cells
            self.parts[name] = (part, plain)
        self.data = _rebuild(zf, replaced) if replaced else data
        self.large = _large(zf, self.parts)

    def facts(self) -> WorkbookFacts:
        """Per worksheet: formulas, errors and number formats, keyed by sheet name (raises
        :class:`Refused` for a damaged part)."""
        try:
            return self._facts()
        except _CORRUPT:
            raise _corrupt() from None

    def _facts(self) -> WorkbookFacts:
        facts = WorkbookFacts(has_macros=any(i.filename.lower().endswith("vbaproject.bin") for i in self.zf.infolist()))
        found: dict[str, dict[str, object]] = {}
        links = external_links(self.zf)
        for name, (part, plain) in self.parts.items():
            if name in self.far:
                found.setdefault("far_cells", {})[name] = self.far[name]
            if has_formula(part, plain):
                without, with_value = formula_cells(part)
                found.setdefault("formulas_without_value", {})[name] = without
                found.setdefault("formulas_with_value", {})[name] = with_value
                linked = linked_formulas(part, links)
                if linked:
                    found.setdefault("linked", {})[name] = linked
            for key, value in zip(("error_cells", "percent_cells", "scaled_cells", "year_cells", "merged"),
                                  (error_cells(part), *styled_cells(part, self.effects, plain),
                                   cells_of_styles(part, self.years, plain), merged_ranges(part))):
                if value:
                    found.setdefault(key, {})[name] = value
        if found:
            names_by_part = sheet_names(self.zf)
            for key, by_part in found.items():
                setattr(facts, key, {names_by_part.get(p, p): v for p, v in by_part.items()})
        return facts


def _large(zf: zipfile.ZipFile, parts: dict[str, tuple[bytes, bool]]) -> dict[str, tuple[str, bytes]]:
    """Sheet name → (part name, XML) of the plain worksheets of at least :data:`SPLIT_BYTES`
    (none when the sheet names cannot be read: python-calamine then reads the file as usual)."""
    large = {name: part for name, (part, plain) in parts.items() if plain and len(part) >= SPLIT_BYTES}
    if not large:
        return {}
    try:
        names = sheet_names(zf)
    except Exception:  # noqa: BLE001 - the split is only a way of reading faster
        return {}
    return {names[p]: (p, part) for p, part in large.items() if p in names}


class _SharedStrings:
    """Shared string ``i`` of the workbook, read on first use (only far cells need it)."""

    def __init__(self, zf: zipfile.ZipFile, data: bytes):
        self.zf, self.data, self.items = zf, data, None

    def __call__(self, i: int) -> str:
        import html

        if self.items is None:
            try:
                info = self.zf.getinfo("xl/sharedStrings.xml")
            except KeyError:
                info = None
            part = _inflate(self.data, info, min(info.file_size, LIMITS["xml_bytes"])) if info else b""
            self.items = [m[0] for m in _SI.finditer(part)]
        if not 0 <= i < len(self.items):
            return ""
        return "".join(html.unescape((t[1] or b"").decode("utf-8", "replace")) for t in _SI_T.finditer(self.items[i]))


def _rebuild(zf: zipfile.ZipFile, replaced: dict[str, bytes]) -> bytes:
    """The workbook's zip with some parts replaced (the rest copied as they are)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as rebuilt:
        for info in zf.infolist():
            rebuilt.writestr(info.filename, replaced[info.filename] if info.filename in replaced
                             else zf.read(info.filename))
    return out.getvalue()


def _inflate_small(data: bytes, info: zipfile.ZipInfo, limit: int) -> bytes:
    """A whole part of at most ``limit`` declared bytes (a lie about its size refused), or
    its first ``limit`` bytes."""
    return _inflate(data, info, min(info.file_size, limit))


def _inflate(data: bytes, info: zipfile.ZipInfo, limit: int) -> bytes:
    """Up to ``limit`` bytes of one part, inflated straight from the file's bytes.

    A full read (``limit`` equal to the declared size) refuses a part that inflates past
    it: the declared size lied, as in a zip bomb.
    """
    offset = info.header_offset
    if data[offset:offset + 4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("bad local header")
    name_len, extra_len = struct.unpack("<HH", data[offset + 26:offset + 30])
    start = offset + 30 + name_len + extra_len
    raw = data[start:start + info.compress_size]
    if len(raw) < info.compress_size:
        raise zipfile.BadZipFile("truncated part")
    if info.compress_type == zipfile.ZIP_STORED:
        return raw[:limit]
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise NotImplementedError("compression")
    inflater = zlib.decompressobj(-15)
    out = inflater.decompress(raw, limit + 1)
    if len(out) > limit and limit >= info.file_size:
        raise Refused("corrupt", f"文件已损坏或不完整：{info.filename} 解压后超过声明的大小（也可能是压缩炸弹），拒绝读取")
    if limit >= info.file_size and zlib.crc32(out) != info.CRC:
        raise Refused("corrupt", f"文件已损坏或不完整：{info.filename} 校验不符，请重新保存后报送")
    return out[:limit]
