"""docProps/thumbnail.jpeg: the title slide drawn with Pillow from the typed deck, as file browsers show the deck.

python-pptx keeps its template's blank thumbnail. Drawing the title slide ourselves (the design's
primary panel, the title, the subtitle lines and the logo, where the slide master puts them) needs
no presentation program, so every build has it.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from course_builder.contrast import contrast_ratio
from course_builder.deck import TITLE_SLIDE, Deck, Geometry, Para, TextMetrics
from course_builder.deck.measuring import LINE_HEIGHT
from course_builder.markup import Run
from course_builder.model import Brand

WIDTH = 256  # pixels: PowerPoint's own thumbnails of a 16:9 deck are 256 × 144


def title_thumbnail(deck: Deck, brand: Brand, geometry: Geometry) -> bytes:
    """The first slide as a small JPEG: the default design's title slide (a template's own design is not drawn)."""
    scale = WIDTH / deck.width
    image = Image.new("RGB", (WIDTH, round(deck.height * scale)), brand.colors.background)
    draw = ImageDraw.Draw(image)
    title_frame = geometry.frame(TITLE_SLIDE, "title")
    panel_right = (title_frame.box.right + 40) * scale
    draw.rectangle((0, 0, panel_right, image.height), fill=brand.colors.primary)
    ink = brand.colors.background if contrast_ratio(brand.colors.background, brand.colors.primary) >= 4.5 else brand.colors.text
    metrics = TextMetrics.for_brand(brand)
    slide = deck.slides[0]
    title = Para((Run(slide.title),), slide.title_size, "heading", bold=True, spacing=0.9)
    lines = metrics.wrap(title, title_frame.inner.w)
    height = len(lines) * metrics.line_height(title)
    top = title_frame.inner.bottom - height  # the title sits on the bottom of its box, as on the slide
    _draw_lines(draw, metrics, title, lines, title_frame.inner.x, top, scale, ink)
    subtitle = slide.placeholders.get("subtitle")
    if subtitle is not None:
        y = subtitle.frame.inner.y
        for para in subtitle.paras:
            y += para.space_before if para is not subtitle.paras[0] else 0
            wrapped = metrics.wrap(para, subtitle.frame.inner.w)
            _draw_lines(draw, metrics, para, wrapped, subtitle.frame.inner.x, y, scale, ink)
            y += len(wrapped) * metrics.line_height(para)
    if brand.logo_raster is not None:
        with Image.open(brand.logo_raster) as logo:
            space = (deck.width * scale - panel_right) * 0.7
            logo = logo.convert("RGBA")
            logo.thumbnail((round(space), round(space)))
            x = round(panel_right + (deck.width * scale - panel_right - logo.width) / 2)
            image.paste(logo, (x, (image.height - logo.height) // 2), logo)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def _draw_lines(draw: ImageDraw.ImageDraw, metrics: TextMetrics, para: Para, lines, x: float, y: float, scale: float, ink: str):
    size = max(round(para.size * scale), 4)
    for index, line in enumerate(lines):
        text = "".join(piece for _, piece in line).rstrip()
        bold = para.bold or any(run.bold for run, _ in line)
        file, _ = metrics.roles[para.font].file_for(bold, False)
        font = ImageFont.truetype(str(file), size)
        top = (y + index * metrics.line_height(para) + (LINE_HEIGHT * para.spacing - 1) * para.size / 2) * scale
        draw.text((x * scale, top), text, font=font, fill=ink)
