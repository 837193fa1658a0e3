"""Judge any SCORM 1.2 or 2004 package the way an LMS would, then the way ADL's conformance suite would.

Findings come at two levels, because LMSs are far more forgiving than the standard:

* **errors** stop an LMS importing or running the package: no manifest at the top of the zip,
  XML it cannot read, a start page that is missing or points outside the package, an item that
  launches nothing, SCOs the LMS cannot recognise, a mastery score nobody can reach;
* **conformance findings** (severity "warning") are what ADL's rules and the official XSDs add:
  identifiers that are not XML names, metadata order, schema files missing from the zip, files
  the manifest does not list. Moodle and Open edX import such packages, so `course-builder
  validate` reports them as warnings unless `--strict`; our own builds are held to them
  (`strict=True`, the default), since a package we make must pass the full rules.

The XSD layer validates `imsmanifest.xml` offline against the official schemas shipped in
`course_builder/data/scorm-schemas/` (its README explains the three lxml work-arounds); the
rules the schemas cannot express are checked one by one below. A cmi5 package (`cmi5.xml`, no
manifest) gets its own, shorter check at the end. Every problem is worded for the LMS
administrator who has to upload the package.
"""

from __future__ import annotations

import copy
import difflib
import posixpath
import re
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from course_builder.cartridge.validate import assessment_files, cartridge_problems, cartridge_version
from course_builder.errors import Problem
from course_builder.scorm import SCHEMAS_DIR, SCORM12, SCORM2004, VERSIONS, XSI, ScormVersion

MANIFEST = "imsmanifest.xml"
CMI5_STRUCTURE = "cmi5.xml"
CMI5_NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
CMI5_SCHEMA = SCHEMAS_DIR.parent / "cmi5-schemas" / "CourseStructure.xsd"
XML_NS = "http://www.w3.org/XML/1998/namespace"
W3C_XML_XSD_URL = "http://www.w3.org/2001/xml.xsd"
XS = "{http://www.w3.org/2001/XMLSchema}"

METADATA_SCHEMAS = {
    SCORM12.schema_folder: {"http://www.imsglobal.org/xsd/imsmd_rootv1p2p1": "imsmd_rootv1p2p1.xsd"},
    SCORM2004.schema_folder: {"http://ltsc.ieee.org/xsd/LOM": "lom.xsd"},
}
"""Inline metadata schemas: we write no inline metadata, but other tools' packages often do."""
PREFIXES = {uri: prefix for version in VERSIONS for prefix, uri in version.namespaces.items() if prefix} | {
    SCORM12.cp: "imscp", SCORM2004.cp: "imscp", XML_NS: "xml", XSI: "xsi", CMI5_NS: "cmi5",
}
NCNAME = re.compile(r"^[^\W\d][\w.\-\u00B7]*$")
SHOWN_AT_MOST = 5
ERROR = "error"
FINDING = "warning"
"""A conformance finding: a warning for `validate`, an error under --strict and for our own builds."""
JUNK_FILES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini", "ehthumbs.db"})
JUNK_FOLDERS = frozenset({"__MACOSX"})
AICC_SUFFIXES = (".crs", ".au", ".des", ".cst")

Rule = Callable[["Package"], Iterator[Problem]]


def validate_package(zip_path: Path, *, strict: bool = True) -> list[Problem]:
    """Every problem found in the SCORM or cmi5 package `zip_path`; an empty list means it is valid.

    With `strict=False` conformance findings come back as warnings, as `course-builder validate`
    shows them by default; with `strict=True` they are errors too.
    """
    problems = _all_problems(Path(zip_path))
    if strict:
        return [replace(p, severity=ERROR) if p.severity == FINDING else p for p in problems]
    return problems


def summarised(problems: list[Problem], shown: int = SHOWN_AT_MOST) -> list[Problem]:
    """The first `shown` problems of each kind and one line counting the rest.

    A broken export can repeat one mistake thousands of times; the administrator needs the
    kind, a few places and the count, not every line.
    """
    by_kind: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    for problem in problems:
        by_kind[(problem.severity, _kind_of(problem.message))].append(problem)
    result: list[Problem] = []
    for (severity, _), same in by_kind.items():
        result += same[:shown]
        if len(same) > shown:
            result.append(Problem(
                same[0].file, None,
                f"… and {len(same) - shown} more like the {severity} above ({len(same)} in all)",
                same[0].hint, severity=severity,
            ))
    return result


def _kind_of(message: str) -> str:
    """A message with its particulars (quoted names, numbers) blanked out: what stays is the rule."""
    return re.sub(r"'[^']*'|\d+", "…", message)


