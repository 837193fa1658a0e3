"""The registry of output targets: one module per format, found by name.

Everything else that needs to know the targets asks here: `course.yaml outputs:` is checked
against `available_targets()`, the CLI's `--format` choices come from it, the render order
from each target's `render_cost`, and each target's cache key from its `options_read`.

Built-in targets are imported only when used, so `--help` and a rebuild with nothing to do stay
fast. Third parties add targets through the `course_builder.targets` entry-point group; a name
that is already taken is refused.
"""

from __future__ import annotations

import difflib
import importlib
from functools import cache
from importlib.metadata import entry_points

from course_builder.targets.base import BuildOptions, Target

__all__ = ["BuildOptions", "Target", "available_targets", "closest_target", "get_target", "render_order", "target_class"]

BUILT_IN = {
    "workbook": "course_builder.targets.workbook:WorkbookTarget",
    "guide": "course_builder.targets.guide:GuideTarget",
    "handouts": "course_builder.targets.handouts:HandoutsTarget",
    "certificates": "course_builder.targets.certificates:CertificatesTarget",
    "slides": "course_builder.targets.slides:SlidesTarget",
    "web": "course_builder.targets.web:WebTarget",
    "scorm12": "course_builder.targets.scorm12:Scorm12Target",
    "scorm2004": "course_builder.targets.scorm2004:Scorm2004Target",
    "cmi5": "course_builder.targets.cmi5:Cmi5Target",
    "gift": "course_builder.targets.question_bank:GiftTarget",
    "moodle-xml": "course_builder.targets.question_bank:MoodleXmlTarget",
    "cc11": "course_builder.targets.common_cartridge:Cc11Target",
    "cc13": "course_builder.targets.common_cartridge:Cc13Target",
}
ENTRY_POINT_GROUP = "course_builder.targets"


def _registry() -> dict[str, str]:
    registry = dict(BUILT_IN)
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        if entry.name in registry and registry[entry.name] != entry.value:
            raise ValueError(f"two targets are called '{entry.name}': {registry[entry.name]} and {entry.value}")
        registry[entry.name] = entry.value
    return registry


def available_targets() -> list[str]:
    """Every target's name: the built-in ones, then those installed through the entry-point group."""
    return list(_registry())


def closest_target(name: str) -> str | None:
    """The target a mistyped name most likely meant (case ignored), for "did you mean" hints."""
    names = available_targets()
    exact = [n for n in names if n.lower() == name.lower()]
    return (exact or difflib.get_close_matches(name.lower(), names, n=1, cutoff=0.6) or [None])[0]


@cache
def _load(spec: str) -> type[Target]:
    module_name, _, class_name = spec.partition(":")
    return getattr(importlib.import_module(module_name), class_name)


def target_class(name: str) -> type[Target]:
    return _load(_registry()[name])


def get_target(name: str) -> Target:
    return target_class(name)()


def render_order(names: list[str]) -> list[str]:
    """The targets heaviest first, so parallel workers finish together (ties keep the order given)."""
    return sorted(names, key=lambda name: -target_class(name).render_cost)
