"""PDF/A output: identification, embedded fonts, Dutch metadata, page numbers, escaped text."""

import pytest

from bot.records.pdf import AUTHOR, esc, render_pdf
from tests.bot.records.pdfcheck import PdfFacts, read_pdf, require_pdf_font


@pytest.fixture(scope="module")
def long_document() -> PdfFacts:
    """Three-plus pages of agenda-like text with a hostile title."""
    require_pdf_font()
    title = esc('Agendapunt <b>vet</b> & "zo"')
    items = "".join(
        f"<div class='item'><h2>{n}. {title} {n}</h2>"
        f"<p class='text'>{esc('Toelichting die doorloopt. ' * 12)}</p></div>"
        for n in range(1, 41)
    )
    return read_pdf(render_pdf(title="Agenda IVB 20 maart 2023", body=f"<h1>Agenda</h1>{items}"))


def test_pdf_identifies_itself_as_pdfa_3b(long_document: PdfFacts) -> None:
    """The XMP metadata says PDF/A part 3, conformance B, with the sRGB output intent PDF/A asks for."""
    assert (long_document.pdfa_part, long_document.pdfa_conformance) == ("3", "B")
    assert long_document.output_intents == ("/GTS_PDFA1",)


def test_every_font_is_embedded(long_document: PdfFacts) -> None:
    """Every font dictionary carries its font program (FontFile, FontFile2 or FontFile3)."""
    assert long_document.fonts
    assert long_document.unembedded_fonts == ()
    assert all("DejaVu" in font for font in long_document.fonts)


def test_metadata_has_title_author_and_dutch_language(long_document: PdfFacts) -> None:
    """Title and author are in the document info, and the catalog says the language is nl."""
    assert long_document.title == "Agenda IVB 20 maart 2023"
    assert long_document.author == AUTHOR == "Vereniging Groninger Gemeenten"
    assert long_document.language == "nl"


def test_pages_are_numbered_pagina_n_van_m(long_document: PdfFacts) -> None:
    """Each page's footer reads "pagina N van M" with the real page count."""
    total = len(long_document.pages)
    assert total >= 3
    for number, text in enumerate(long_document.pages, start=1):
        assert f"pagina {number} van {total}" in text


def test_user_text_is_printed_literally_not_as_markup(long_document: PdfFacts) -> None:
    """A title with <b>, & and quotes is shown as typed, not interpreted as HTML."""
    assert long_document.contains('Agendapunt <b>vet</b> & "zo" 40')


def test_control_characters_and_broken_unicode_cannot_break_the_pdf() -> None:
    """Control characters and lone surrogates are dropped or replaced, so the XMP metadata stays valid XML."""
    require_pdf_font()
    title = "IVB\x07 \x00agenda \ud83d"
    text = "tab\there, bel\x07"
    facts = read_pdf(render_pdf(title=title, body=f"<h1>{esc(title)}</h1><p>{esc(text)}</p>"))
    assert facts.title == "IVB agenda ?"
    assert (facts.pdfa_part, facts.pdfa_conformance) == ("3", "B")
    assert facts.contains("IVB agenda ?")