def _all_problems(zip_path: Path) -> list[Problem]:
    label = Path(zip_path.name)
    try:
        with zipfile.ZipFile(zip_path) as archive:
            entries = [info.filename for info in archive.infolist() if not info.is_dir()]
            names = [n for n in entries if not is_junk(n)]
            if MANIFEST not in names and CMI5_STRUCTURE in names:
                return [*_junk_problems(label, entries), *_cmi5_problems(label, names, archive.read(CMI5_STRUCTURE))]
            if MANIFEST not in names:
                return [_manifest_not_at_root(label, names)]
            data = archive.read(MANIFEST)
            cartridge = _cartridge_problems(label, entries, names, data, archive)
            if cartridge is not None:
                return cartridge
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, zlib.error) as err:
        return [Problem(
            label, None,
            f"this file cannot be opened as a zip archive ({err})",
            "a SCORM package is a .zip file; export the package again from the tool that made it",
        )]
    package = _parse(label, names, data)
    if isinstance(package, Problem):
        return [package]
    problems = [*_junk_problems(label, entries), *_entity_problems(package)]
    problems += [problem for rule in RULES for problem in rule(package)]
    # One clear message per mistake: the schema's wording is the last resort, and it also
    # complains wherever an invalid identifier is referred to.
    reported_lines = {p.line for p in problems if p.line is not None}
    quoted = tuple(f"'{identifier}'" for identifier in package.invalid_identifiers() if identifier)
    problems += [p for p in _schema_problems(package) if p.line not in reported_lines and not any(q in p.message for q in quoted)]
    return problems


def _cartridge_problems(label: Path, entries: list[str], names: list[str], data: bytes,
                        archive: zipfile.ZipFile) -> list[Problem] | None:
    """The problems of an IMS Common Cartridge (see `course_builder.cartridge.validate`); None for any other package."""
    try:
        root = _read_manifest(data)
    except etree.XMLSyntaxError:
        return None  # reported, with its line, by the SCORM reading that follows
    version = cartridge_version(root)
    if version is None:
        return None
    present = frozenset(names)
    read = {path: archive.read(path) for path in assessment_files(root, version, present)}
    return [*_junk_problems(label, entries), *cartridge_problems(label, present, root, version, read)]


def is_junk(name: str) -> bool:
    """Files an operating system adds when it zips a folder: macOS resource forks and Finder/Explorer caches."""
    parts = name.replace("\\", "/").split("/")
    return bool(JUNK_FOLDERS.intersection(parts[:-1])) or parts[-1] in JUNK_FILES or parts[-1].startswith("._")


def _junk_problems(label: Path, entries: Iterable[str]) -> Iterator[Problem]:
    junk = sorted(n for n in entries if is_junk(n))
    if junk:
        more = len(junk) - SHOWN_AT_MOST
        shown = ", ".join(junk[:SHOWN_AT_MOST]) + (f" and {more} more" if more > 0 else "")
        yield Problem(
            label, None,
            f"the zip holds {len(junk)} junk file(s) that macOS or Windows added when it was zipped ({shown}); they are "
            "not part of the course, and some LMSs refuse files they do not expect",
            "re-zip without them: on macOS run `zip -r course.zip . -x '.*' -x '__MACOSX/*'` inside the course folder, "
            "or delete them from the zip (do not list them in the manifest)",
            severity=FINDING,
        )


# ---------------------------------------------------------------- reading the package


@dataclass(frozen=True)
class Package:
    """A package's file names and parsed manifest, with the SCORM version the manifest is written in."""

    label: Path
    names: frozenset[str]
    root: etree._Element
    version: ScormVersion

    def problem(self, element: etree._Element, message: str, hint: str, severity: str = ERROR) -> Problem:
        return Problem(self.label / MANIFEST, element.sourceline, message, hint, severity=severity)

    def finding(self, element: etree._Element, message: str, hint: str) -> Problem:
        """A conformance finding: LMSs cope, ADL's rules or the XSDs do not."""
        return self.problem(element, message, hint, FINDING)

    def cp(self, local: str) -> str:
        """The Clark name of a content-packaging element of this version, e.g. {…imscp_v1p1}item."""
        return f"{{{self.version.cp}}}{local}"

    def all(self, local: str) -> list[etree._Element]:
        return list(self.root.iter(self.cp(local)))

    def identified(self) -> list[etree._Element]:
        """The elements whose identifier is an XML ID."""
        tags = [self.cp(local) for local in ("manifest", "organization", "item", "resource")]
        return [element for element in self.root.iter(*tags) if element.get("identifier") is not None]

    def invalid_identifiers(self) -> set[str]:
        return {e.get("identifier", "") for e in self.identified() if not NCNAME.match(e.get("identifier", ""))}

    def resources(self) -> dict[str, etree._Element]:
        resources: dict[str, etree._Element] = {}
        for resource in self.all("resource"):
            resources.setdefault(resource.get("identifier", ""), resource)
        return resources


def _safe_parser(resolve_entities: bool | str = "internal") -> etree.XMLParser:
    """A parser that never fetches anything and expands at most the entities the document defines itself.

    External entities (a file or URL named in a <!DOCTYPE>) are never read, and libxml2's limits
    on entity expansion stay on (huge_tree=False), so no manifest can read files or exhaust memory.
    """
    return etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=resolve_entities, huge_tree=False)


