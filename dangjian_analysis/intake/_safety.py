"""Private: checks a workbook before anything parses it (untrusted input).

:func:`inspect_workbook` refuses, in bounded time and memory, zero-byte files, text or
HTML renamed ``.xlsx``, old ``.xls`` files, encrypted workbooks, truncated or corrupt
zips, zip bombs (declared and actual uncompressed sizes and compression ratios are
checked before anything is parsed) and XML with a DOCTYPE (entity expansion, external
entities). It also finds formula cells, so that a formula without a cached value is
rejected rather than read as blank. Nothing is ever evaluated or run.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Refused", "WorkbookFacts", "inspect_workbook", "LIMITS", "MESSAGES"]

#: Documented limits on one workbook.
LIMITS = {
    "file_bytes": 100 * 1024**2,      # the file on disk
    "xml_bytes": 200 * 1024**2,       # all XML parts together, uncompressed
    "entries": 5000,                  # parts in the zip
    "ratio": 200,                     # uncompressed/compressed, for parts over 1 MiB
}
#: Refusal messages also given for CSV and .xls files.
MESSAGES = {"empty_file": "文件为空（0 字节），请重新报送",
            "legacy_xls": "旧版 .xls 格式，请在 Excel 中另存为 .xlsx 后重新报送"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DEFLATE_MAX_RATIO = 1032
_PROLOG = 4096                        # a DOCTYPE can only stand before the root element
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_FORMULA_PLAIN = re.compile(rb"<f[\s>/]")
_ROOT = re.compile(rb"<[A-Za-z_]")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')


class Refused(Exception):
    """A file that must not be parsed; ``code`` and a Chinese ``message``."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass
class WorkbookFacts:
    """What the pre-scan learnt: formula cells per sheet name and whether macros exist."""

    formulas_without_value: dict[str, set[str]] = field(default_factory=dict)
    formulas_with_value: dict[str, set[str]] = field(default_factory=dict)
    percent_cells: dict[str, set[str]] = field(default_factory=dict)
    has_macros: bool = False


def inspect_workbook(path: str | Path) -> tuple[WorkbookFacts, bytes]:
    """Check one ``.xlsx``/``.xlsm`` file; raise :class:`Refused` if it must not be parsed.

    Returns what the scan learnt and the file's bytes (so that they are read once).
    """
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
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return _scan_zip(zf, data), data
    except Refused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ValueError, IndexError,
            struct.error, NotImplementedError):
        raise Refused("corrupt", "文件已损坏或不完整（压缩包无法读取），请重新保存后报送") from None


def _ole_refusal(data: bytes) -> Refused:
    head = data[: 4 * 1024**2]
    if "EncryptionInfo".encode("utf-16-le") in head or "EncryptedPackage".encode("utf-16-le") in head:
        return Refused("encrypted", "工作簿已加密（设置了打开密码），请取消密码后重新报送")
    return Refused("legacy_xls", MESSAGES["legacy_xls"])


def _scan_zip(zf: zipfile.ZipFile, data: bytes) -> WorkbookFacts:
    infos = zf.infolist()
    if len(infos) > LIMITS["entries"]:
        raise Refused("zip_bomb", f"压缩包内文件过多（{len(infos)} 个），拒绝读取")
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise Refused("not_excel", "不是有效的 Excel 文件：压缩包中没有工作簿（xl/workbook.xml）")
    if any(i.flag_bits & 0x1 for i in infos):
        raise Refused("encrypted", "工作簿已加密，请取消密码后重新报送")
    xml = [i for i in infos if i.filename.endswith((".xml", ".rels", ".vml"))]
    declared = sum(i.file_size for i in xml)
    if declared > LIMITS["xml_bytes"]:
        raise Refused("zip_bomb", f"工作簿解压后过大（{declared / 1024**2:.0f} MB），超过 "
                                  f"{LIMITS['xml_bytes'] // 1024**2} MB 上限，疑似压缩炸弹，拒绝读取")
    for info in xml:
        if info.file_size > 1024**2 and info.file_size > LIMITS["ratio"] * max(info.compress_size, 1):
            raise Refused("zip_bomb", f"{info.filename} 的压缩比异常（{info.file_size // max(info.compress_size, 1)} 倍），"
                                      "疑似压缩炸弹，拒绝读取")
    # Deflate never expands more than 1032:1, so small files cannot hide a bomb whatever their
    # headers claim; then only worksheets are inflated in full, other parts up to their prolog.
    worst = sum(_DEFLATE_MAX_RATIO * i.compress_size for i in xml)
    full = worst > LIMITS["xml_bytes"]
    facts = WorkbookFacts(has_macros=any(n.lower().endswith("vbaproject.bin") for n in names))
    budget = LIMITS["xml_bytes"]
    sheets_with_formulas: dict[str, bytes] = {}
    percent_styles = _percent_styles(zf, data) if "xl/styles.xml" in names else set()
    sheets_with_percent: dict[str, bytes] = {}
    for info in xml:
        is_sheet = info.filename.startswith("xl/worksheets/")
        part = _inflate(data, info, min(info.file_size, budget) if (full or is_sheet) else _PROLOG)
        if not full and not _ROOT.search(part) and len(part) < info.file_size:
            part = _inflate(data, info, min(info.file_size, budget))   # a padded prolog: read on
        budget -= len(part)
        root = _ROOT.search(part)
        if _DTD.search(part, 0, root.start() if root else len(part)):
            raise Refused("xml_dtd", f"{info.filename} 含有 DOCTYPE/ENTITY 声明（可能是 XML 实体炸弹或外部实体），拒绝读取")
        if is_sheet and _has_formula(part):
            sheets_with_formulas[info.filename] = part
        if is_sheet and percent_styles:
            sheets_with_percent[info.filename] = part
    if sheets_with_formulas or sheets_with_percent:
        names_by_part = _sheet_names(zf)
        for part_name, part in sheets_with_formulas.items():
            sheet = names_by_part.get(part_name, part_name)
            facts.formulas_without_value[sheet], facts.formulas_with_value[sheet] = _formula_cells(part)
        for part_name, part in sheets_with_percent.items():
            cells = _styled_cells(part, percent_styles)
            if cells:
                facts.percent_cells[names_by_part.get(part_name, part_name)] = cells
    return facts


