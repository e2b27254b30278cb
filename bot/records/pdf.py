"""HTML + CSS → PDF/A-3b bytes with WeasyPrint: A4, Dutch, page numbers, the VGG as author.

PDF/A is the archival format the Archiefwet's rules point to: WeasyPrint's `pdf/a-3b` variant
writes the XMP identification (pdfaid:part 3, conformance B), an sRGB output intent, and embeds
(a subset of) every font it uses.

The font is DejaVu Sans, named in the CSS and not shipped with the bot: Debian's Pango packages
pull in `fontconfig`, whose `fontconfig-config` depends on `fonts-dejavu-core` first, so a machine
that can run WeasyPrint has it (install it by name to be sure: the dependency has alternatives).
Elsewhere fontconfig substitutes another installed sans-serif, which is embedded just the same.
Ligatures are off so that extracted text (search, the tests) reads "fi" as two letters.

WeasyPrint is imported when a PDF is made, not when this module is: the rest of the bot keeps
working on a machine without Pango, and the export then says what to install.
"""

from __future__ import annotations

import re
from html import escape

AUTHOR = "Vereniging Groninger Gemeenten"
LANGUAGE = "nl"
FONT_FAMILY = "DejaVu Sans"
PDF_VARIANT = "pdf/a-3b"

STYLESHEET = """
@page {
  size: A4;
  margin: 20mm 18mm 22mm 18mm;
  @top-left { content: string(doc-title); font-size: 8pt; color: #555555; }
  @bottom-left { content: "Vereniging Groninger Gemeenten"; font-size: 8pt; color: #555555; }
  @bottom-right { content: "pagina " counter(page) " van " counter(pages); font-size: 8pt; }
}
@page :first { @top-left { content: none; } }
html {
  font-family: "DejaVu Sans", sans-serif;
  font-size: 10pt;
  line-height: 1.4;
  font-variant-ligatures: none;
  overflow-wrap: anywhere;
}
h1 { font-size: 16pt; margin: 0 0 2mm 0; string-set: doc-title content(); }
h2 { font-size: 12pt; margin: 6mm 0 1mm 0; break-after: avoid; }
h3 { font-size: 10pt; margin: 3mm 0 1mm 0; break-after: avoid; }
p { margin: 0 0 2mm 0; }
.meta { color: #333333; margin-bottom: 5mm; }
.meta p { margin: 0; }
.notice { border: 0.4pt solid #999999; padding: 2mm 3mm; margin: 3mm 0; }
.item { break-inside: avoid; margin-bottom: 4mm; }
.text { white-space: pre-line; }
.label { font-weight: bold; }
.muted { color: #555555; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm 0; font-size: 9pt; }
th, td { border-bottom: 0.4pt solid #999999; padding: 1mm 2mm 1mm 0; text-align: left;
         vertical-align: top; }
"""


class PdfUnavailableError(RuntimeError):
    """WeasyPrint (or the Pango libraries under it) cannot be loaded on this machine."""


# C0 and C1 control characters except tab and newline: invalid in the PDF's XMP (XML) metadata,
# and drawn as empty boxes in the text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Text without control characters, and with any lone surrogate (broken UTF-16) as `?`."""
    return _CONTROL.sub("", text).encode("utf-8", "replace").decode("utf-8")


def esc(text: str) -> str:
    """User text made safe for HTML (`<`, `>`, `&` and quotes) and for the PDF's XML metadata."""
    return escape(clean_text(text), quote=True)


def html_document(*, title: str, body: str, description: str = "") -> str:
    """A complete HTML page: Dutch, titled, with the VGG as author. `body` is trusted HTML."""
    meta = f'<meta name="description" content="{esc(description)}">' if description else ""
    return (
        f'<!DOCTYPE html><html lang="{LANGUAGE}"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title>"
        f'<meta name="author" content="{esc(AUTHOR)}">{meta}'
        f"<style>{STYLESHEET}</style></head><body>{body}</body></html>"
    )


def render_pdf(*, title: str, body: str, description: str = "") -> bytes:
    """The page as PDF/A-3b bytes; `title` and `description` go into the document's metadata.

    Nothing outside the page is fetched: every URL is refused, so no text that slipped into the
    page could make the renderer read a local file or call out.
    """
    try:
        import weasyprint  # noqa: PLC0415  # loads Pango; only the archive export needs it
    except OSError as exc:
        raise PdfUnavailableError(
            "PDF maken lukt niet: WeasyPrint vindt Pango niet (Debian: apt-get install "
            "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)."
        ) from exc
    page = weasyprint.HTML(
        string=html_document(title=title, body=body, description=description),
        url_fetcher=weasyprint.URLFetcher(allowed_protocols=()),
    )
    pdf: bytes = page.write_pdf(pdf_variant=PDF_VARIANT)
    return pdf