def _read_manifest(data: bytes) -> etree._Element:
    """The manifest's root; a reference to an external entity is kept as an unexpanded entity node.

    libxml2 calls an external entity it was told not to load "not defined"; parsing again without
    expanding anything tells that case apart from a real typo, and `_entity_problems` names it.
    """
    try:
        return etree.fromstring(data, _safe_parser())
    except etree.XMLSyntaxError as err:
        try:
            root = etree.fromstring(data, _safe_parser(resolve_entities=False))
        except etree.XMLSyntaxError:
            raise err from None
        if not _external_entities(root):
            raise
        return root


def _external_entities(root: etree._Element) -> list[etree._Entity]:
    dtd = root.getroottree().docinfo.internalDTD
    internal = {decl.name for decl in dtd.iterentities() if decl.system_url is None} if dtd is not None else set()
    return [entity for entity in root.iter(etree.Entity) if entity.name not in internal]


def _manifest_not_at_root(label: Path, names: list[str]) -> Problem:
    other_case = next((n for n in names if n.lower() == MANIFEST), None)
    if other_case is not None:
        return Problem(
            label, None,
            f"the manifest is called '{other_case}', but SCORM requires exactly 'imsmanifest.xml' (all lower case), and most "
            "LMS servers tell the two apart",
            "rename the file to imsmanifest.xml and zip the package again",
        )
    nested = sorted((n for n in names if posixpath.basename(n).lower() == MANIFEST), key=len)
    if nested:
        folder = posixpath.dirname(nested[0])
        return Problem(
            label, None,
            f"imsmanifest.xml is inside the folder '{folder}/' instead of at the top level of the zip, so an LMS "
            "will not recognise the upload as a SCORM package",
            f"open the folder '{folder}', select everything inside it and zip those files (not the folder itself)",
        )
    if "cmi5.xml" in names:
        what = "a cmi5 package (it has cmi5.xml)"
    elif any(n.lower().endswith(AICC_SUFFIXES) for n in names):
        what = "an AICC package (it has .crs/.au/.des files)"
    else:
        what = "not a SCORM package"
    return Problem(
        label, None,
        f"the zip has no imsmanifest.xml, so it is {what}",
        "export the course again as SCORM 1.2 or SCORM 2004 from the tool that made it",
    )


def _parse(label: Path, names: list[str], data: bytes) -> Package | Problem:
    try:
        root = _read_manifest(data)
    except etree.XMLSyntaxError as err:
        return Problem(
            label / MANIFEST, err.lineno,
            f"imsmanifest.xml is not well-formed XML: {err.msg}",
            "the file is damaged or was edited by hand; correct the XML at this line or export the package again",
        )
    name = etree.QName(root)
    version = next((v for v in VERSIONS if name.namespace == v.cp), None)
    if name.localname != "manifest" or version is None:
        return Problem(
            label / MANIFEST, root.sourceline,
            f"imsmanifest.xml is not a SCORM manifest: its top element is <{name.localname}> in the namespace "
            f"'{name.namespace}'",
            f"SCORM 1.2 manifests start with <manifest xmlns=\"{SCORM12.cp}\">, SCORM 2004 ones with "
            f"<manifest xmlns=\"{SCORM2004.cp}\">; IMS Common Cartridge, cmi5 and AICC packages are other formats",
        )
    return Package(label, frozenset(names), root, version)


def _entity_problems(package: Package) -> Iterator[Problem]:
    """A <!DOCTYPE> is foreign to SCORM; an external entity in it is never read, so its text is missing."""
    tree = package.root.getroottree()
    if tree.docinfo.doctype:
        yield Problem(
            package.label / MANIFEST, 1,
            f"imsmanifest.xml starts with a document type declaration ({tree.docinfo.doctype.split('[')[0].strip()}…), "
            "which SCORM manifests do not have; some LMSs refuse any manifest with one, for safety",
            "remove the <!DOCTYPE …> line (write any entities it defines out as plain text)",
            severity=FINDING,
        )
    for entity in _external_entities(package.root):
        yield package.problem(
            entity.getparent(),
            f"the manifest uses the entity {entity.text}, which its <!DOCTYPE> takes from an outside file or web "
            "address; neither LMSs nor this check read such files, so its text is missing",
            f"write the text itself instead of {entity.text} and remove the <!DOCTYPE …> line",
        )


# ---------------------------------------------------------------- rules the schemas cannot express


