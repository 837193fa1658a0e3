"""The deck as LibreOffice Impress draws it: converted to PDF, so tests can read where each glyph landed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from course_builder.resources import data_dir


def rendered_as_pdf(pptx: Path, work: Path) -> Path:
    """`pptx` converted to `work/<name>.pdf`, with the fonts the deck was measured with installed.

    As docs/slides.md asks of a presenter's computer: here for LibreOffice only, through a fontconfig
    file that adds the bundled fonts to the system's. Skips the test when Impress is not installed.
    """
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice Impress is not installed")
    fonts = work / "fonts.conf"
    fonts.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{data_dir() / 'fonts'}</dir><cachedir>{work / 'font-cache'}</cachedir></fontconfig>"
    )
    subprocess.run(
        [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(work), str(pptx)],
        check=True, capture_output=True, timeout=600, env={**os.environ, "FONTCONFIG_FILE": str(fonts)},
    )
    return work / f"{pptx.stem}.pdf"
