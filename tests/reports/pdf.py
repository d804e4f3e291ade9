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