def check_metadata(package: Package) -> Iterator[Problem]:
    """<schema>ADL SCORM</schema> and <schemaversion> are the first two children of the manifest's metadata."""
    version = package.version
    expected = f"<metadata><schema>ADL SCORM</schema><schemaversion>{version.schemaversion}</schemaversion></metadata>"
    metadata = package.root.find(package.cp("metadata"))
    if metadata is None:
        yield package.finding(
            package.root,
            "the manifest does not say which SCORM version it is (it has no <metadata>)",
            f"add {expected} as the first element inside <manifest>",
        )
        return
    children = list(metadata.iterchildren(tag=etree.Element))
    if [child.tag for child in children[:2]] != [package.cp("schema"), package.cp("schemaversion")]:
        yield package.finding(
            metadata,
            "<schema> and <schemaversion> must be the first two elements of the manifest's <metadata>: LMSs read "
            "them to know which SCORM version to run",
            f"start the metadata with {expected}",
        )
        return
    schema, schemaversion = ((child.text or "").strip() for child in children[:2])
    if schema != "ADL SCORM":
        yield package.finding(
            children[0],
            f"<schema> says '{schema}' where SCORM requires 'ADL SCORM'",
            "write <schema>ADL SCORM</schema> exactly",
        )
    if schemaversion not in version.accepted_schemaversions:
        # Naming the other version makes an LMS run the wrong API; an unknown value it ignores.
        other = any(schemaversion in v.accepted_schemaversions for v in VERSIONS)
        yield package.problem(children[1], *_schemaversion_mismatch(version, schemaversion), ERROR if other else FINDING)


def _schemaversion_mismatch(version: ScormVersion, written: str) -> tuple[str, str]:
    other = next((v for v in VERSIONS if written in v.accepted_schemaversions), None)
    if other is not None:
        return (
            f"<schemaversion> says '{written}' ({other.name}) but the manifest is written in the {version.name} "
            "format, so an LMS would run it with the wrong rules",
            f"write <schemaversion>{version.schemaversion}</schemaversion>, or export the package again as {other.name}",
        )
    return (
        f"<schemaversion> says '{written}', which is not a SCORM version an LMS recognises",
        f"write <schemaversion>{version.schemaversion}</schemaversion> exactly (same spelling and capitals)",
    )


def check_identifiers(package: Package) -> Iterator[Problem]:
    """Identifiers are XML IDs: a valid name, and never the same one twice."""
    first_seen: dict[str, int | None] = {}
    invalid = package.invalid_identifiers()
    for element in package.identified():
        identifier = element.get("identifier", "")
        if identifier in invalid:
            yield package.finding(
                element,
                f"the identifier '{identifier}' is not a valid XML identifier",
                "identifiers start with a letter or '_' and contain only letters, digits, '-', '_' and '.' "
                "(no spaces, colons or slashes)",
            )
        elif identifier in first_seen:
            yield package.problem(
                element,
                f"the identifier '{identifier}' is used twice (first on line {first_seen[identifier]}), "
                "so the LMS cannot tell the two apart",
                "give each organization, item and resource an identifier of its own",
            )
        else:
            first_seen[identifier] = element.sourceline


def check_references(package: Package) -> Iterator[Problem]:
    """There is an organization with items; every reference names a resource; only leaf items launch something."""
    resources = package.resources()
    organizations = {o.get("identifier"): o for o in package.all("organization")}
    container = package.root.find(package.cp("organizations"))
    if not organizations:
        yield from _no_organization(package, container, resources)
    elif container is not None and container.get("default") is None:
        yield package.finding(
            container,
            "<organizations> does not name its default organization (LMSs then show the first one)",
            f"add default=\"{next(iter(organizations))}\" to <organizations>",
        )
    elif container is not None and container.get("default") not in organizations:
        yield package.finding(
            container,
            f"<organizations> names '{container.get('default')}' as its default, but no <organization> has that "
            "identifier (LMSs then show the first one)",
            f"write one of: {', '.join(map(str, organizations))}",
        )
    for organization in organizations.values():
        if organization.find(package.cp("item")) is None:
            yield package.problem(
                organization,
                f"the organization '{organization.get('identifier')}' has no <item>, so learners would see an empty "
                "course with nothing to open",
                "add an <item identifierref=\"…\"> for each lesson, naming the resource it launches",
            )
    for item in package.all("item"):
        yield from _check_item(package, item, resources)
    for dependency in package.all("dependency"):
        if dependency.get("identifierref") not in resources:
            yield package.finding(
                dependency,
                f"a <dependency> names the resource '{dependency.get('identifierref')}', which does not exist",
                "point it at the identifier of an existing <resource>, or remove it",
            )


def _no_organization(package: Package, container: etree._Element | None,
                     resources: dict[str, etree._Element]) -> Iterator[Problem]:
    where = container if container is not None else package.root
    if any(resource.get("href") for resource in resources.values()):
        # Moodle, for one, then builds the table of contents from the resources.
        yield package.finding(
            where,
            "the manifest has no <organization>, so each LMS makes up its own table of contents from the resources "
            "(some show nothing to launch)",
            "export the package again as a course, with an organization listing its lessons",
        )
    else:
        yield package.problem(
            where,
            "the manifest has no <organization> and no resource with a start page, so an LMS has nothing to launch",
            "export the package again as a course, not as a resource-only package",
        )


