"""Page layout shared by every document: A4 pages, styles, tables, signature lines, seal area, QR code.

Typography: body text in the Song-style font at 10.5 pt (五号), headings in the Hei-style font, CJK line
breaking (reportlab's ``wordWrap="CJK"``, which also keeps closing punctuation off the start of a
line), every text set per character in the first bundled font that has the glyph
(:func:`printing.fonts.markup`).

Several documents can share one PDF: each gets its own page template, and page numbers
(``第 1 页／共 2 页``) count within each document.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from printing.fonts import BODY, BODY_CHAIN, HEADING, HEADING_CHAIN, font_runs, markup, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X: Final = 18 * mm
MARGIN_TOP: Final = 20 * mm
MARGIN_BOTTOM: Final = 18 * mm
CONTENT_WIDTH: Final = PAGE_WIDTH - 2 * MARGIN_X

CHECKED: Final = "■"
UNCHECKED: Final = "□"
BLANK: Final = "—"
LINE: Final = "_" * 14
"""A line to write on (whitespace collapses in paragraphs, so blanks are drawn as underscores)."""
DATE_BLANK: Final = "_____年___月___日"
DATE_LINE: Final = "日期：          年       月       日"
"""A date to fill in by hand, for table cells drawn as plain strings (spaces kept)."""
GRID: Final = colors.HexColor("#333333")
SHADE: Final = colors.HexColor("#EEEEEE")
GREY: Final = colors.HexColor("#555555")


def _style(name: str, font: str, size: float, leading: float, **kw: Any) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, wordWrap="CJK", **kw)


OFFICE = _style("office", HEADING.name, 12, 16, alignment=TA_CENTER)
TITLE = _style("title", HEADING.name, 18, 24, alignment=TA_CENTER, spaceBefore=1 * mm, spaceAfter=2 * mm)
SUBTITLE = _style("subtitle", BODY.name, 10, 14, alignment=TA_CENTER, textColor=GREY, spaceAfter=2 * mm)
SECTION = _style("section", HEADING.name, 10.5, 14)
BODY_TEXT = _style("body", BODY.name, 10.5, 17, firstLineIndent=21, spaceAfter=1.5 * mm)
PLAIN = _style("plain", BODY.name, 10.5, 16)
CELL = _style("cell", BODY.name, 9.5, 13)
CELL_CENTER = _style("cell_center", BODY.name, 9.5, 13, alignment=TA_CENTER)
CELL_RIGHT = _style("cell_right", BODY.name, 9.5, 13, alignment=TA_RIGHT)
LABEL = _style("label", HEADING.name, 9, 12.5)
LABEL_CENTER = _style("label_center", HEADING.name, 9, 12.5, alignment=TA_CENTER)
SMALL = _style("small", BODY.name, 8, 11, textColor=GREY)
NOTE_BOX = _style("note_box", HEADING.name, 10, 15, alignment=TA_LEFT, textColor=colors.HexColor("#8B0000"))


def para(text: str, style: ParagraphStyle = CELL) -> Paragraph:
    """A paragraph of plain text, each character in the first bundled font that has it."""
    chain = HEADING_CHAIN if style.fontName == HEADING.name else BODY_CHAIN
    return Paragraph(markup(text, chain), style)


def cn_date(day: date | None) -> str:
    """``2025年11月20日``; a blank to fill in by hand for ``None``."""
    if day is None:
        return DATE_BLANK
    return f"{day.year}年{day.month}月{day.day}日"


def check(options: Sequence[str], selected: Sequence[str]) -> str:
    """Tick boxes as on the paper form: ``■转移 □变更``."""
    return "　".join(f"{CHECKED if o in selected else UNCHECKED}{o}" for o in options)


def or_blank(value: object) -> str:
    """The value as text, or a dash when empty."""
    if value is None:
        return BLANK
    text = str(value).strip()
    return text or BLANK


# ------------------------------------------------------------------------------------ tables
def _base_style(extra: Sequence[tuple[Any, ...]] = ()) -> TableStyle:
    return TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.6, GRID),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            *extra,
        ]
    )


Pair = tuple[str, str]


@dataclass(frozen=True)
class Heading:
    """A shaded row spanning the whole form table."""

    text: str


FormRow = Heading | tuple[Pair] | tuple[Pair, Pair]

FORM_COLUMNS: Final = (30 * mm, CONTENT_WIDTH / 2 - 30 * mm, 30 * mm, CONTENT_WIDTH / 2 - 30 * mm)


def form_table(rows: Sequence[FormRow]) -> Table:
    """A label/value grid in four columns, as on the 申请书.

    Each row is a :class:`Heading` (shaded, full width), one ``(label, value)`` pair (the value spans
    three columns) or two pairs side by side.
    """
    data: list[list[Any]] = []
    commands: list[tuple[Any, ...]] = []
    for r, row in enumerate(rows):
        if isinstance(row, Heading):
            data.append([para(row.text, SECTION), "", "", ""])
            commands += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), SHADE)]
        elif len(row) == 1:
            ((label, value),) = row
            data.append([para(label, LABEL), para(value), "", ""])
            commands.append(("SPAN", (1, r), (-1, r)))
        else:
            (l1, v1), (l2, v2) = row
            data.append([para(l1, LABEL), para(v1), para(l2, LABEL), para(v2)])
    table = Table(data, colWidths=list(FORM_COLUMNS), style=_base_style(commands))
    return table


def grid_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str | Flowable]],
    widths: Sequence[float],
    *,
    align: Sequence[str] = (),
    notes: Sequence[str | None] = (),
) -> Table:
    """A table with a shaded header row that repeats on every page.

    Args:
        header: column titles.
        rows: cells (text, or a ready flowable).
        widths: column widths in points (fractions of :data:`CONTENT_WIDTH` when all are ≤ 1).
        align: per column ``L``, ``C`` or ``R`` (default ``L``).
        notes: per row an optional small-print line spanning the table under the row.
    """
    if all(w <= 1 for w in widths):
        widths = [w * CONTENT_WIDTH for w in widths]
    styles = {"L": CELL, "C": CELL_CENTER, "R": CELL_RIGHT}
    data: list[list[Any]] = [[para(h, LABEL_CENTER) for h in header]]
    commands: list[tuple[Any, ...]] = [("BACKGROUND", (0, 0), (-1, 0), SHADE)]
    for i, row in enumerate(rows):
        cells: list[Any] = []
        for c, cell in enumerate(row):
            style = styles[align[c] if c < len(align) else "L"]
            cells.append(para(cell, style) if isinstance(cell, str) else cell)
        data.append(cells)
        note = notes[i] if i < len(notes) else None
        if note:
            r = len(data)
            data.append([para(note, SMALL)] + [""] * (len(header) - 1))
            commands += [("SPAN", (0, r), (-1, r)), ("LINEABOVE", (0, r), (-1, r), 0.3, colors.lightgrey)]
    return Table(data, colWidths=list(widths), repeatRows=1, style=_base_style(commands))


def signature_lines(labels: Sequence[str], *, names: Sequence[str] = ()) -> Table:
    """Signature lines, one per label: ``label：`` a line to sign on (or a printed name), and a date.

    The lines are cell borders and the date blanks plain spaces (paragraphs would collapse them).
    """
    rows: list[list[Any]] = []
    for i, label in enumerate(labels):
        name = names[i] if i < len(names) else ""
        rows.append([para(f"{label}：", PLAIN), para(name, PLAIN), "", DATE_LINE])
    widths = [48 * mm, 62 * mm, 8 * mm, CONTENT_WIDTH - 118 * mm]
    return Table(
        rows,
        colWidths=widths,
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("TOPPADDING", (0, 0), (-1, -1), 12),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("ALIGN", (0, 0), (0, -1), "RIGHT"),
                ("LINEBELOW", (1, 0), (1, -1), 0.6, GRID),
                ("FONT", (3, 0), (3, -1), BODY.name, 10.5),
            ]
        ),
    )


class SealArea(Flowable):
    """The registry seal area: the wording and date, with a dashed circle where the seal goes."""

    def __init__(self, wording: str, day: date | None, width: float = 70 * mm) -> None:
        super().__init__()
        self.wording = wording
        self.day = day
        self.width = width
        self.height = 40 * mm
        self._lines = [para(wording, _style("seal", BODY.name, 10.5, 15, alignment=TA_CENTER))]
        self._lines.append(para(cn_date(day), _style("seal_date", BODY.name, 10.5, 15, alignment=TA_CENTER)))

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """The area's size (fixed)."""
        return avail_width, self.height

    def draw(self) -> None:
        """Draw the circle and the text, right-aligned in the frame."""
        canv = self.canv
        left = self._frame_width() - self.width
        canv.saveState()
        canv.setStrokeColor(colors.HexColor("#999999"))
        canv.setDash(3, 2)
        centre_y = self.height / 2
        canv.circle(left + self.width / 2, centre_y, 19 * mm, stroke=1, fill=0)
        canv.restoreState()
        sizes = [line.wrap(self.width, self.height)[1] for line in self._lines]
        y = centre_y + sum(sizes) / 2
        for line, h in zip(self._lines, sizes, strict=True):
            y -= h
            line.drawOn(canv, left, y)

    def _frame_width(self) -> float:
        return CONTENT_WIDTH


