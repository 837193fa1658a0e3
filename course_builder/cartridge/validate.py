"""Judge a Common Cartridge the way Moodle's and Canvas's importers would, then the way IMS's schemas would.

Errors stop an import or leave the learner with a broken link: an item naming no resource, a
file the manifest lists that is not in the zip, a path leading out of the package, an assessment
file that is not readable XML. Conformance findings (warnings unless strict) are what the official
XSDs and the Schematron rules IMS embeds in them add. Moodle's restore refuses a CC 1.1 manifest
that breaks the XSD (backup/cc/restore_cc.php validates it against schemas11 before converting),
so for 1.1 the XSD is as good as an import test.

The schemas are bundled in `course_builder/data/cc-schemas/` (see SOURCES.md there). The CC 1.3
profile schemas are not (no unchanged public copy could be brought in), so a 1.3 manifest gets the
structural checks only; its QTI files, in the same QTI namespace as 1.1's, are validated with the
1.1 profile schema and rules.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree, isoschematron

from course_builder.cartridge import CC11, QTI_NS, SCHEMAS_DIR, VERSIONS, CartridgeVersion
from course_builder.errors import Problem

MANIFEST = "imsmanifest.xml"
ERROR = "error"
FINDING = "warning"
XS = "{http://www.w3.org/2001/XMLSchema}"
FIX_EXPORT = "export the cartridge again from the tool that made it, or correct the manifest as described"


def cartridge_version(root: etree._Element) -> CartridgeVersion | None:
    """The CC version whose manifest namespace `root` is in, None for anything else."""
    return next((v for v in VERSIONS if etree.QName(root).namespace == v.cp), None)


def cartridge_problems(label: Path, names: frozenset[str], root: etree._Element, version: CartridgeVersion,
                       read: dict[str, bytes]) -> list[Problem]:
    """Every problem of the cartridge whose manifest is `root`; `read` holds the bytes of its QTI files."""
    where = label / MANIFEST
    problems = list(_structure_problems(where, names, root, version))
    if version.schema_folder is not None:
        problems += _schema_problems(where, root, manifest_schema(version.schema_folder), version.name)
        problems += _rule_problems(where, root, manifest_rules(version.schema_folder))
    for path, data in read.items():
        problems += qti_problems(label / path, data)
    return problems


def assessment_files(root: etree._Element, version: CartridgeVersion, names: frozenset[str]) -> list[str]:
    """The QTI files of the cartridge's assessments that are in the zip."""
    files = []
    for resource in root.iter(f"{{{version.cp}}}resource"):
        if resource.get("type", "").startswith("imsqti_xmlv1p2/"):
            files += [_path(f.get("href", "")) for f in resource.iter(f"{{{version.cp}}}file")]
    return [f for f in files if f in names]


def _path(href: str) -> str:
    return posixpath.normpath(unquote(urlsplit(href).path)) if href else ""


# ---------------------------------------------------------------- what an importer needs


def _structure_problems(where: Path, names: frozenset[str], root: etree._Element,
                        version: CartridgeVersion) -> Iterator[Problem]:
    cp = version.cp
    resources = {r.get("identifier", ""): r for r in root.iter(f"{{{cp}}}resource")}
    for item in root.iter(f"{{{cp}}}item"):
        reference = item.get("identifierref")
        if reference is not None and reference not in resources:
            yield Problem(where, item.sourceline, f"the item '{item.get('identifier', '')}' opens the resource "
                          f"'{reference}', which the manifest does not have, so the LMS would show a broken entry",
                          FIX_EXPORT)
    for resource in resources.values():
        for file in resource.iter(f"{{{cp}}}file"):
            yield from _file_problems(where, names, file, file.get("href", ""))
        href = resource.get("href")
        if href is not None and href not in {f.get("href") for f in resource.iter(f"{{{cp}}}file")}:
            yield Problem(where, resource.sourceline, f"the resource '{resource.get('identifier', '')}' starts at "
                          f"'{href}' but does not list that file", "add <file href=\"…\"/> for it to the resource",
                          severity=FINDING)


