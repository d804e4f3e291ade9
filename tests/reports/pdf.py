"""Reading a PDF's structure without a PDF library: enough to check it is really tagged."""

from __future__ import annotations

import re
import zlib


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's bytes with every Flate-compressed stream (object streams included) inflated,
    so its dictionaries can be searched without a PDF library."""
    inflated = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            inflated.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(inflated)


def assert_tagged_pdf(pdf: bytes) -> None:
    """A tagged PDF: a structure tree with real structure (headings, tables, figures), marked
    content, a document language and title shown in the window (PDF/UA-1)."""
    assert pdf.startswith(b"%PDF-")
    body = pdf_objects(pdf)
    assert b"/StructTreeRoot" in body
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked\s+true", body)
    tags = set(re.findall(rb"/S\s*/(\w+)", body))
    assert {b"Document", b"H1", b"H2", b"Table", b"TH", b"TD", b"Figure", b"L", b"LI"} <= tags
    assert re.search(rb"/Lang\s*\(en", body)
    assert b"/DisplayDocTitle true" in body
    assert b"pdfuaid:part" in body


_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(rb"<([0-9a-fA-F]+)>")
_TJ = re.compile(rb"\[(.*?)\]\s*TJ|<([0-9a-fA-F]+)>\s*Tj", re.S)


def pdf_text(pdf: bytes) -> str:
    """The PDF's visible text, in drawing order, good enough to search for words: glyphs are
    mapped to characters through the fonts' ToUnicode maps (WeasyPrint writes 2-byte glyph ids
    and keeps a glyph's id across the subsets of one family). Lines are joined with spaces."""
    streams = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            streams.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    glyphs: dict[int, str] = {}
    for stream in streams:
        for block in _BFCHAR.findall(stream):
            pairs = _HEX.findall(block)
            for src, dst in zip(pairs[0::2], pairs[1::2], strict=False):
                glyphs.setdefault(int(src, 16), bytes.fromhex(dst.decode()).decode("utf-16-be"))
        for block in _BFRANGE.findall(stream):
            values = _HEX.findall(block)
            for lo, hi, dst in zip(values[0::3], values[1::3], values[2::3], strict=False):
                start = int(dst, 16)
                for i, glyph in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                    glyphs.setdefault(glyph, chr(start + i))
    runs = []
    for stream in streams:
        for array, single in _TJ.findall(stream):
            hexes = _HEX.findall(array) if array else [single]
            text = "".join(
                glyphs.get(int(h[i : i + 4], 16), "\ufffd")
                for h in hexes
                for i in range(0, len(h), 4)
            )
            runs.append(text)
    return " ".join(runs)