def _check_item(package: Package, item: etree._Element, resources: dict[str, etree._Element]) -> Iterator[Problem]:
    reference = item.get("identifierref")
    title = _title_of(package, item)
    has_children = item.find(package.cp("item")) is not None
    if reference is None:
        if not has_children:
            yield package.finding(
                item,
                f"the item {title} neither launches a resource nor contains other items, so learners would see an empty entry",
                "add identifierref=\"…\" naming the resource it should launch",
            )
        return
    if has_children:
        yield package.finding(
            item,
            f"the item {title} contains other items and also launches the resource '{reference}'; SCORM lets only items "
            "without children launch something, and LMSs differ in what they show",
            "move the identifierref to a child item, or remove it",
        )
    resource = resources.get(reference)
    if resource is None:
        near = difflib.get_close_matches(reference, list(resources), n=1)
        yield package.problem(
            item,
            f"the item {title} launches the resource '{reference}', which does not exist in the manifest; learners "
            "would get an error when they open it",
            f"did you mean '{near[0]}'?" if near else "set identifierref to the identifier of one of the <resource> elements",
        )
    elif resource.get("href") is None:
        yield package.problem(
            item,
            f"the item {title} launches the resource '{reference}', which has no href (no page to open)",
            "add href=\"…\" with the start page to that <resource>",
        )


def check_mastery_scores(package: Package) -> Iterator[Problem]:
    """A SCORM 1.2 mastery score is a number from 0 to 100; the XSD takes any text."""
    if package.version is not SCORM12:
        return
    for element in package.root.iter(f"{{{SCORM12.adlcp}}}masteryscore"):
        written = (element.text or "").strip()
        try:
            score = float(written)
        except ValueError:
            score = None
        if score is None or not 0 <= score <= 100:
            reason = ("so no learner can ever pass" if score is not None and score > 100
                      else "which the LMS cannot use as a pass mark")
            yield package.problem(
                element,
                f"adlcp:masteryscore is '{written}', {reason}: SCORM 1.2 mastery scores are numbers from 0 to 100",
                "write the pass mark as a number of percent, e.g. <adlcp:masteryscore>80</adlcp:masteryscore>",
            )


def _title_of(package: Package, item: etree._Element) -> str:
    title = (item.findtext(package.cp("title")) or "").strip()
    return f"'{title or item.get('identifier', '?')}'"


def check_scorm_types(package: Package) -> Iterator[Problem]:
    """Every resource says whether it is a SCO or an asset, spelled as its version spells it; every SCO has a start page."""
    version = package.version
    spelling = version.scorm_type_attribute
    other = next(v for v in VERSIONS if v is not version)
    for resource in package.all("resource"):
        identifier = resource.get("identifier")
        value = resource.get(f"{{{version.adlcp}}}{spelling}")
        misspelled = next((name for name in resource.attrib if etree.QName(name).namespace == version.adlcp
                           and etree.QName(name).localname.lower() == spelling.lower()
                           and etree.QName(name).localname != spelling), None)
        if misspelled is not None:
            written = etree.QName(misspelled).localname
            whose = f" ('{written}' is the {other.name} spelling)" if written == other.scorm_type_attribute else ""
            yield package.problem(
                resource,
                f"the resource '{identifier}' writes adlcp:{written}, but {version.name} spells it adlcp:{spelling}{whose}, "
                "so the LMS cannot see whether it is a SCO and will not track it",
                f"rename the attribute to adlcp:{spelling}",
            )
            value = resource.get(misspelled)
        elif value is None:
            yield package.finding(
                resource,
                f"the resource '{identifier}' does not say whether it is a SCO (tracked) or an asset",
                f"add adlcp:{spelling}=\"sco\" or adlcp:{spelling}=\"asset\"",
            )
        elif value not in ("sco", "asset"):
            yield package.problem(
                resource,
                f"adlcp:{spelling} is '{value}' on the resource '{identifier}', but it can only be 'sco' or 'asset'",
                "write \"sco\" or \"asset\", in lower case",
            )
        if value == "sco" and not resource.get("href"):
            yield package.problem(
                resource,
                f"the SCO '{identifier}' has no href, so the LMS has no page to launch",
                "add href=\"…\" with the SCO's start page",
            )


def check_extensions(package: Package) -> Iterator[Problem]:
    """SCORM's extension elements and attributes exist and belong to this version.

    The 2004 schemas accept any extension element or attribute without looking at it, so a
    misspelled one is silently ignored by the LMS; the ADL test suite rejects it.
    """
    own = {uri for prefix, uri in package.version.namespaces.items() if prefix}
    foreign = {uri for v in VERSIONS for prefix, uri in v.namespaces.items() if prefix} - own
    declared = extension_names(package.version.schema_folder)
    for element in package.root.iter(tag=etree.Element):
        for name, kind in [(element.tag, "element"), *((name, "attribute") for name in element.attrib)]:
            qname = etree.QName(name)
            shown = f"{PREFIXES.get(qname.namespace, qname.namespace)}:{qname.localname}"
            if qname.namespace in foreign:
                yield package.finding(
                    element,
                    f"the {kind} {shown} belongs to another SCORM version (namespace {qname.namespace}), so a "
                    f"{package.version.name} LMS ignores it",
                    f"use the {package.version.name} equivalent, or export the whole package again as one version",
                )
            elif qname.namespace in own and qname.localname not in declared.get((qname.namespace, kind), ()):
                if kind == "attribute" and qname.localname.lower() == package.version.scorm_type_attribute.lower():
                    continue  # check_scorm_types reports it, with the reason
                yield package.finding(element, *_unknown_extension(shown, qname.localname, kind,
                                                                   declared.get((qname.namespace, kind), frozenset())))


