"""A .docx package kept in memory, written out again with a few parts replaced.

Rendering a document only changes a few XML parts (the body, headers, footers). Re-reading the
template with python-docx and serialising every part again per document is most of the cost of
a plain docxtpl loop, so the unchanged parts are kept here as their compressed bytes and copied
verbatim into each new zip; only the rendered parts are compressed per document.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_UTF8_FLAG = 0x800


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    method: int
    dos_time: int
    dos_date: int
    crc: int
    compressed: bytes
    size: int


class DocxPackage:
    """The parts of one .docx file; ``write`` builds a new file with some parts replaced."""

    def __init__(self, data: bytes, *, level: int = 6) -> None:
        self._level = level
        self._entries: list[_Entry] = []
        self._texts: dict[str, bytes] = {}
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                raw = archive.read(info)  # checks the CRC
                self._texts[info.filename] = raw
                method, compressed = _stored_bytes(data, info)
                if method not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    method, compressed = zipfile.ZIP_DEFLATED, _deflate(raw, level)
                dos_date = (
                    (info.date_time[0] - 1980) << 9 | info.date_time[1] << 5 | info.date_time[2]
                )
                dos_time = info.date_time[3] << 11 | info.date_time[4] << 5 | info.date_time[5] // 2
                self._entries.append(
                    _Entry(
                        info.filename,
                        method,
                        dos_time,
                        max(dos_date, 0x21),
                        zlib.crc32(raw),
                        compressed,
                        len(raw),
                    )
                )

    @property
    def _known(self) -> frozenset[str]:
        known = self.__dict__.get("_known_names")
        if known is None:
            known = self.__dict__["_known_names"] = frozenset(e.name for e in self._entries)
        return known

    @property
    def names(self) -> list[str]:
        return [e.name for e in self._entries]

    def read(self, name: str) -> bytes:
        return self._texts[name]

    def entry_crc(self, name: str) -> int:
        return next(e.crc for e in self._entries if e.name == name)

    def write(self, replacements: Mapping[str, bytes]) -> bytes:
        """The package as .docx bytes, with ``replacements`` (part name → content) applied.

        A name the template does not have is a new part (an image, a relationships file),
        added at the end.
        """
        chunks: list[bytes] = []
        central: list[bytes] = []
        offset = 0
        known = self._known
        first = self._entries[0]
        added = [
            _Entry(name, zipfile.ZIP_DEFLATED, first.dos_time, first.dos_date, 0, b"", 0)
            for name in replacements
            if name not in known
        ]
        for entry in [*self._entries, *added]:
            content = replacements.get(entry.name)
            if content is not None:
                entry = _Entry(
                    entry.name,
                    zipfile.ZIP_DEFLATED,
                    entry.dos_time,
                    entry.dos_date,
                    zlib.crc32(content),
                    _deflate(content, self._level),
                    len(content),
                )
            name = entry.name.encode("utf-8")
            flags = _UTF8_FLAG if not entry.name.isascii() else 0
            header = _LOCAL.pack(
                b"PK\x03\x04",
                20,
                0,
                flags,
                entry.method,
                entry.dos_time,
                entry.dos_date,
                entry.crc,
                len(entry.compressed),
                entry.size,
                len(name),
                0,
            )
            chunks += (header, name, entry.compressed)
            central.append(
                _CENTRAL.pack(
                    b"PK\x01\x02",
                    20,
                    3,
                    20,
                    0,
                    flags,
                    entry.method,
                    entry.dos_time,
                    entry.dos_date,
                    entry.crc,
                    len(entry.compressed),
                    entry.size,
                    len(name),
                    0,
                    0,
                    0,
                    0,
                    0o100644 << 16,
                    offset,
                )
                + name
            )
            offset += len(header) + len(name) + len(entry.compressed)
        directory = b"".join(central)
        end = _END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0)
        return b"".join(chunks) + directory + end


def _stored_bytes(data: bytes, info: zipfile.ZipInfo) -> tuple[int, bytes]:
    """A member's bytes as they are in the zip: copied, not compressed again."""
    offset = info.header_offset
    name_length, extra_length = struct.unpack_from("<2H", data, offset + 26)
    start = offset + 30 + name_length + extra_length
    return info.compress_type, data[start : start + info.compress_size]


def _deflate(data: bytes, level: int) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()
