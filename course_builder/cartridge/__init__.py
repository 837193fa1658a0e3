"""IMS Common Cartridge: the course as pages and native quizzes that Moodle and Canvas import.

A cartridge is a zip (`.imscc`) with an `imsmanifest.xml` at its root, like a SCORM package, but
no runtime: the LMS unpacks the pages as its own web content and turns each QTI assessment into
one of its own quizzes. Moodle's course restore imports CC 1.0 and 1.1 and validates the manifest
against the 1.1 schemas; Canvas imports 1.1 to 1.3. The two versions differ only in namespaces,
version strings and resource types, described once here in `CartridgeVersion`.

`manifest` writes the manifest, `qti` the assessments, `validate` checks a cartridge against the
official schemas (with the Schematron rules IMS embeds in them) and what an LMS needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from course_builder.resources import data_dir

SCHEMAS_DIR = data_dir() / "cc-schemas"
QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
WEB_CONTENT = "webcontent"


@dataclass(frozen=True)
class CartridgeVersion:
    """What differs between Common Cartridge 1.1 and 1.3 in a cartridge's files."""

    name: str
    """The version as an administrator knows it, e.g. "Common Cartridge 1.1"."""
    schemaversion: str
    """What the manifest writes in <schemaversion>."""
    tag: str
    """The version in IMS's namespaces and file names: "v1p1", "v1p3"."""
    schema_folder: str | None
    """Sub-folder of SCHEMAS_DIR holding the official XSDs, None when they are not bundled."""

    @property
    def cp(self) -> str:
        """The namespace of the manifest's own elements (IMS's CC profile of content packaging)."""
        return f"http://www.imsglobal.org/xsd/imscc{self.tag}/imscp_v1p1"

    @property
    def lom_manifest(self) -> str:
        return f"http://ltsc.ieee.org/xsd/imscc{self.tag}/LOM/manifest"

    @property
    def lom_resource(self) -> str:
        return f"http://ltsc.ieee.org/xsd/imscc{self.tag}/LOM/resource"

    @property
    def assessment_type(self) -> str:
        """The resource type of a QTI assessment in this version's profile."""
        return f"imsqti_xmlv1p2/imscc_xml{self.tag}/assessment"

    def profile_url(self, file_name: str) -> str:
        """Where IMS publishes one of this version's schemas, as xsi:schemaLocation names it."""
        return f"http://www.imsglobal.org/profile/cc/cc{self.tag}/{file_name}"

    @property
    def manifest_locations(self) -> dict[str, str]:
        return {
            self.cp: self.profile_url(f"cc{self.tag}_imscp_v1p2_v1p0.xsd"),
            self.lom_manifest: self.profile_url(f"LOM/cc{self.tag}_lommanifest_v1p0.xsd"),
            self.lom_resource: self.profile_url(f"LOM/cc{self.tag}_lomresource_v1p0.xsd"),
        }

    @property
    def qti_location(self) -> str:
        return self.profile_url(f"cc{self.tag}_qtiasiv1p2p1_v1p0.xsd")


CC11 = CartridgeVersion(name="Common Cartridge 1.1", schemaversion="1.1.0", tag="v1p1", schema_folder="cc11")
CC13 = CartridgeVersion(name="Common Cartridge 1.3", schemaversion="1.3.0", tag="v1p3", schema_folder=None)
VERSIONS = (CC11, CC13)
