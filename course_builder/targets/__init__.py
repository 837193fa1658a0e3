"""The registry of output targets: one module per format, found by name.

Built-in targets are imported only when used, so `--help` and `check` stay fast. Third
parties add targets through the `course_builder.targets` entry-point group; a name that is
already taken is refused.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points

from course_builder.targets.base import BuildOptions, Target

__all__ = ["BuildOptions", "Target", "available_targets", "get_target"]

BUILT_IN = {
    "workbook": "course_builder.targets.workbook:WorkbookTarget",
    "guide": "course_builder.targets.guide:GuideTarget",
    "slides": "course_builder.targets.slides:SlidesTarget",
    "web": "course_builder.targets.web:WebTarget",
    "scorm12": "course_builder.targets.scorm12:Scorm12Target",
    "scorm2004": "course_builder.targets.scorm2004:Scorm2004Target",
    "cmi5": "course_builder.targets.cmi5:Cmi5Target",
    "gift": "course_builder.targets.question_bank:GiftTarget",
    "moodle-xml": "course_builder.targets.question_bank:MoodleXmlTarget",
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
    return list(_registry())


def get_target(name: str) -> Target:
    spec = _registry()[name]
    module_name, _, class_name = spec.partition(":")
    target_class = getattr(importlib.import_module(module_name), class_name)
    return target_class()
