"""Private: checks a workbook before anything parses it (untrusted input).

:func:`inspect_workbook` refuses, in bounded time and memory, zero-byte files, text or
HTML renamed ``.xlsx``, old ``.xls`` files, encrypted workbooks, truncated or corrupt
zips, zip bombs (declared and actual uncompressed sizes and compression ratios are
checked before anything is parsed) and XML with a DOCTYPE (entity expansion, external
entities). It also finds formula cells, so that a formula without a cached value is
rejected rather than read as blank. Nothing is ever evaluated or run.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Refused", "WorkbookFacts", "inspect_workbook", "LIMITS"]

#: Documented limits on one workbook.
LIMITS = {
    "file_bytes": 100 * 1024**2,      # the file on disk
    "xml_bytes": 200 * 1024**2,       # all XML parts together, uncompressed
    "entries": 5000,                  # parts in the zip
    "ratio": 200,                     # uncompressed/compressed, for parts over 1 MiB
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 1 << 16
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
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
    has_macros: bool = False


def inspect_workbook(path: str | Path) -> WorkbookFacts:
    """Check one ``.xlsx``/``.xlsm`` file; raise :class:`Refused` if it must not be parsed."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise Refused("empty_file", "文件为空（0 字节），请重新报送")
    if size > LIMITS["file_bytes"]:
        raise Refused("too_large", f"文件过大（{size / 1024**2:.0f} MB，上限 {LIMITS['file_bytes'] // 1024**2} MB）")
    with open(path, "rb") as fh:
        head = fh.read(512)
    if head.startswith(_OLE):
        raise _ole_refusal(path)
    if not head.startswith(b"PK\x03\x04"):
        text = head.lstrip().lower()
        if text.startswith((b"<", b"\xef\xbb\xbf<")) or b"<html" in text:
            raise Refused("not_excel", "不是有效的 Excel 文件：内容是网页（HTML），可能是改了扩展名；请在 Excel 中另存为 .xlsx")
        raise Refused("not_excel", "不是有效的 Excel 文件（可能是文本或其他格式改了扩展名），请在 Excel 中另存为 .xlsx")
    try:
        with zipfile.ZipFile(path) as zf:
            return _scan_zip(zf)
    except Refused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ValueError,
            NotImplementedError):
        raise Refused("corrupt", "文件已损坏或不完整（压缩包无法读取），请重新保存后报送") from None


def _ole_refusal(path: Path) -> Refused:
    with open(path, "rb") as fh:
        data = fh.read(min(path.stat().st_size, 4 * 1024**2))
    if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
        return Refused("encrypted", "工作簿已加密（设置了打开密码），请取消密码后重新报送")
    return Refused("legacy_xls", "旧版 .xls 格式，请在 Excel 中另存为 .xlsx 后重新报送")


def _scan_zip(zf: zipfile.ZipFile) -> WorkbookFacts:
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
    facts = WorkbookFacts(has_macros=any(n.lower().endswith("vbaproject.bin") for n in names))
    budget = LIMITS["xml_bytes"]
    sheets_with_formulas: dict[str, bytes] = {}
    for info in xml:
        data = _read_capped(zf, info, budget)
        budget -= len(data)
        if _DTD.search(data):
            raise Refused("xml_dtd", f"{info.filename} 含有 DOCTYPE/ENTITY 声明（可能是 XML 实体炸弹或外部实体），拒绝读取")
        if info.filename.startswith("xl/worksheets/") and b"<f" in data:
            sheets_with_formulas[info.filename] = data
    if sheets_with_formulas:
        names_by_part = _sheet_names(zf)
        for part, data in sheets_with_formulas.items():
            sheet = names_by_part.get(part, part)
            without, with_value = _formula_cells(data)
            facts.formulas_without_value[sheet] = without
            facts.formulas_with_value[sheet] = with_value
    return facts


def _read_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    """Decompress one part, refusing as soon as it passes its declared size or the budget."""
    limit = min(info.file_size, budget)
    parts, total = [], 0
    with zf.open(info) as fh:
        while chunk := fh.read(_CHUNK):
            total += len(chunk)
            if total > limit:
                raise Refused("zip_bomb", f"{info.filename} 解压后超过声明大小或上限，疑似压缩炸弹，拒绝读取")
            parts.append(chunk)
    return b"".join(parts)


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
        if b"<f" not in body:
            continue
        ref = _REF.search(match[1])
        if not ref:
            continue
        has_value = re.search(rb"<v>[^<]+</v>|<is>", body) is not None
        (with_value if has_value else without).add(ref[1].decode())
    return without, with_value
