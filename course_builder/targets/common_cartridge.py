"""`--format cc11` and `--format cc13`: the course as an IMS Common Cartridge (<course>-cc11.imscc).

Moodle (Restore › upload the .imscc) imports Common Cartridge 1.1; Canvas (Settings › Import
course content › Common Cartridge 1.x) imports 1.3. The learner's web course, as the web target
writes it, becomes the cartridge's pages, and each module's knowledge checks a native quiz of the
LMS (QTI 1.2.1 in the CC profile, see `course_builder.cartridge.qti`). Nothing is tracked by a
runtime: the LMS records quiz attempts and grades itself.

Every cartridge is checked with the same validator `course-builder validate` runs before it is
written, so a cartridge that breaks the official schemas is never shipped.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import ClassVar

from course_builder.blocks import Audience
from course_builder.cartridge import CC11, CC13, CartridgeVersion
from course_builder.cartridge.manifest import HOME_PAGE, Quiz, manifest_xml
from course_builder.cartridge.qti import assessment_title, assessment_xml, module_questions
from course_builder.errors import Problem
from course_builder.labels import labels_of
from course_builder.model import Brand
from course_builder.scorm.package import package_identity, write_checked_package
from course_builder.scorm.validate import MANIFEST
from course_builder.targets.base import BuildOptions, Target
from course_builder.targets.web import web_course_problems, write_web_course
from course_builder.views import CourseView


class CommonCartridgeTarget(Target):
    """Writes `<out>/<course-id>-<name>.imscc` (with the brand's id for a client's brand, as SCORM packages do)."""

    version: ClassVar[CartridgeVersion]
    audience = Audience.LEARNER
    options_read = frozenset({"source_date_epoch"})
    render_cost = 2

    def outputs(self, view: CourseView, brand: Brand) -> list[str]:
        return [f"{package_identity(view, brand)}-{self.name}.imscc"]

    def check(self, view: CourseView, brand: Brand, options: BuildOptions) -> list[Problem]:
        return web_course_problems(view, brand, f"the {self.version.name}")

    def build(self, view: CourseView, brand: Brand, out: Path, options: BuildOptions) -> list[Path]:
        final = out / self.outputs(view, brand)[0]
        with tempfile.TemporaryDirectory(prefix="course-builder-cc-") as work:
            folder = Path(work)
            web = write_web_course(view, brand, folder, lms="none", sco="per-module")
            entries: dict[str, bytes | Path] = {name: folder / name for name in web.files}
            pages = {sco.module_ids[0]: sco.href for sco in web.scos}
            quizzes = [Quiz(module, assessment_title(module, labels_of(view)), f"quiz-{module.id}/assessment.xml")
                       for module in view.modules if module_questions(module)]
            entries.update({quiz.file: assessment_xml(quiz.module, self.version, quiz.title) for quiz in quizzes})
            assets = [name for name in web.files if name not in {HOME_PAGE, *pages.values()}]
            entries[MANIFEST] = manifest_xml(view, self.version, pages, assets, quizzes, package_identity(view, brand))
            write_checked_package(final, entries, options.source_date_epoch, self.version.name)
        return [final]


class Cc11Target(CommonCartridgeTarget):
    name = "cc11"
    description = ("An IMS Common Cartridge 1.1 (<course>-cc11.imscc) for Moodle: the pages as web content, each "
                   "module's knowledge check as a native quiz.")
    version = CC11


class Cc13Target(CommonCartridgeTarget):
    name = "cc13"
    description = ("An IMS Common Cartridge 1.3 (<course>-cc13.imscc) for Canvas: the pages as web content, each "
                   "module's knowledge check as a native quiz.")
    version = CC13
