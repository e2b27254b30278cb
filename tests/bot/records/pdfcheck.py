"""Reading back the archive's PDFs with pypdf: PDF/A identification, fonts, text, metadata."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def require_pdf_font() -> None:
    """Skip (with the reason) when fontconfig has no DejaVu Sans, the font the PDFs name."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        pytest.skip("fc-match not found: fontconfig is missing (apt-get install fontconfig)")
    found = subprocess.run(
        [fc_match, "-f", "%{family}", "DejaVu Sans"], capture_output=True, text=True, check=False
    ).stdout
    if "DejaVu Sans" not in found:
        pytest.skip("font DejaVu Sans not installed (apt-get install fonts-dejavu-core)")


@dataclass(frozen=True)
class PdfFacts:
    pdfa_part: str | None
    pdfa_conformance: str | None
    title: str | None
    author: str | None
    language: str | None
    output_intents: tuple[str, ...]
    fonts: tuple[str, ...]
    unembedded_fonts: tuple[str, ...]
    pages: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    def contains(self, phrase: str) -> bool:
        """True when `phrase` is in the text, whatever line breaks or spaces the layout put in."""
        return "".join(phrase.split()) in "".join(self.text.split())


def _font_dicts(reader: PdfReader) -> Iterator[DictionaryObject]:
    stack: list[Any] = [page.get("/Resources") for page in reader.pages]
    seen: set[int] = set()
    while stack:
        resources = stack.pop()
        if resources is None:
            continue
        resources = resources.get_object()
        if id(resources) in seen:
            continue
        seen.add(id(resources))
        for reference in resources.get("/Font", {}).values():
            font = reference.get_object()
            yield font
            if "/Resources" in font:  # a Type3 font draws its glyphs with resources of its own
                stack.append(font["/Resources"])
        for xobject in resources.get("/XObject", {}).values():
            stack.append(xobject.get_object().get("/Resources"))


def _embedded(font: DictionaryObject) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # glyphs are drawn by content streams inside the PDF itself
    if font.get("/Subtype") == "/Type0":
        font = cast(DictionaryObject, cast(ArrayObject, font["/DescendantFonts"])[0].get_object())
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(key in descriptor.get_object() for key in FONT_FILES)


def read_pdf(data: bytes) -> PdfFacts:
    reader = PdfReader(io.BytesIO(data))
    xmp = reader.xmp_metadata
    info = reader.metadata
    root = cast(DictionaryObject, reader.trailer["/Root"])
    fonts = list(_font_dicts(reader))
    return PdfFacts(
        pdfa_part=xmp.pdfaid_part if xmp else None,
        pdfa_conformance=xmp.pdfaid_conformance if xmp else None,
        title=info.title if info else None,
        author=info.author if info else None,
        language=str(root["/Lang"]) if "/Lang" in root else None,
        output_intents=tuple(
            str(cast(DictionaryObject, intent.get_object())["/S"])
            for intent in root.get("/OutputIntents", [])
        ),
        fonts=tuple(str(font.get("/BaseFont")) for font in fonts),
        unembedded_fonts=tuple(str(font.get("/BaseFont")) for font in fonts if not _embedded(font)),
        pages=tuple(page.extract_text() for page in reader.pages),
    )
