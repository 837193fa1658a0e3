"""Synthetic but realistic courses of any size, for benchmarks: deterministic text, every block type, images."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from PIL import Image, ImageDraw

WORDS = tuple(
    "team leader people trust goal feedback coaching question listen purpose plan growth choice need "
    "meeting project customer change skill role support clarity progress habit conversation decision "
    "value energy focus agree learn practice result priority ownership workload career strength".split(" ")
)


def sentence(rng: random.Random, words: int = 14) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: int = 4) -> str:
    return " ".join(sentence(rng, rng.randint(9, 18)) for _ in range(sentences))


def module_text(index: int, rng: random.Random) -> str:
    n = index + 1
    options = "\n".join(f"- [{'x' if i == 1 else ' '}] {sentence(rng, 4)}\n  > {sentence(rng, 8)}" for i in range(4))
    steps = "\n".join(
        f"{i}. **{sentence(rng, 3)[:-1]}.** {sentence(rng)}\n   - {sentence(rng, 7)}\n   - {sentence(rng, 6)}"
        for i in range(1, 6)
    )
    needs = "\n\n".join(
        f"### {sentence(rng, 2)[:-1]}\n{sentence(rng)}\n\n"
        f"Signs:\n- {sentence(rng, 8)}\n- {sentence(rng, 7)}\n\nActions:\n- {sentence(rng, 8)}"
        for _ in range(5)
    )
    questions = "\n".join(f"- {sentence(rng, 6)[:-1]}? => {sentence(rng, 8)[:-1]}?" for _ in range(4))
    return f"""---
id: module-{n:03d}
title: Module {n} {sentence(rng, 3)[:-1]}
duration: 60
objectives:
  - {sentence(rng, 8)}
  - {sentence(rng, 8)}
---

{paragraph(rng)}

## {sentence(rng, 4)[:-1]}

{paragraph(rng)}

{paragraph(rng, 3)}

![{sentence(rng, 6)[:-1]}](../assets/figure-{n % 4}.png "{sentence(rng, 5)[:-1]}")

::: {{.quote}}
{sentence(rng, 12)}

-- {sentence(rng, 2)[:-1]}
:::

## {sentence(rng, 4)[:-1]}

{paragraph(rng)}

::: {{.steps title="{sentence(rng, 4)[:-1]}"}}
{steps}
:::

::: {{.needs title="{sentence(rng, 3)[:-1]}"}}
{needs}
:::

## {sentence(rng, 4)[:-1]}

{paragraph(rng)}

::: {{.questions title="{sentence(rng, 3)[:-1]}"}}
{questions}
:::

::: {{.case title="{sentence(rng, 3)[:-1]}"}}
{paragraph(rng, 3)}
:::

::: {{.reflection minutes=5}}
{sentence(rng, 14)}
:::

::: {{.activity title="{sentence(rng, 3)[:-1]}" minutes=20 grouping=pairs materials="Flip chart; Markers; Cards"}}
{paragraph(rng, 3)}

::: {{.facilitator}}
{paragraph(rng, 2)}
:::

::: {{.debrief}}
- {sentence(rng, 7)[:-1]}?
- {sentence(rng, 7)[:-1]}?
:::
:::

::: {{.facilitator}}
{paragraph(rng, 2)}
:::

::: {{.quiz}}
{{objective=1}}
### {sentence(rng, 8)[:-1]}?
{options}

{{objective=2}}
### {sentence(rng, 8)[:-1]}?
- [x] True
  > {sentence(rng, 6)}
- [ ] False
  > {sentence(rng, 6)}
:::

::: {{.takeaways}}
- {sentence(rng, 9)}
- {sentence(rng, 9)}
- {sentence(rng, 9)}
:::
"""


def write_course(folder: Path, modules: int, seed: int = 7) -> Path:
    """Write a course of `modules` modules into `folder` (replaced if it exists)."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "modules").mkdir(parents=True)
    (folder / "assets").mkdir()
    rng = random.Random(seed)
    for i in range(4):
        image = Image.new("RGB", (1200, 675), (235, 240, 245))
        draw = ImageDraw.Draw(image)
        for j in range(6):
            draw.rectangle([80 + j * 170, 600 - (j + i) * 60 % 450, 200 + j * 170, 600], fill=(31, 78, 121))
        image.save(folder / "assets" / f"figure-{i}.png", optimize=True)
    names = []
    for index in range(modules):
        name = f"modules/{index + 1:03d}.md"
        (folder / name).write_text(module_text(index, rng), encoding="utf-8")
        names.append(name)
    module_list = "\n".join(f"  - {n}" for n in names)
    (folder / "course.yaml").write_text(
        f"""id: bench-{modules}
title: Benchmark course with {modules} modules
subtitle: Synthetic content for measuring build speed
language: en
authors: [Benchmark]
brand: brand.yaml
modules:
{module_list}
workshop:
  start: "09:00"
""",
        encoding="utf-8",
    )
    (folder / "brand.yaml").write_text(
        'name: Benchmark Org\ncolors: {primary: "#1F4E79", secondary: "#2E7D6B", accent: "#B35C00"}\nfooter: Benchmark\n',
        encoding="utf-8",
    )
    return folder
