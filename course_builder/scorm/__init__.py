"""SCORM content packaging: the two versions we write and check, described once.

The version facts every writer of SCORM data needs (suspend data limits, the answer
alphabet) live here with `ScormVersion`, so the web course can use them without importing the
packaging. `manifest` builds an `imsmanifest.xml`, `package` zips a web course into a SCORM package,
and `validate` checks any SCORM 1.2 or 2004 package against the official schemas (shipped in
`course_builder/data/scorm-schemas/`) and the rules the ADL conformance test suite adds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from course_builder.resources import data_dir

XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMAS_DIR = data_dir() / "scorm-schemas"


@dataclass(frozen=True)
class ScormVersion:
    """What differs between SCORM 1.2 and SCORM 2004 4th Edition in a package's manifest."""

    name: str
    """The version as an administrator knows it, e.g. "SCORM 1.2"."""
    schemaversion: str
    """What our manifests write in <schemaversion>."""
    accepted_schemaversions: tuple[str, ...]
    """What conforming manifests of this version may write (older 2004 editions included)."""
    namespaces: dict[str, str]
    """Prefix -> namespace URI, as written on the manifest's root element."""
    schema_files: dict[str, str]
    """Namespace URI -> XSD file named in xsi:schemaLocation (at the package root)."""
    support_files: tuple[str, ...]
    """Further files those XSDs include or reference, also placed at the package root."""
    schema_folder: str
    """Sub-folder of SCHEMAS_DIR holding this version's XSD set."""
    scorm_type_attribute: str
    """The adlcp attribute that marks a resource as a SCO or an asset; its case differs."""
    suspend_data_limit: int
    """Characters an LMS must keep in cmi.suspend_data (learners' answers and reflections)."""

    @property
    def cp(self) -> str:
        """The IMS content packaging namespace of the manifest's own elements."""
        return self.namespaces[""]

    @property
    def adlcp(self) -> str:
        return self.namespaces["adlcp"]

    def schema_path(self, file_name: str) -> Path:
        return SCHEMAS_DIR / self.schema_folder / file_name

    @property
    def root_files(self) -> tuple[str, ...]:
        """Every schema file our packages carry at their root."""
        return (*self.schema_files.values(), *self.support_files)


SCORM12 = ScormVersion(
    name="SCORM 1.2",
    schemaversion="1.2",
    accepted_schemaversions=("1.2",),
    namespaces={
        "": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
        "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
    },
    schema_files={
        "http://www.imsproject.org/xsd/imscp_rootv1p1p2": "imscp_rootv1p1p2.xsd",
        "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp_rootv1p2.xsd",
    },
    support_files=("ims_xml.xsd",),
    schema_folder="scorm12",
    scorm_type_attribute="scormtype",
    suspend_data_limit=4096,
)

SCORM2004 = ScormVersion(
    name="SCORM 2004 4th Edition",
    schemaversion="2004 4th Edition",
    accepted_schemaversions=("2004 4th Edition", "2004 3rd Edition", "CAM 1.3"),
    namespaces={
        "": "http://www.imsglobal.org/xsd/imscp_v1p1",
        "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
        "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3",
        "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3",
        "imsss": "http://www.imsglobal.org/xsd/imsss",
    },
    schema_files={
        "http://www.imsglobal.org/xsd/imscp_v1p1": "imscp_v1p1.xsd",
        "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
        "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd",
    },
    support_files=(
        *(f"imsss_v1p0{part}.xsd" for part in
          ("auxresource", "control", "delivery", "limit", "objective", "random", "rollup", "seqrule", "util")),
        "xml.xsd",
        "XMLSchema.dtd",
        "datatypes.dtd",
    ),
    schema_folder="scorm2004-4th",
    scorm_type_attribute="scormType",
    suspend_data_limit=64000,
)

VERSIONS = (SCORM12, SCORM2004)

SUSPEND_DATA_LIMITS: dict[str, int] = {"scorm12": SCORM12.suspend_data_limit, "scorm2004": SCORM2004.suspend_data_limit}
"""Each version's suspend data limit, by the name of the target that writes it."""
ANSWER_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"
"""SCORM 1.2 records a choice as single characters 0-9 and a-z, so options are lettered in that alphabet."""