def _file_problems(where: Path, names: frozenset[str], element: etree._Element, href: str) -> Iterator[Problem]:
    split = urlsplit(href)
    path = _path(href)
    if split.scheme or split.netloc or href.startswith("/") or ".." in path.split("/"):
        yield Problem(where, element.sourceline, f"the file '{href}' is outside the package",
                      "write every file's path relative to the top of the zip")
    elif path not in names:
        yield Problem(where, element.sourceline, f"the file '{path}' is listed in imsmanifest.xml but is not in the zip",
                      "add the file to the package, or correct the path (it is relative to the top of the zip)")


# ---------------------------------------------------------------- the official schemas and rules


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=False, huge_tree=False)


@cache
def manifest_schema(schema_folder: str) -> etree.XMLSchema:
    """The CC profile of content packaging (which imports the LOM and authorization schemas itself)."""
    version = next(v for v in VERSIONS if v.schema_folder == schema_folder)
    return _schema(SCHEMAS_DIR / schema_folder / f"cc{version.tag}_imscp_v1p2_v1p0.xsd")


@cache
def manifest_rules(schema_folder: str) -> isoschematron.Schematron:
    version = next(v for v in VERSIONS if v.schema_folder == schema_folder)
    return _rules(SCHEMAS_DIR / schema_folder / f"cc{version.tag}_imscp_v1p2_v1p0.xsd")


@cache
def qti_schema() -> etree.XMLSchema:
    return _schema(_qti_xsd())


@cache
def qti_rules() -> isoschematron.Schematron:
    return _rules(_qti_xsd())


def _qti_xsd() -> Path:
    return SCHEMAS_DIR / str(CC11.schema_folder) / f"cc{CC11.tag}_qtiasiv1p2p1_v1p0.xsd"


def _schema(path: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(path), _safe_parser()))


def _rules(path: Path) -> isoschematron.Schematron:
    # IMS writes its Schematron inside the XSD's appinfo; lxml extracts it from there. Its
    # strict check of the Schematron itself refuses IMS's <sch:title> placement, harmless here.
    return isoschematron.Schematron(etree.parse(str(path), _safe_parser()), validate_schema=False)


def qti_problems(where: Path, data: bytes) -> list[Problem]:
    """A QTI assessment file: readable, in the QTI namespace, valid against the CC profile's schema and rules."""
    try:
        root = etree.fromstring(data, _safe_parser())
    except etree.XMLSyntaxError as err:
        return [Problem(where, err.lineno, f"the assessment is not well-formed XML: {err.msg}",
                        "the LMS cannot import this quiz; export it again")]
    if etree.QName(root).namespace != QTI_NS:
        return [Problem(where, root.sourceline, f"the assessment is not QTI 1.2: its top element is in the namespace "
                        f"'{etree.QName(root).namespace}'", f"QTI 1.2 assessments start with <questestinterop "
                        f"xmlns=\"{QTI_NS}\">")]
    return [*_schema_problems(where, root, qti_schema(), "CC QTI profile"), *_rule_problems(where, root, qti_rules())]


def _schema_problems(where: Path, root: etree._Element, schema: etree.XMLSchema, what: str) -> Iterator[Problem]:
    if schema.validate(etree.ElementTree(root)):
        return
    for error in schema.error_log:
        yield Problem(where, error.line, f"breaks the official {what} schema here: {error.message.rstrip('.')}",
                      FIX_EXPORT, severity=FINDING)


def _rule_problems(where: Path, root: etree._Element, rules: isoschematron.Schematron) -> Iterator[Problem]:
    if rules.validate(etree.ElementTree(root)):
        return
    for error in rules.error_log:
        report = etree.fromstring(error.message.encode("utf-8"))
        text = " ".join("".join(report.itertext()).split())
        yield Problem(where, None, f"breaks IMS's Common Cartridge rule: {text}", FIX_EXPORT, severity=FINDING)