def _unknown_extension(shown: str, local: str, kind: str, known: frozenset[str]) -> tuple[str, str]:
    prefix = shown.partition(":")[0]
    same_but_case = {name.lower(): name for name in known}.get(local.lower())
    guess = same_but_case or next(iter(difflib.get_close_matches(local, sorted(known), n=1)), None)
    hint = (f"did you mean {prefix}:{guess}? (names are case-sensitive)" if guess
            else f"remove it; the SCORM {kind}s of this namespace are: {', '.join(sorted(known))}")
    return f"{shown} is not a SCORM {kind}, so the LMS ignores it", hint


@cache
def extension_names(schema_folder: str) -> dict[tuple[str, str], frozenset[str]]:
    """(namespace, 'element'|'attribute') -> the names a version's XSDs declare (read once per process)."""
    names: dict[tuple[str, str], set[str]] = {}
    # recover=True: 1.2's ims_xml.xsd is not namespace-well-formed (see the README), and it declares nothing we need.
    parser = etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=False, recover=True)
    for xsd in sorted((SCHEMAS_DIR / schema_folder).glob("*.xsd")):
        schema = etree.parse(str(xsd), parser).getroot()
        namespace = schema.get("targetNamespace")
        elements = (e.get("name") for e in schema.iter(f"{XS}element") if e.get("name"))
        attributes = (a.get("name") for a in schema.iterchildren(f"{XS}attribute"))
        names.setdefault((namespace, "element"), set()).update(elements)
        names.setdefault((namespace, "attribute"), set()).update(attributes)
    return {key: frozenset(value) for key, value in names.items()}


def check_files(package: Package) -> Iterator[Problem]:
    """Every path in the manifest is a clean relative path to a file in the zip, and every file is listed."""
    listed: set[str | None] = set()
    for resource in package.all("resource"):
        base = _xml_base(resource)
        if resource.get("href") is not None:
            listed.add((yield from _check_path(package, resource, base, resource.get("href", ""), launch=True)))
        for file in resource.iter(package.cp("file")):
            listed.add((yield from _check_path(package, file, base, file.get("href", ""), launch=False)))
    for location in package.root.iter(f"{{{package.version.adlcp}}}location"):
        listed.add((yield from _check_path(package, location, _xml_base(location), (location.text or "").strip(), launch=False)))
    # The manifest and its schemas are the package's control files, which are never listed.
    unlisted = sorted(n for n in package.names - listed
                      if n != MANIFEST and not n.endswith((".xsd", ".dtd")) and "\\" not in n)
    if unlisted:
        more = len(unlisted) - SHOWN_AT_MOST
        shown = ", ".join(unlisted[:SHOWN_AT_MOST]) + (f" and {more} more" if more > 0 else "")
        yield Problem(
            package.label, None,
            f"{len(unlisted)} file(s) in the zip are not listed in imsmanifest.xml: {shown}; Moodle and Open edX unpack "
            "them anyway, but SCORM asks for every file to be listed and a few LMSs copy only listed files",
            "add a <file href=\"…\"/> for each one to the resource that uses it, or delete them from the zip if nothing does",
            severity=FINDING,
        )


def _xml_base(element: etree._Element) -> str:
    """The xml:base prefixes that apply to hrefs inside `element`, outermost first."""
    base = ""
    for ancestor in reversed([element, *element.iterancestors()]):
        part = ancestor.get(f"{{{XML_NS}}}base")
        if part:
            base = posixpath.join(base, part)
    return base


def _check_path(package: Package, element: etree._Element, base: str, href: str,
                launch: bool) -> Generator[Problem, None, str | None]:
    """Yield the problems of one href; return the path in the zip it names, if any."""
    what = "the start page" if launch else "the file"
    split = urlsplit(href.replace("\\", "/"))
    full = posixpath.join(base, unquote(split.path))
    if not href:
        yield package.problem(element, f"{what} has an empty href", "write the file's path, relative to the top of the zip")
    elif "\\" in href:
        yield package.problem(
            element,
            f"the path '{href}' uses backslashes, which only work on Windows servers",
            f"write it with forward slashes: '{href.replace(chr(92), '/')}'",
        )
    elif split.scheme or split.netloc:
        if launch:
            yield package.problem(
                element,
                f"the start page '{href}' is on another web site, not in the package: it only works while that site is "
                "up and lets the LMS track it",
                "put the page inside the package",
                severity="warning",
            )
        else:
            yield package.finding(
                element,
                f"the file '{href}' is a web address, but the files of a package must be inside the zip",
                "put the file into the package and write its path relative to the top of the zip",
            )
    elif full.startswith("/"):
        yield package.problem(
            element,
            f"the path '{href}' starts with '/', so the LMS would look for it outside the package",
            f"write it relative to the top of the zip: '{full.lstrip('/')}'",
        )
    elif ".." in full.split("/"):
        yield package.problem(
            element,
            f"the path '{href}' goes up with '..', out of the folder the LMS unpacks the course into",
            "keep every file inside the package and write paths down from the top of the zip",
        )
    else:
        return (yield from _find_in_zip(package, element, what, posixpath.normpath(full), launch))
    return None


