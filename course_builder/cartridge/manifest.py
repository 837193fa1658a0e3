"""The `imsmanifest.xml` of a Common Cartridge: the course's pages and quizzes in module order.

The organization is what the LMS shows as the course outline: the course's home page, then one
folder per module holding its page and, when it has knowledge checks, its quiz. Every page is a
`webcontent` resource whose files are its HTML page, and which depends on one shared web content
resource listing the style sheets, scripts, fonts and images the pages use. Each quiz is an
assessment resource with its one QTI file (the CC profile allows no `href` on it).

The course's title, description and language go into the LOM metadata, where Moodle and Canvas
take the imported course's name from. Identifiers derive from the course and module ids, so a
rebuilt cartridge names the same things the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from course_builder.cartridge import WEB_CONTENT, CartridgeVersion
from course_builder.model import Course, Module
from course_builder.scorm import XSI

HOME_PAGE = "index.html"


@dataclass(frozen=True)
class Quiz:
    """A module's assessment as the manifest lists it."""

    module: Module
    title: str
    file: str


def manifest_xml(course: Course, version: CartridgeVersion, pages: dict[str, str], assets: list[str],
                 quizzes: list[Quiz], identity: str) -> bytes:
    """The manifest. `pages` maps each module id to its HTML page; `assets` are every other web file.

    `identity` (the course id, with the brand's for a client's cartridge) names the cartridge to the LMS.
    """
    cp = version.cp
    root = etree.Element(f"{{{cp}}}manifest", identifier=f"cc-{identity}",
                         nsmap={None: cp, "lomimscc": version.lom_manifest, "lom": version.lom_resource, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", " ".join(f"{uri} {url}" for uri, url in version.manifest_locations.items()))
    _metadata(root, course, version)

    organization = etree.SubElement(etree.SubElement(root, f"{{{cp}}}organizations"), f"{{{cp}}}organization",
                                    identifier=f"org-{course.id}", structure="rooted-hierarchy")
    top = etree.SubElement(organization, f"{{{cp}}}item", identifier=f"root-{course.id}")
    _leaf(top, cp, f"item-{course.id}-home", course.settings.title, f"page-{course.id}-home")
    quiz_of = {quiz.module.id: quiz for quiz in quizzes}
    for module in course.modules:
        folder = etree.SubElement(top, f"{{{cp}}}item", identifier=f"folder-{module.id}")
        etree.SubElement(folder, f"{{{cp}}}title").text = module.title
        _leaf(folder, cp, f"item-{module.id}-page", module.title, f"page-{module.id}")
        if module.id in quiz_of:
            _leaf(folder, cp, f"item-{module.id}-quiz", quiz_of[module.id].title, f"quiz-{module.id}")

    resources = etree.SubElement(root, f"{{{cp}}}resources")
    shared = f"assets-{course.id}"
    _page(resources, cp, f"page-{course.id}-home", HOME_PAGE, shared)
    for module in course.modules:
        _page(resources, cp, f"page-{module.id}", pages[module.id], shared)
    for quiz in quizzes:
        resource = etree.SubElement(resources, f"{{{cp}}}resource", identifier=f"quiz-{quiz.module.id}",
                                    type=version.assessment_type)
        etree.SubElement(resource, f"{{{cp}}}file", href=quiz.file)
    assets_resource = etree.SubElement(resources, f"{{{cp}}}resource", identifier=shared, type=WEB_CONTENT)
    for name in assets:
        etree.SubElement(assets_resource, f"{{{cp}}}file", href=name)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8", pretty_print=True)


def _metadata(root: etree._Element, course: Course, version: CartridgeVersion) -> None:
    cp, lom = version.cp, version.lom_manifest
    metadata = etree.SubElement(root, f"{{{cp}}}metadata")
    etree.SubElement(metadata, f"{{{cp}}}schema").text = "IMS Common Cartridge"
    etree.SubElement(metadata, f"{{{cp}}}schemaversion").text = version.schemaversion
    general = etree.SubElement(etree.SubElement(metadata, f"{{{lom}}}lom"), f"{{{lom}}}general")
    language = course.settings.language
    for name, text in (("title", course.settings.title), ("description", course.settings.subtitle)):
        if text:
            element = etree.SubElement(general, f"{{{lom}}}{name}")
            etree.SubElement(element, f"{{{lom}}}string", language=language).text = text
        if name == "title":
            etree.SubElement(general, f"{{{lom}}}language").text = language


def _leaf(parent: etree._Element, cp: str, identifier: str, title: str, resource: str) -> None:
    item = etree.SubElement(parent, f"{{{cp}}}item", identifier=identifier, identifierref=resource)
    etree.SubElement(item, f"{{{cp}}}title").text = title


def _page(resources: etree._Element, cp: str, identifier: str, href: str, shared: str) -> None:
    resource = etree.SubElement(resources, f"{{{cp}}}resource", identifier=identifier, type=WEB_CONTENT, href=href)
    etree.SubElement(resource, f"{{{cp}}}file", href=href)
    etree.SubElement(resource, f"{{{cp}}}dependency", identifierref=shared)
