"""Private: a large worksheet read by python-calamine in two halves at once.

python-calamine parses a worksheet in one thread (releasing the GIL meanwhile); the county
workbook's 述职评议 sheet alone is most of a batch's reading time. A worksheet part of at least
:data:`SPLIT_BYTES` (as the safety scan has inflated it, far cells already cut out) is cut at
a ``<row r="…">`` near its middle: each half — the part's head, half of its rows, its tail —
goes into a copy of the workbook (the other parts copied as they are, still compressed), the
two copies are parsed in two threads — started as soon as the safety checks have passed, while
the rest of the scan's facts are found — and the rows are joined. They are the rows of the whole
sheet: every cell keeps its place (the second half starts with a row numbered explicitly,
and python-calamine pads the rows above it), and the narrower half's rows are padded with
``""`` to the wider one's width, as python-calamine pads them. Should the halves not fit
(rows out of order: the second half's data starting before the first half's ends), or
either half fail to parse (a cut inside a comment or CDATA section leaves it unclosed in the
first half, which python-calamine refuses), the sheet is read whole.
"""

from __future__ import annotations

import io
import re
import struct
import threading
import zipfile
import zlib

__all__ = ["SPLIT_BYTES", "Halves"]

#: Worksheet parts at least this large are read in two halves.
SPLIT_BYTES = 2 * 1024**2
_ROW = re.compile(rb'<row r="[0-9]+"[\s>/]')


class Halves:
    """One large sheet being read in two halves, each in a thread of its own (started at once)."""

    def __init__(self, data: bytes, part_name: str, name: str, part: bytes):
        self.name, self.result, self.threads = name, {}, []
        try:
            halves = _halves(part)
            infos = zipfile.ZipFile(io.BytesIO(data)).infolist() if halves else []
            books = [_replaced(data, infos, part_name, half) for half in halves or ()]
        except Exception:  # noqa: BLE001 - a zip that cannot be copied: the sheet is read whole
            return
        for k, book in enumerate(books):
            thread = threading.Thread(target=self._parse, args=(k, book), daemon=True)
            thread.start()
            self.threads.append(thread)

    def _parse(self, k: int, book: bytes) -> None:
        from python_calamine import CalamineWorkbook

        try:
            with CalamineWorkbook.from_filelike(io.BytesIO(book)) as wb:
                sheet = wb.get_sheet_by_name(self.name)
                self.result[k] = (sheet.start, sheet.end, sheet.to_python(skip_empty_area=False))
        except Exception as exc:  # noqa: BLE001 - the caller reads the sheet whole
            self.result[k] = exc

    def wait(self) -> None:
        """Wait until both halves are read."""
        for thread in self.threads:
            thread.join()

    def rows(self, wb) -> list:
        """The sheet's rows as ``to_python(skip_empty_area=False)`` gives them: the halves
        joined, or the sheet read whole from ``wb`` if they cannot be."""
        self.wait()
        rows = _joined(self.result) if len(self.result) == 2 else None
        return rows if rows is not None else wb.get_sheet_by_name(self.name).to_python(skip_empty_area=False)


def _halves(part: bytes) -> tuple[bytes, bytes] | None:
    """The part cut in two at a numbered row near the middle of its rows, or None."""
    start, end = part.find(b"<sheetData>"), part.find(b"</sheetData>")
    if start < 0 or end < start:
        return None
    start += len(b"<sheetData>")
    cut = _ROW.search(part, start + (end - start) // 2, end)
    if cut is None:
        return None
    return part[:cut.start()] + part[end:], part[:start] + part[cut.start():]


def _joined(result: dict) -> list | None:
    """The rows of the two halves joined, or None if either failed or they do not fit."""
    if any(isinstance(r, Exception) for r in result.values()):
        return None
    (_, end0, rows0), (start1, _, rows1) = result[0], result[1]
    if not rows1:
        return rows0
    if rows0 and start1[0] <= end0[0]:
        return None
    rows = rows0 + rows1[len(rows0):]
    width = max((len(r) for r in (rows0[-1:] + rows1[-1:])), default=0)
    for part in (rows0, rows1[len(rows0):]):
        if part and len(part[0]) < width:
            for row in part:
                row.extend([""] * (width - len(row)))
    return rows


def _replaced(data: bytes, infos: list[zipfile.ZipInfo], part_name: str, part: bytes) -> bytes:
    """A copy of the zip ``data`` in which ``part_name`` holds ``part`` (stored); every other
    entry is copied as it is (still compressed)."""
    out, central = bytearray(), bytearray()
    for info in infos:
        name = info.filename.encode("utf-8")
        flags = 0x800 if not info.filename.isascii() else 0
        if info.filename == part_name:
            payload, method, crc, size = part, zipfile.ZIP_STORED, zlib.crc32(part), len(part)
        else:
            offset = info.header_offset
            name_len, extra_len = struct.unpack("<HH", data[offset + 26:offset + 30])
            begin = offset + 30 + name_len + extra_len
            payload, method, crc, size = data[begin:begin + info.compress_size], info.compress_type, info.CRC, \
                info.file_size
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, method, 0, 0x21, crc, len(payload),
                               size, len(name), 0, 0, 0, 0, 0, len(out)) + name
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, method, 0, 0x21, crc, len(payload), size,
                           len(name), 0) + name
        out += payload
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(infos), len(infos), len(central), len(out), 0)
    return bytes(out + central + end)
