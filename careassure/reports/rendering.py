"""Render a report: the template (the council's, or the shipped default) runs in Jinja's
sandbox to make the HTML body; the HTML is wrapped in a fixed accessible document and turned
into PDF (WeasyPrint) or DOCX (python-docx, from the same HTML), so every format says the same."""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from jinja2 import FunctionLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import escape

from careassure.common.exceptions import ApplicationError
from careassure.reports.models import ReportKind

DEFAULTS_DIR = Path(__file__).resolve().parent / "templates_default"
LANGUAGE = "en-GB"
_MACROS = "_macros.html"


def default_template(kind: str) -> str:
    return (DEFAULTS_DIR / f"{kind}.html").read_text(encoding="utf-8")


def report_css() -> str:
    return (DEFAULTS_DIR / "report.css").read_text(encoding="utf-8")


def _environment(overrides: Mapping[str, str]) -> SandboxedEnvironment:
    """The sandbox; without overrides, one shared environment, so the shipped templates are
    compiled once per process rather than for every report."""
    if not overrides:
        return _default_environment()
    return _new_environment(overrides)


@lru_cache(maxsize=1)
def _default_environment() -> SandboxedEnvironment:
    return _new_environment({})


def _new_environment(overrides: Mapping[str, str]) -> SandboxedEnvironment:
    def load(name: str) -> tuple[str, str | None, Callable[[], bool]] | None:
        if name in overrides:
            return overrides[name], None, lambda: True
        path = DEFAULTS_DIR / name
        if name.replace(".html", "") in ReportKind.values or name == _MACROS:
            mtime = path.stat().st_mtime
            return (
                path.read_text(encoding="utf-8"),
                str(path),
                lambda: path.stat().st_mtime == mtime,
            )
        return None

    env = SandboxedEnvironment(
        loader=FunctionLoader(load), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )  # fmt: skip
    return env


def render_body(kind: str, context: Mapping[str, Any], override: str | None = None) -> str:
    """The report's HTML body. A broken council template is reported with its line number."""
    overrides = {f"{kind}.html": override} if override else {}
    env = _environment(overrides)
    try:
        return env.get_template(f"{kind}.html").render(**context)
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        where = f" on line {line}" if line else ""
        raise ApplicationError(f"The report template has an error{where}: {exc.message}") from None


def check_template(kind: str, body: str, context: Mapping[str, Any]) -> None:
    """Raise ApplicationError if ``body`` does not render with a real report context."""
    render_body(kind, context, override=body)


def document_html(
    *, title: str, body: str, css: str | None = None, css_href: str | None = None
) -> str:
    """The full document: language and title set, print CSS inline or linked."""
    style = (
        f'<link rel="stylesheet" href="{escape(css_href)}">' if css_href
        else f"<style>{css if css is not None else report_css()}</style>"
    )  # fmt: skip
    return (
        f'<!DOCTYPE html>\n<html lang="{LANGUAGE}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n{style}\n</head>\n<body>\n"
        f'<main class="report">\n{body}\n</main>\n</body>\n</html>\n'
    )


def render_pdf(html: str, *, uncompressed: bool = False) -> bytes:
    """Tagged PDF (PDF/UA-1): structure tags, document language and title from the HTML."""
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=uncompressed))


# DOCX --------------------------------------------------------------------------------------

_BLOCKS = {"p", "h1", "h2", "h3", "h4", "li", "caption", "figcaption", "th", "td"}
_DATA_URI = re.compile(r"^data:image/(png|jpeg);base64,(.+)$", re.S)


_TEXT_WIDTH_CM = 17.0  # A4 (21 cm) less 2 cm margins each side
_TABLE_FONT = Pt(9)
_LINE_CHARS = 95  # characters of 9pt Arial across the text width
_LONGEST_WORD = 18  # a longer word may wrap rather than widen its column further
_CELL_PADDING = 3  # characters taken by a cell's left and right margins and its borders


