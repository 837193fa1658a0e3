"""docProps/thumbnail.jpeg: the title slide drawn with Pillow from the typed deck, as file browsers show the deck.

python-pptx keeps its template's blank thumbnail. Drawing the title slide ourselves (the design's
primary panel, the title, the subtitle lines and the logo, where the slide master puts them) needs
no presentation program, so every build has it.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont, features

from course_builder.contrast import contrast_ratio
from course_builder.deck import TITLE_SLIDE, Deck, Geometry, Para, TextMetrics
from course_builder.deck.measuring import LINE_HEIGHT, font_characters
from course_builder.markup import Run
from course_builder.model import Brand
from course_builder.writing import writing

WIDTH = 256  # pixels: PowerPoint's own thumbnails of a 16:9 deck are 256 × 144


def title_thumbnail(deck: Deck, brand: Brand, geometry: Geometry) -> bytes:
    """The first slide as a small JPEG: the default design's title slide (a template's own design is not drawn).

    Right to left (`deck.language`), the design is mirrored as on the slide and the text drawn
    right-aligned in the script's font, shaped and ordered by Pillow's complex text layout.
    """
    scale = WIDTH / deck.width
    rtl = writing(deck.language).rtl
    image = Image.new("RGB", (WIDTH, round(deck.height * scale)), brand.colors.background)
    draw = ImageDraw.Draw(image)
    title_frame = geometry.frame(TITLE_SLIDE, "title")
    panel_right = (title_frame.box.right + 40) * scale
    panel = (WIDTH - panel_right, 0, WIDTH, image.height) if rtl else (0, 0, panel_right, image.height)
    draw.rectangle(panel, fill=brand.colors.primary)
    ink = brand.colors.background if contrast_ratio(brand.colors.background, brand.colors.primary) >= 4.5 else brand.colors.text
    metrics = TextMetrics.for_brand(brand, deck.language)
    slide = deck.slides[0]
    title = Para((Run(slide.title),), slide.title_size, "heading", bold=True, spacing=0.9)
    lines = metrics.wrap(title, title_frame.inner.w)
    height = len(lines) * metrics.line_height(title)
    top = title_frame.inner.bottom - height  # the title sits on the bottom of its box, as on the slide
    start = deck.width - title_frame.inner.x if rtl else title_frame.inner.x
    _draw_lines(draw, metrics, title, lines, start, top, scale, ink, rtl)
    subtitle = slide.placeholders.get("subtitle")
    if subtitle is not None:
        y = subtitle.frame.inner.y
        inner = subtitle.frame.inner
        start = inner.right if rtl else inner.x  # the deck's frames are already mirrored
        for para in subtitle.paras:
            y += para.space_before if para is not subtitle.paras[0] else 0
            wrapped = metrics.wrap(para, inner.w)
            _draw_lines(draw, metrics, para, wrapped, start, y, scale, ink, rtl)
            y += len(wrapped) * metrics.line_height(para)
    if brand.logo_raster is not None:
        with Image.open(brand.logo_raster) as logo:
            space = (deck.width * scale - panel_right) * 0.7
            logo = logo.convert("RGBA")
            logo.thumbnail((round(space), round(space)))
            x = round(panel_right + (deck.width * scale - panel_right - logo.width) / 2)
            image.paste(logo, (WIDTH - x - logo.width if rtl else x, (image.height - logo.height) // 2), logo)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def _draw_lines(draw: ImageDraw.ImageDraw, metrics: TextMetrics, para: Para, lines, x: float, y: float, scale: float, ink: str,
                rtl: bool = False):
    """Each line from `x`: its left end, or its right end for right-to-left text."""
    size = max(round(para.size * scale), 4)
    for index, line in enumerate(lines):
        text = "".join(piece for _, piece in line).rstrip()
        bold = para.bold or any(run.bold for run, _ in line)
        file, _ = metrics.roles[para.font].file_for(bold, False)
        if rtl and metrics.script is not None and any(ord(c) not in font_characters(file) for c in text):
            file, _ = metrics.script.file_for(bold, False)  # a line in the script (the brand's font lacks it)
        top = (y + index * metrics.line_height(para) + (LINE_HEIGHT * para.spacing - 1) * para.size / 2) * scale
        if rtl and features.check("raqm"):
            font = ImageFont.truetype(str(file), size, layout_engine=ImageFont.Layout.RAQM)
            draw.text((x * scale, top), text, font=font, fill=ink, direction="rtl", anchor="ra")
        else:
            draw.text((x * scale, top), text, font=ImageFont.truetype(str(file), size), fill=ink)
