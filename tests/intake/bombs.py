"""Hostile workbooks built in the test, streaming, without writing gigabytes to disk.

``bomb_workbook`` copies a real workbook and swaps one worksheet for one whose XML
unpacks to ``gigabytes`` GB of valid rows. The deflate stream is made of one
compressed block repeated: after a full flush the compressor starts afresh, so the
same input block compresses to the same bytes every time and a 2 GB sheet costs a
few MB on disk and a second or two of CRC to build. The zip is written by hand
(local headers, central directory, end record) since ``zipfile`` cannot store data
already compressed.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

_ROW = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'


def _compressed_block(block: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)


def bomb_workbook(source: Path, target: Path, *, sheet: str = "xl/worksheets/sheet2.xml",
                  gigabytes: float = 2.0) -> Path:
    """``source`` with ``sheet`` replaced by a sheet of ``gigabytes`` GB (< 4 GB)."""
    with zipfile.ZipFile(source) as z:
        parts = [(i.filename, z.read(i)) for i in z.infolist()]
    assert sheet in dict(parts), sheet
    entries: list[tuple[str, int, int, int, int]] = []  # name, offset, crc, packed, size
    with target.open("wb") as out:
        for name, data in parts:
            if name == sheet:
                head = data.split(b"<sheetData", 1)[0] + b"<sheetData>"
                tail = b"</sheetData></worksheet>"
                block = _ROW * ((16 << 20) // len(_ROW))  # 16 MB of rows
                repeats = int(gigabytes * (1 << 30)) // len(block)
                packed_block = _compressed_block(block)
                crc = zlib.crc32(head)
                for _ in range(repeats):
                    crc = zlib.crc32(block, crc)
                crc = zlib.crc32(tail, crc)
                size = len(head) + repeats * len(block) + len(tail)
                first = _compressed_block(head)
                c = zlib.compressobj(9, zlib.DEFLATED, -15)
                last = c.compress(tail) + c.flush()
                packed = len(first) + repeats * len(packed_block) + len(last)
                offset = out.tell()
                out.write(_local_header(name, crc, packed, size))
                out.write(first)
                for _ in range(repeats):
                    out.write(packed_block)
                out.write(last)
            else:
                c = zlib.compressobj(9, zlib.DEFLATED, -15)
                body = c.compress(data) + c.flush()
                crc, packed, size = zlib.crc32(data), len(body), len(data)
                offset = out.tell()
                out.write(_local_header(name, crc, packed, size))
                out.write(body)
            entries.append((name, offset, crc, packed, size))
        directory = out.tell()
        for name, offset, crc, packed, size in entries:
            encoded = name.encode()
            out.write(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, packed, size,
                                  len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
        length = out.tell() - directory
        out.write(struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(entries), len(entries), length,
                              directory, 0))
    return target


def _local_header(name: str, crc: int, packed: int, size: int) -> bytes:
    encoded = name.encode()
    return struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, packed, size,
                       len(encoded), 0) + encoded
