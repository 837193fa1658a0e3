"""Write the text outlines of the sample deck, for the default brand and the coach's brand, into tests/golden/.

Run after a change to the deck, read the diff (`git diff tests/golden`) slide by slide, and
commit it only when every change is one you meant:

    PYTHONPATH=. python tests/update_deck_outlines.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from deck_facts import BRANDS, GOLDEN, brand_named, build_slides, golden_outline, outline

from course_builder.load import load_course

SAMPLE = Path(__file__).resolve().parent.parent / "content"


def main() -> None:
    course = load_course(SAMPLE).course
    GOLDEN.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        for name in BRANDS:
            path = build_slides(course, brand_named(name, course.brand), Path(work) / name)
            golden_outline(name).write_text(outline(path), encoding="utf-8")
            print(f"wrote {golden_outline(name)}")


if __name__ == "__main__":
    main()
