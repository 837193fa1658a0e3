"""`course-builder init --minimal`: the smallest course that checks clean, to grow from."""

from __future__ import annotations

from pathlib import Path

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
  secondary: "#2E7D6B"
  accent: "#B35C00"
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