_PERCENT_BUILTIN = {9, 10}                 # 0% and 0.00%


def _has_formula(part: bytes) -> bool:
    """Whether a sheet's XML has a formula element: ``<f …>`` (a fast literal-led search)
    or, rarely, a namespace-prefixed ``<x:f …>``."""
    return _FORMULA_PLAIN.search(part) is not None or (b":f" in part and _FORMULA.search(part) is not None)


def _percent_styles(zf: zipfile.ZipFile, data: bytes) -> set[int]:
    """Indices of the cell styles whose number format shows a percentage (Excel stores
    85% typed into such a cell as 0.85)."""
    info = zf.getinfo("xl/styles.xml")
    styles = _inflate(data, info, min(info.file_size, 50 * 1024**2))
    if b"%" not in styles and b'numFmtId="9"' not in styles and b'numFmtId="10"' not in styles:
        return set()                                   # the common case: no percentage format at all
    custom = {int(m[1]) for m in re.finditer(rb'<(?:\w+:)?numFmt\b[^>]*numFmtId="(\d+)"[^>]*formatCode="([^"]*)"',
                                            styles) if b"%" in m[2].replace(b'\\%', b"")}
    xfs = re.search(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", styles, re.S)
    if not xfs:
        return set()
    percent = _PERCENT_BUILTIN | custom
    out = set()
    for i, xf in enumerate(re.finditer(rb"<(?:\w+:)?xf\b([^>]*)", xfs[0])):
        fmt = re.search(rb'numFmtId="(\d+)"', xf[1])
        if fmt and int(fmt[1]) in percent:
            out.add(i)
    return out


def _styled_cells(data: bytes, styles: set[int]) -> set[str]:
    """Addresses of the cells of one sheet that use one of ``styles``."""
    out = set()
    for match in re.finditer(rb'<(?:\w+:)?c\b([^>]*)', data):
        attrs = match[1]
        s = re.search(rb'\bs="(\d+)"', attrs)
        if s and int(s[1]) in styles:
            ref = _REF.search(attrs)
            if ref:
                out.add(ref[1].decode())
    return out


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


def _sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Map worksheet part names (xl/worksheets/sheet1.xml) to sheet names."""
    from defusedxml.ElementTree import fromstring

    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    workbook = fromstring(zf.read("xl/workbook.xml"))
    try:
        rels = fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = target
    out = {}
    for sheet in workbook.iter(f"{ns_main}sheet"):
        part = targets.get(sheet.get(f"{ns_rel}id"))
        if part:
            out[part] = sheet.get("name")
    return out


def _formula_cells(data: bytes) -> tuple[set[str], set[str]]:
    """Addresses of formula cells without and with a cached value in one sheet's XML."""
    without, with_value = set(), set()
    for match in _CELL.finditer(data):
        body = match[2] or b""
        if not _FORMULA.search(body):
            continue
        ref = _REF.search(match[1])
        if not ref:
            continue
        has_value = re.search(rb"<(?:\w+:)?v>[^<]+</(?:\w+:)?v>|<(?:\w+:)?is>", body) is not None
        (with_value if has_value else without).add(ref[1].decode())
    return without, with_value
