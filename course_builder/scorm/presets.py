"""LMS presets: what `lms: preset:` in course.yaml decides for each LMS, in one table.

A preset chooses the package formats a build makes when course.yaml lists no `outputs:`, the SCO
layout, and the LMS's known quirks that the manifest writer and the package targets work around.
It holds defaults only, and the precedence is always the same:

1. the command line (`--format`, `--sco`) for one build;
2. what course.yaml says explicitly (`outputs:`, `lms: sco:`, `lms: completion:`...);
3. the preset's choice;
4. course-builder's own default.

`LmsSettings` (course_builder/model.py) applies the preset's SCO layout when the course does not
set one, `course_builder.build` asks `formats_for` which formats to build, and the SCORM and cmi5
targets and `scorm.manifest` read the quirks here. Nothing else decides anything about an LMS.

Where a decision rests on an LMS's behaviour that is not run in this project's tests, docs/lms.md
says it is taken from that vendor's documentation.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

LMS_FORMATS = ("scorm12", "scorm2004", "cmi5", "gift", "moodle-xml", "cc11", "cc13")
"""The formats made for an LMS; a preset picks among these and leaves every other output alone."""


@dataclass(frozen=True)
class LmsPreset:
    name: str
    """As written in course.yaml: `lms: preset: moodle`."""
    title: str
    """The LMS as administrators know it, for messages and docs."""
    formats: tuple[str, ...]
    """The package formats this LMS imports, the one to upload first."""
    sco: Literal["per-module", "single"]
    """The SCO (or AU) layout that works best there."""
    plays_first_sco_only: bool = False
    """The LMS launches only the package's first SCO: a package with one SCO per module loses the rest."""
    write_isvisible: bool = False
    """The LMS lists an item only when its manifest says `isvisible="true"` (SCORM's default, left unwritten elsewhere)."""
    score_overrides_status_12: bool = False
    """In SCORM 1.2 the LMS turns a score at or above adlcp:masteryscore into "passed" whatever status the SCO
    reported (Moodle's "Mastery score overrides status", on by default)."""

    def warnings(self, format_name: str, sco_mode: str, modules: int) -> list[tuple[str, str]]:
        """(message, fix) for each way building `format_name` with `sco_mode` goes against this LMS."""
        found = []
        if format_name not in self.formats:
            taken = " or ".join(FORMAT_NAMES[name] for name in self.formats if name in PACKAGE_FORMATS)
            found.append((f"the course's LMS preset is '{self.name}', and {self.title} takes {taken}, "
                          f"not {FORMAT_NAMES[format_name]}",
                          f"upload the {FORMAT_NAMES[self.formats[0]]} package there, or change 'lms: preset:'"))
        if self.plays_first_sco_only and sco_mode == "per-module" and modules > 1:
            found.append((f"{self.title} launches only the first SCO of a package, so learners would see only the "
                          "first module of this one", "build one SCO for the course: remove 'sco: per-module' (and --sco)"))
        return found


PACKAGE_FORMATS = ("scorm12", "scorm2004", "cmi5")
"""The formats a learner plays in the LMS (the question banks are imported into the LMS's own quizzes)."""
FORMAT_NAMES = {"scorm12": "SCORM 1.2", "scorm2004": "SCORM 2004", "cmi5": "cmi5"}

PRESETS: dict[str, LmsPreset] = {preset.name: preset for preset in (
    # Moodle plays SCORM 1.2 fully and 2004 only in part; its question bank imports GIFT and Moodle XML,
    # and its course restore Common Cartridge 1.0 and 1.1 (native pages and quizzes).
    LmsPreset("moodle", "Moodle", ("scorm12", "gift", "moodle-xml", "cc11"), "per-module", score_overrides_status_12=True),
    # One SCO gives Canvas one grade for the assignment the package becomes; its course import takes
    # Common Cartridge up to 1.3, for native pages and quizzes instead.
    LmsPreset("canvas", "Canvas", ("scorm2004", "cc13"), "single"),
    LmsPreset("cornerstone", "Cornerstone", ("scorm2004",), "per-module"),
    LmsPreset("successfactors", "SAP SuccessFactors Learning", ("scorm2004",), "per-module"),
    # TalentLMS documents cmi5 and SCORM 1.2 uploads; each upload is one unit of a course.
    LmsPreset("talentlms", "TalentLMS", ("cmi5", "scorm12"), "single"),
    # Docebo plays SCORM 2004 3rd Edition without sequencing, so the 2004 package's course rollup would be lost.
    LmsPreset("docebo", "Docebo", ("scorm12",), "per-module"),
    # Open edX's SCORM block launches the first SCO only, and lists items only with isvisible="true".
    LmsPreset("openedx", "Open edX", ("scorm2004",), "single", plays_first_sco_only=True, write_isvisible=True),
    # SCORM Cloud plays every format: build all three to try each before choosing.
    LmsPreset("scorm-cloud", "SCORM Cloud", ("scorm12", "scorm2004", "cmi5"), "per-module"),
)}


def preset_named(name: str | None) -> LmsPreset | None:
    return PRESETS.get(name) if name else None


def unknown_preset_message(name: str) -> str:
    """What an author reads for a preset name no LMS has: the sentence, then '; ' and the fix."""
    close = difflib.get_close_matches(name.lower(), list(PRESETS), n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(PRESETS)}"
    return f"'{name}' is not an LMS preset; {hint}"


def formats_for(preset_name: str | None, every: list[str]) -> list[str]:
    """Of `every` output, those to build when course.yaml lists none: the preset's LMS formats and all the others."""
    preset = preset_named(preset_name)
    if preset is None:
        return every
    return [name for name in every if name not in LMS_FORMATS or name in preset.formats]
