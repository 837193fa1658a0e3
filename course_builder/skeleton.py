"""`course-builder init`: a new course, from the sample workshop or the smallest course that checks clean."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from course_builder.resources import sample_course_dir

COURSE_YAML = """\
id: my-course
title: My course
subtitle: A workshop
version: "0.1"
language: en
audience: Team leaders
authors: [Your Name]
brand: brand.yaml
modules:
  - modules/01-welcome.md
outputs: [workbook, guide, slides, web, scorm12, scorm2004]
paper: a4
lms:
  mastery_score: 80
  completion: pages
workshop:
  start: "09:00"
"""

BRAND_YAML = """\
name: My Organisation
colors:
  primary: "#1F4E79"
  secondary: "#2C7766"
  accent: "#A65600"
  text: "#1A1A1A"
  background: "#FFFFFF"
footer: "My Organisation · For participants"
"""

MODULE = """\
---
id: welcome
title: Welcome
duration: 30
objectives:
  - Say what the workshop is for.
---

## Why we are here

Write your content in Markdown.

::: {.reflection minutes=3}
What do you hope to take away from today?
:::

::: {.activity title="Introductions" minutes=10 grouping=pairs}
Introduce yourself to a partner and share one hope for the day.

::: {.facilitator}
Keep time: five minutes each.
:::
:::

::: {.quiz}
{objective=1}
### This workshop is about leading people.
- [x] True
  > Yes.
- [ ] False
  > Look again at the title.
:::

::: {.takeaways}
- Markdown is all you need to write a course.
:::
"""


def write_minimal_course(folder: Path) -> None:
    (folder / "modules").mkdir(parents=True, exist_ok=True)
    (folder / "assets").mkdir(exist_ok=True)
    (folder / "course.yaml").write_text(COURSE_YAML, encoding="utf-8")
    (folder / "brand.yaml").write_text(BRAND_YAML, encoding="utf-8")
    (folder / "modules" / "01-welcome.md").write_text(MODULE, encoding="utf-8")


# ---------------------------------------------------------------- a new course of one's own

SAMPLE_ID = "leading-people"
SAMPLE_ORGANISATION = "Northwind Leadership Academy"
SAMPLE_BRAND_ID = "northwind"
SAMPLE_LOGO_FILES = ("assets/logo.svg", "assets/logo.png")
"""The sample's identity: `init` writes none of it into a new course, and `check` warns when a course keeps it."""


@dataclass(frozen=True)
class NewCourse:
    """What `course-builder init` asks for."""

    title: str
    organisation: str
    language: str = "en"


def course_id_for(folder: Path) -> str:
    """A fresh course id from the folder's name: 'Acme Leaders 2027' → 'acme-leaders-2027'."""
    ascii_name = unicodedata.normalize("NFKD", folder.name).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_name.lower())
    slug = "-".join(words)[:48].strip("-") or "my-course"
    return slug if slug[0].isalpha() else f"course-{slug}"


def start_course(folder: Path, new: NewCourse, *, minimal: bool) -> None:
    """Write a new course into an empty `folder`: the minimal skeleton or the sample workshop, made the author's own."""
    if minimal:
        write_minimal_course(folder)
    else:
        shutil.copytree(sample_course_dir(), folder, dirs_exist_ok=True)
        for logo in SAMPLE_LOGO_FILES:
            (folder / logo).unlink(missing_ok=True)
        (folder / "README.md").write_text(README.format(title=new.title, organisation=new.organisation), encoding="utf-8")
    settings = {"id": course_id_for(folder), "title": new.title, "version": "0.1", "language": new.language,
                "authors": [new.organisation]}
    set_top_level_keys(folder / "course.yaml", settings, remove=())
    footer = f"© {new.organisation} · {new.title}"
    brand = {"id": course_id_for(Path(new.organisation)), "name": new.organisation, "footer": footer}
    set_top_level_keys(folder / "brand.yaml", brand, remove=("logo",))
    for module in (folder / "modules").glob("*.md"):
        text = module.read_text(encoding="utf-8")
        module.write_text(text.replace(SAMPLE_ORGANISATION, new.organisation).replace("Northwind", new.organisation), "utf-8")


def set_top_level_keys(file: Path, values: dict[str, object], remove: tuple[str, ...]) -> None:
    """Set (or add) top-level `key: value` lines in a YAML file, keeping its comments and layout."""
    lines = file.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not any(line.startswith(f"{key}:") for key in remove)]
    for key, value in values.items():
        line = f"{key}: {json.dumps(value, ensure_ascii=False)}"  # JSON is YAML: quotes and colons stay safe
        at = next((i for i, old in enumerate(kept) if old.startswith(f"{key}:")), None)
        if at is None:
            kept.insert(0, line)
        else:
            kept[at] = line
    file.write_text("\n".join(kept) + "\n", encoding="utf-8")


README = """\
# {title}

A course by {organisation}, started from course-builder's sample workshop. Edit the modules in
`modules/`, the brand in `brand.yaml` (add your logo with `logo: assets/your-logo.svg`), then:

```
course-builder check .
course-builder build . --out build
```
"""