def qr_code(payload: str, size: float = 30 * mm) -> Drawing:
    """A QR code (error correction M) of ``payload`` as a drawing ``size`` wide."""
    widget = QrCodeWidget(payload, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


# ------------------------------------------------------------------------------------ pages
@dataclass(frozen=True)
class PageInfo:
    """What the header and footer of one document's pages show.

    Attributes:
        key: the document id (one page template per document).
        title: the document title (header, right).
        office_name: header, left.
        footer_left: footer, left (office code and window).
        case_number: footer, right.
    """

    key: str
    title: str
    office_name: str
    footer_left: str
    case_number: str


class _NumberedCanvas(Canvas):
    """A canvas that numbers the pages of each document once all pages are known."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._saved: list[dict[str, Any]] = []
        self.page_key = ""

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        """Keep the page for numbering instead of emitting it now."""
        self._saved.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]

    def save(self) -> None:
        """Draw ``第 n 页／共 m 页`` on every page, counting within each document, then write."""
        keys = [state["page_key"] for state in self._saved]
        for index, state in enumerate(self._saved):
            start = index
            while start > 0 and keys[start - 1] == keys[index]:
                start -= 1
            end = index
            while end + 1 < len(keys) and keys[end + 1] == keys[index]:
                end += 1
            self.__dict__.update(state)
            self.setFont(BODY.name, 8.5)
            self.setFillColor(GREY)
            self.drawCentredString(
                PAGE_WIDTH / 2, 10 * mm, f"第 {index - start + 1} 页／共 {end - start + 1} 页"
            )
            super().showPage()
        super().save()


def _page_decorator(info: PageInfo) -> Callable[[Canvas, BaseDocTemplate], None]:
    def decorate(canv: Canvas, doc: BaseDocTemplate) -> None:
        setattr(canv, "page_key", info.key)  # noqa: B010 - attribute of our canvas subclass
        canv.saveState()
        canv.setFillColor(GREY)
        canv.setStrokeColor(GREY)
        top = PAGE_HEIGHT - 12 * mm
        _draw_runs(canv, MARGIN_X, top, info.office_name, 8.5)
        _draw_runs(canv, PAGE_WIDTH - MARGIN_X, top, info.title, 8.5, right=True)
        canv.setLineWidth(0.4)
        canv.line(MARGIN_X, top - 2 * mm, PAGE_WIDTH - MARGIN_X, top - 2 * mm)
        canv.line(MARGIN_X, 14 * mm, PAGE_WIDTH - MARGIN_X, 14 * mm)
        _draw_runs(canv, MARGIN_X, 10 * mm, info.footer_left, 8.5)
        _draw_runs(canv, PAGE_WIDTH - MARGIN_X, 10 * mm, info.case_number, 8.5, right=True)
        canv.restoreState()

    return decorate


def _draw_runs(canv: Canvas, x: float, y: float, text: str, size: float, *, right: bool = False) -> None:
    runs = font_runs(text, BODY_CHAIN)
    if right:
        x -= sum(stringWidth(t, f, size) for f, t in runs)
    for font, run in runs:
        canv.setFont(font, size)
        canv.drawString(x, y, run)
        x += stringWidth(run, font, size)


@dataclass(frozen=True)
class Part:
    """One document of a PDF: its page furniture and its content."""

    info: PageInfo
    story: list[Flowable]


def build_pdf(parts: Sequence[Part], *, title: str, author: str) -> bytes:
    """Lay out one or more documents into one A4 PDF, each starting on a new page.

    Args:
        parts: the documents in order.
        title: the PDF's title metadata.
        author: the PDF's author metadata (the office).

    Returns:
        The PDF bytes (reproducible: no timestamps or random ids).
    """
    register_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=author,
        creator="一窗受理 Yichuang",
        invariant=True,
    )
    frame_args = (MARGIN_X, MARGIN_BOTTOM, CONTENT_WIDTH, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM)
    doc.addPageTemplates(
        [
            PageTemplate(
                id=part.info.key,
                frames=[Frame(*frame_args, id=f"f-{part.info.key}")],
                onPage=_page_decorator(part.info),
            )
            for part in parts
        ]
    )
    story: list[Flowable] = []
    for i, part in enumerate(parts):
        if i:
            story += [NextPageTemplate(part.info.key), PageBreak()]
        story += part.story
    doc.build(story, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()


def two_sided(left: str, right: str) -> Table:
    """One line with text on the left and on the right (e.g. case number and business type)."""
    return Table(
        [[para(left, CELL), para(right, CELL_RIGHT)]],
        colWidths=[CONTENT_WIDTH / 2] * 2,
        style=TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]),
    )


def spacer(height_mm: float) -> Spacer:
    """Vertical space in millimetres."""
    return Spacer(1, height_mm * mm)