def _find_in_zip(package: Package, element: etree._Element, what: str, path: str,
                 launch: bool) -> Generator[Problem, None, str | None]:
    # A missing start page breaks the course; a missing listed file may be something no page uses.
    severity = ERROR if launch else FINDING
    if path in package.names:
        return path
    same_but_case = next((n for n in sorted(package.names) if n.lower() == path.lower()), None)
    if same_but_case is not None:
        yield package.problem(
            element,
            f"the manifest writes '{path}' but the file in the zip is '{same_but_case}'; most LMS servers treat upper "
            "and lower case as different, so the file would not be found",
            f"write '{same_but_case}' in the manifest (or rename the file)",
            severity,
        )
        return same_but_case
    yield package.problem(
        element,
        f"{what} '{path}' is listed in imsmanifest.xml but is not in the zip",
        "add the file to the package, or correct the path (it is relative to the top of the zip)",
        severity,
    )
    return None


def check_zip_entries(package: Package) -> Iterator[Problem]:
    """Paths inside the zip are relative, with forward slashes, and stay inside the package."""
    backslashed = sorted(n for n in package.names if "\\" in n)
    if backslashed:
        yield Problem(
            package.label, None,
            f"{len(backslashed)} path(s) inside the zip use backslashes (e.g. '{backslashed[0]}'), as some old Windows zip "
            "tools write them; LMS servers read them as odd file names, not folders, so pages will not find their files",
            "unzip the package and zip it again with the system's own 'Compress' or 'Send to › Compressed folder'",
        )
    escaping = sorted(n for n in package.names if n.startswith("/") or ".." in n.replace("\\", "/").split("/"))
    if escaping:
        yield Problem(
            package.label, None,
            f"the zip holds paths that point outside the package (e.g. '{escaping[0]}'); many LMSs refuse such a zip as unsafe",
            "export the package again; a package's files all sit inside it",
        )


def check_schema_locations(package: Package) -> Iterator[Problem]:
    """The XSD files the manifest names in xsi:schemaLocation are in the package, at its root."""
    tokens = package.root.get(f"{{{XSI}}}schemaLocation", "").split()
    if len(tokens) % 2:
        yield package.problem(
            package.root,
            "xsi:schemaLocation must list pairs of 'namespace file', but it holds an odd number of words",
            "write each namespace followed by the name of its XSD file, separated by spaces",
        )
    for namespace, location in zip(tokens[::2], tokens[1::2], strict=False):
        if urlsplit(location).scheme:
            continue
        if location not in package.names:
            yield package.finding(
                package.root,
                f"imsmanifest.xml says the schema of {namespace} is in '{location}', but that file is not in the "
                "package; LMSs that validate packages will reject it",
                f"put {posixpath.basename(location)} at the top level of the zip, next to imsmanifest.xml",
            )
        elif "/" in location:
            yield package.finding(
                package.root,
                f"the schema of {namespace} is in the folder '{posixpath.dirname(location)}/'; SCORM expects the schema "
                "files at the top level of the zip, where LMSs that validate packages look for them",
                f"move {posixpath.basename(location)} next to imsmanifest.xml and name it without a folder in xsi:schemaLocation",
            )


RULES: tuple[Rule, ...] = (
    check_metadata, check_identifiers, check_references, check_mastery_scores, check_scorm_types, check_extensions,
    check_files, check_zip_entries, check_schema_locations,
)


# ---------------------------------------------------------------- cmi5 packages


def cmi5_structure_problems(data: bytes) -> list[tuple[int | None, str]]:
    """(line, message) for each way a cmi5.xml breaks XML or the official cmi5 schema; empty when valid."""
    try:
        root = _read_manifest(data)
    except etree.XMLSyntaxError as err:
        return [(err.lineno, f"cmi5.xml is not well-formed XML: {err.msg}")]
    schema = cmi5_schema()
    if schema.validate(etree.ElementTree(root)):
        return []
    return [(error.line, f"cmi5.xml breaks the official cmi5 schema here: {_readable(error.message)}")
            for error in schema.error_log]


@cache
def cmi5_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(CMI5_SCHEMA), _safe_parser(resolve_entities=False)))


