"""An invitation as a worker hands it over: the deep link as a QR code (inline SVG for the
page, PNG to download) and a one-page A4 PDF in large plain Korean.

The PDF embeds NanumGothic (``fonts-nanum``, installed by ``make setup``): without a
Korean font the page would print empty boxes, so a missing font is refused, not guessed.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import segno
from fpdf import FPDF

from staff import messages

FONT_DIR = Path("/usr/share/fonts/truetype/nanum")
FONT = FONT_DIR / "NanumGothic.ttf"
FONT_BOLD = FONT_DIR / "NanumGothicBold.ttf"
PNG_SCALE = 10
"""Pixels a module: a version-5 code (a t.me link with its token) is 450 px with its
border, sharp on paper and on a screen."""
BORDER = 4
SEOUL = ZoneInfo("Asia/Seoul")
# fontTools says, for every PDF, which TrueType hinting tables it leaves out of the subset.
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)


class PrintFontMissing(Exception):
    """NanumGothic is not installed; the message says how to install it."""


@dataclass(frozen=True)
class Printout:
    """What the printed invitation says: whom it is for, the link, until when, and the
    동 centre that hands it over."""

    name: str
    link: str
    expires_at: dt.datetime
    centre: str


def qr_code(link: str) -> segno.QRCode:
    # M: a crumpled or smudged printout still scans.
    return segno.make(link, error="m", micro=False)


def qr_png(link: str) -> bytes:
    out = io.BytesIO()
    qr_code(link).save(out, kind="png", scale=PNG_SCALE, border=BORDER)
    return out.getvalue()


def qr_png_size(link: str) -> int:
    """The PNG's width (and height) in pixels."""
    width, _ = qr_code(link).symbol_size(scale=PNG_SCALE, border=BORDER)
    return int(width)


def qr_svg(link: str) -> str:
    """The code as inline SVG markup (attributes only, no style: the page's CSP holds)."""
    return str(qr_code(link).svg_inline(scale=6, border=BORDER, title=messages.QR_ALT))


def invitation_pdf(printout: Printout) -> bytes:
    """The one-page A4 handout."""
    if not FONT.is_file() or not FONT_BOLD.is_file():
        raise PrintFontMissing(messages.PRINT_FONT_MISSING)
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_title(messages.PRINT_TITLE)
    pdf.add_font("Nanum", "", str(FONT))
    pdf.add_font("Nanum", "B", str(FONT_BOLD))
    pdf.add_page()
    pdf.set_margins(20, 18, 20)
    pdf.set_xy(20, 18)

    pdf.set_font("Nanum", "B", 26)
    line(pdf, 13, messages.PRINT_TITLE, align="C")
    pdf.ln(3)
    pdf.set_font("Nanum", "", 18)
    line(pdf, 10, messages.print_greeting(printout.name), align="C")
    pdf.ln(4)

    size = 80
    pdf.image(io.BytesIO(qr_png(printout.link)), x=(pdf.w - size) / 2, y=pdf.get_y(), w=size)
    pdf.set_y(pdf.get_y() + size + 4)

    pdf.set_font("Nanum", "", 17)
    for number, step in enumerate(messages.PRINT_STEPS, start=1):
        line(pdf, 9.5, f"{number}. {step}")
        pdf.ln(1.5)
    pdf.ln(2)
    pdf.set_font("Nanum", "", 12)
    line(pdf, 7, messages.PRINT_LINK_INTRO)
    pdf.set_text_color(11, 79, 156)
    line(pdf, 7, printout.link, link=printout.link)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(3)
    until = printout.expires_at.astimezone(SEOUL)
    pdf.set_font("Nanum", "", 14)
    line(pdf, 8, messages.print_validity(until))
    pdf.set_y(pdf.h - 40)
    pdf.set_font("Nanum", "B", 18)
    line(pdf, 10, printout.centre, align="C")
    pdf.set_font("Nanum", "", 13)
    line(pdf, 8, messages.PRINT_FOOTER, align="C")
    return bytes(pdf.output())


def line(pdf: FPDF, height: float, text: str, *, align: str = "L", link: str = "") -> None:
    """A paragraph across the page (left-aligned: Korean justified by stretching spaces
    reads badly), the next one starting below it at the left margin."""
    pdf.multi_cell(0, height, text, align=align, link=link, new_x="LMARGIN", new_y="NEXT")


def centre_name(area: str) -> str:
    """The 동 centre of an area key ("서울특별시 강서구 화곡1동" → "화곡1동 행정복지센터");
    a district's own office for a district key."""
    last = area.split()[-1] if area.strip() else area
    return messages.centre_of(last)