def column_widths_cm(rows: list[tuple[bool, list[tuple[bool, str]]]], columns: int) -> list[float]:
    """Word column widths sized to the text, like a browser's automatic table layout: each
    column gets at least its longest word, then the rest of the line is shared in proportion to
    how much more its longest cell needs; the widths fill the text width."""
    least = [1] * columns
    most = [1] * columns
    for _, cells in rows:
        for index, (_, text) in enumerate(cells):
            words = text.split()
            longest_word = max((len(word) for word in words), default=0)
            # Bold header text and capitals run wider than the average character.
            word = -(-min(longest_word, _LONGEST_WORD) * 13 // 10) + _CELL_PADDING
            least[index] = max(least[index], word)
            most[index] = max(most[index], len(text) + _CELL_PADDING)
    most = [max(m, n) for m, n in zip(most, least, strict=True)]
    if sum(most) <= _LINE_CHARS:
        chars = [float(m) for m in most]
    elif sum(least) >= _LINE_CHARS:
        chars = [float(n) for n in least]
    else:
        share = (_LINE_CHARS - sum(least)) / (sum(most) - sum(least))
        chars = [n + (m - n) * share for m, n in zip(most, least, strict=True)]
    total = sum(chars)
    return [_TEXT_WIDTH_CM * c / total for c in chars]


def _set_repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _set_cell_shading(cell: Any, colour: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    tc_pr.append(shading)


class _DocxBuilder(HTMLParser):
    """Turns the report's HTML into Word: headings, paragraphs, lists, tables with repeating
    header rows, and images with alt text. Classes and styles are ignored except bold/italic."""

    def __init__(self, document: Any) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = document
        self.paragraph: Any = None
        self.bold = 0
        self.italic = 0
        self.lists: list[str] = []
        self.table_rows: list[tuple[bool, list[tuple[bool, str]]]] | None = None
        self.in_head = False
        self.row: list[tuple[bool, str]] | None = None
        self.cell_text: list[str] | None = None
        self.cell_header = False
        self.caption: list[str] | None = None
        self.skip = 0

    def _new_paragraph(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3", "h4"):
            self.paragraph = self.doc.add_heading("", level=int(tag[1]))
        elif tag == "li":
            style = "List Number" if self.lists and self.lists[-1] == "ol" else "List Bullet"
            self.paragraph = self.doc.add_paragraph(style=style)
        elif tag in ("caption", "figcaption"):
            self.paragraph = self.doc.add_paragraph(style="Caption")
        else:
            self.paragraph = self.doc.add_paragraph()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("style", "script", "title"):
            self.skip += 1
            return
        if tag == "table":
            self.table_rows = []
            return
        if self.table_rows is not None:
            if tag == "thead":
                self.in_head = True
            elif tag == "tr":
                self.row = []
            elif tag in ("th", "td"):
                self.cell_text, self.cell_header = [], tag == "th"
            elif tag == "caption":
                self.caption = []
            elif tag == "br" and self.cell_text is not None:
                self.cell_text.append("\n")
            return
        if tag in ("ul", "ol"):
            self.lists.append(tag)
        elif tag in _BLOCKS:
            self._new_paragraph(tag)
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "br" and self.paragraph is not None:
            self.paragraph.add_run().add_break()
        elif tag == "img":
            self._image(attributes.get("src") or "", attributes.get("alt") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self.skip -= 1
            return
        if self.table_rows is not None:
            if tag == "thead":
                self.in_head = False
            elif tag in ("th", "td") and self.row is not None and self.cell_text is not None:
                self.row.append((self.cell_header, " ".join("".join(self.cell_text).split())))
                self.cell_text = None
            elif tag == "tr" and self.row is not None:
                self.table_rows.append((self.in_head, self.row))
                self.row = None
            elif tag == "caption" and self.caption is not None:
                text = " ".join("".join(self.caption).split())
                self.caption = None
                paragraph = self.doc.add_paragraph(style="Caption")
                paragraph.paragraph_format.keep_with_next = True
                paragraph.add_run(text).bold = True
            elif tag == "table":
                self._table(self.table_rows)
                self.table_rows = None
            return
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag in _BLOCKS:
            self.paragraph = None
        elif tag in ("strong", "b"):
            self.bold -= 1
        elif tag in ("em", "i"):
            self.italic -= 1

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.table_rows is not None:
            if self.caption is not None:
                self.caption.append(data)
            elif self.cell_text is not None:
                self.cell_text.append(data)
            return
        text = re.sub(r"\s+", " ", data)
        if not text.strip() and self.paragraph is None:
            return
        if self.paragraph is None:
            self.paragraph = self.doc.add_paragraph()
        run = self.paragraph.add_run(text)
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic) or None

    def _table(self, rows: list[tuple[bool, list[tuple[bool, str]]]]) -> None:
        if not rows:
            return
        width = max(len(cells) for _, cells in rows)
        widths = [Cm(w) for w in column_widths_cm(rows, width)]
        table = self.doc.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        for column, column_width in zip(table.columns, widths, strict=True):
            column.width = column_width
        for (is_head, cells), row in zip(rows, table.rows, strict=True):
            if is_head:
                _set_repeat_header(row)
            row_cells = row.cells
            for index, cell in enumerate(row_cells):
                cell.width = widths[index]
                if index >= len(cells):
                    continue
                is_header_cell, text = cells[index]
                run = cell.paragraphs[0].add_run(text)
                run.font.size = _TABLE_FONT
                if is_head or is_header_cell:
                    run.bold = True
                if is_head:
                    _set_cell_shading(cell, "F3F2F1")
        self.doc.add_paragraph()

    def _image(self, src: str, alt: str) -> None:
        match = _DATA_URI.match(src)
        if match is None:
            paragraph = self.doc.add_paragraph()
            paragraph.add_run(alt).italic = True
            return
        stream = io.BytesIO(base64.b64decode(match[2]))
        self.doc.add_picture(stream, width=Cm(16))
        inline = self.doc.inline_shapes[-1]._inline
        doc_pr = inline.docPr
        doc_pr.set("descr", alt)
        doc_pr.set("title", alt[:100])


def render_docx(*, title: str, body_html: str, subject: str = "", author: str = "") -> bytes:
    """An editable Word document from the report's HTML body."""
    document = Document()
    props = document.core_properties
    props.title, props.language, props.subject, props.author = title, LANGUAGE, subject, author
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    r_pr = styles.element.find(qn("w:docDefaults"))
    if r_pr is not None:
        run_defaults = r_pr.find(qn("w:rPrDefault"))
        if run_defaults is not None:
            props_el = run_defaults.find(qn("w:rPr"))
            if props_el is not None:
                lang = props_el.find(qn("w:lang"))
                if lang is None:
                    lang = OxmlElement("w:lang")
                    props_el.append(lang)
                lang.set(qn("w:val"), LANGUAGE)
    for level in range(1, 5):
        heading = styles[f"Heading {level}"]
        heading.font.name = "Arial"
        heading.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2)
    builder = _DocxBuilder(document)
    builder.feed(body_html)
    builder.close()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