def _cmi5_problems(label: Path, names: list[str], data: bytes) -> Iterator[Problem]:
    """A cmi5 package: its course structure is valid, and every AU it launches from the package is there."""
    where = label / CMI5_STRUCTURE
    structure = cmi5_structure_problems(data)
    # An LMS refuses a course structure its schema rejects: the cmi5 spec requires it to conform.
    yield from (Problem(where, line, message, "export the cmi5 package again, or correct cmi5.xml as described")
                for line, message in structure)
    if structure:
        return
    root = _read_manifest(data)
    ids: dict[str, int | None] = {}
    for au in root.iter(f"{{{CMI5_NS}}}au", f"{{{CMI5_NS}}}block", f"{{{CMI5_NS}}}course"):
        identifier = au.get("id", "")
        if identifier in ids:
            yield Problem(where, au.sourceline, f"the id '{identifier}' is used twice (first on line {ids[identifier]}), "
                          "so the LMS would record two parts of the course as one", "give every AU and block an id of its own")
        ids.setdefault(identifier, au.sourceline)
    for url in root.iter(f"{{{CMI5_NS}}}url"):
        yield from _cmi5_launch_problems(where, frozenset(names), url)


def _cmi5_launch_problems(where: Path, names: frozenset[str], url: etree._Element) -> Iterator[Problem]:
    href = (url.text or "").strip()
    split = urlsplit(href)
    path = posixpath.normpath(unquote(split.path)) if split.path else ""
    if split.scheme or split.netloc:
        yield Problem(where, url.sourceline, f"the AU '{href}' is on another web site, not in the package; it works only "
                      "while that site is up", "nothing to do if that is intended; otherwise put the AU in the package",
                      severity=FINDING)
    elif href.startswith("/") or ".." in path.split("/"):
        yield Problem(where, url.sourceline, f"the AU's url '{href}' leads outside the package",
                      "write the launch page's path relative to the top of the zip")
    elif path not in names:
        yield Problem(where, url.sourceline, f"the AU's launch page '{path}' is not in the zip, so learners would get "
                      "an error when they open it", "add the file, or correct the url (relative to cmi5.xml)")


# ---------------------------------------------------------------- the official schemas


class _OfflineSchemas(etree.Resolver):
    """Serves the schema files that cannot be loaded as published (README: the three work-arounds)."""

    def resolve(self, url: str, pubid: str, context: object) -> object:
        # 2004's imscp_v1p1.xsd imports the W3C xml.xsd by URL, and 1.2's ims_xml.xsd binds the
        # xml namespace as default, which libxml2 refuses: both get the W3C file shipped with 2004.
        if url == W3C_XML_XSD_URL or url.endswith(f"/{SCORM12.schema_folder}/ims_xml.xsd"):
            return self.resolve_filename(str(SCHEMAS_DIR / SCORM2004.schema_folder / "xml.xsd"), context)
        # 1.2's imsmd schema breaks XSD's unique-particle rule with ##any; ##other keeps its
        # meaning for real manifests and lets libxml2 compile it.
        if url.endswith("/imsmd_rootv1p2p1.xsd"):
            text = (SCHEMAS_DIR / SCORM12.schema_folder / "imsmd_rootv1p2p1.xsd").read_text(encoding="utf-8")
            return self.resolve_string(text.replace('namespace="##any"', 'namespace="##other"'), context, base_url=url)
        return None


@cache
def manifest_schema(schema_folder: str) -> etree.XMLSchema:
    """One schema for a whole manifest: a driver that imports each namespace's XSD (loaded once per process)."""
    version = next(v for v in VERSIONS if v.schema_folder == schema_folder)
    folder = SCHEMAS_DIR / schema_folder
    driver = etree.Element(f"{XS}schema", nsmap={"xs": XS.strip("{}")})
    for namespace, file_name in {**version.schema_files, **METADATA_SCHEMAS[schema_folder]}.items():
        etree.SubElement(driver, f"{XS}import", namespace=namespace, schemaLocation=(folder / file_name).as_uri())
    parser = _safe_parser()
    parser.resolvers.add(_OfflineSchemas())
    document = etree.fromstring(etree.tostring(driver), parser, base_url=(folder / "driver.xsd").as_uri())
    return etree.XMLSchema(etree.ElementTree(document))


def _schema_problems(package: Package) -> Iterator[Problem]:
    schema = manifest_schema(package.version.schema_folder)
    # libxml2's schema validator gives up on unexpanded entity references (reported on their own above).
    document = etree.ElementTree(copy.deepcopy(package.root))
    for entity in list(document.getroot().iter(etree.Entity)):
        entity.getparent().remove(entity)
    if schema.validate(document):
        return
    for error in schema.error_log:
        yield Problem(
            package.label / MANIFEST, error.line,
            f"imsmanifest.xml breaks the official {package.version.name} schema here: {_readable(error.message)}",
            "correct this element as described (the schema fixes names and order); if another tool made the package, "
            "export it again or report this to that tool's maker",
            severity=FINDING,
        )


def _readable(message: str) -> str:
    """lxml names elements as {namespace-uri}name; administrators know them as prefix:name."""
    message = re.sub(r"##other\{[^}]*\}\*", "an element of another namespace", message)
    return re.sub(r"\{([^}]*)\}", lambda m: f"{PREFIXES.get(m.group(1), m.group(1))}:", message).rstrip(".")
