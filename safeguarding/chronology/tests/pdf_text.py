"""Read the text back out of an fpdf2 PDF written with an embedded Unicode font (for tests only).

fpdf2 writes text as two-byte glyph ids in literal strings and maps them back to Unicode in a ToUnicode
CMap; this decodes both, so a test can assert what a reader of the PDF would see."""

from __future__ import annotations

import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}


def _objects(pdf: bytes) -> dict[int, bytes]:
    return {int(n): body for n, body in re.findall(rb"(\d+) 0 obj(.*?)endobj", pdf, re.S)}


def _stream(body: bytes) -> bytes:
    match = _STREAM.search(body)
    if not match:
        return b""
    try:
        return zlib.decompress(match.group(1))
    except zlib.error:
        return match.group(1)


def _unescape(raw: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(raw):
        c = raw[i : i + 1]
        if c == b"\\":
            nxt = raw[i + 1 : i + 2]
            octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
            if octal:
                out.append(int(octal.group(0), 8))
                i += 1 + len(octal.group(0))
                continue
            out += _ESCAPES.get(nxt, nxt)
            i += 2
            continue
        out += c
        i += 1
    return bytes(out)


def _cmap(s: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for section in re.findall(rb"beginbfchar(.*?)endbfchar", s, re.S):
        for gid, uni in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", section):
            mapping[int(gid, 16)] = bytes.fromhex(uni.decode()).decode("utf-16-be")
    for section in re.findall(rb"beginbfrange(.*?)endbfrange", s, re.S):
        for lo, hi, start in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", section):
            for offset, gid in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[gid] = chr(int(start, 16) + offset)
    return mapping


def pdf_text(pdf: bytes) -> str:
    """The text of every Tj operator, one string per operator, decoded with its font's ToUnicode map."""
    objects = _objects(pdf)
    fonts: dict[bytes, dict[int, str]] = {}  # resource name (b"F1") -> glyph id -> text
    for body in objects.values():
        for name, ref in re.findall(rb"/(F\d+)\s+(\d+) 0 R", body):
            to_unicode = re.search(rb"/ToUnicode\s+(\d+) 0 R", objects.get(int(ref), b""))
            if to_unicode:
                fonts[name] = _cmap(_stream(objects.get(int(to_unicode.group(1)), b"")))
    lines = []
    for body in objects.values():
        content = _stream(body)
        if b"Tj" not in content:
            continue
        cmap: dict[int, str] = {}
        for font, raw in re.findall(rb"/(F\d+)\s+[\d.]+\s+Tf|\(((?:\\.|[^\\)])*)\)\s*Tj", content, re.S):
            if font:
                cmap = fonts.get(font, {})
                continue
            data = _unescape(raw)
            lines.append("".join(cmap.get(int.from_bytes(data[i : i + 2], "big"), "?") for i in range(0, len(data), 2)))
    return "\n".join(lines)
