"""`course-builder validate` and the check every build runs: our packages pass, broken ones are explained."""

from __future__ import annotations

import json
import os
import re
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_builder.build import build_course
from course_builder.cli import main
from course_builder.errors import CourseError, Problem
from course_builder.load import LoadedCourse, load_course
from course_builder.scorm import SCORM12, SCORM2004
from course_builder.scorm.validate import validate_package
from course_builder.targets import BuildOptions

MANIFEST = "imsmanifest.xml"


def package(sample_builds, sample: LoadedCourse, fmt: str, **options: object) -> Path:
    return sample_builds.build(fmt, **options) / f"{sample.course.id}-{fmt}.zip"


def rezip(good: Path, broken: Path, *, edit: Callable[[str], str] | None = None, drop: tuple[str, ...] = (),
          add: dict[str, str] | None = None, folder: str = "") -> str:
    """Copy a package with its manifest edited, files dropped or added, or everything moved into a folder."""
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as target:
        manifest = source.read(MANIFEST).decode("utf-8")
        if edit is not None:
            edited, manifest = manifest, edit(manifest)
            assert edited != manifest, "the edit changed nothing: the test no longer breaks the package"
        for info in source.infolist():
            if info.filename not in drop:
                data = manifest.encode("utf-8") if info.filename == MANIFEST else source.read(info)
                target.writestr(folder + info.filename, data)
        for name, text in (add or {}).items():
            target.writestr(name, text)
    return manifest


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


# ---------------------------------------------------------------- our own packages


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004"])
@pytest.mark.parametrize("options", [{}, {"sco": "single"}], ids=["per-module", "single"])
def test_the_packages_we_build_pass_every_check(sample_builds, sample: LoadedCourse, fmt: str, options: dict) -> None:
    zip_path = package(sample_builds, sample, fmt, **options)
    assert validate_package(zip_path) == []


@pytest.mark.parametrize(("fmt", "version"), [("scorm12", SCORM12), ("scorm2004", SCORM2004)])
def test_the_manifest_and_its_schemas_sit_at_the_top_of_the_zip(sample_builds, sample: LoadedCourse, fmt: str, version) -> None:
    with zipfile.ZipFile(package(sample_builds, sample, fmt)) as archive:
        names = set(archive.namelist())
        manifest = archive.read(MANIFEST).decode("utf-8")
    assert {MANIFEST, *version.root_files} <= names
    named = re.search(r'xsi:schemaLocation="([^"]*)"', manifest).group(1).split()[1::2]
    assert set(named) == set(version.schema_files.values()) and all("/" not in n for n in named)


# ---------------------------------------------------------------- broken packages, each explained

FIRST_MODULE = "leadership-and-management"
BROKEN = {
    "dangling identifierref": (
        "scorm2004",
        dict(edit=lambda m: m.replace(f'identifierref="resource-sco-{FIRST_MODULE}"', 'identifierref="resource-sco-nowhere"')),
        "resource-sco-nowhere", "does not exist",
    ),
    "lower-case scormtype in 2004": (
        "scorm2004",
        dict(edit=lambda m: m.replace('adlcp:scormType="sco"', 'adlcp:scormtype="sco"')),
        'adlcp:scormtype="sco"', "spells it adlcp:scormType",
    ),
    "camel-case scormType in 1.2": (
        "scorm12",
        dict(edit=lambda m: m.replace('adlcp:scormtype="sco"', 'adlcp:scormType="sco"')),
        'adlcp:scormType="sco"', "spells it adlcp:scormtype",
    ),
    "misspelled completionThreshold": (
        "scorm2004",
        dict(edit=lambda m: m.replace("<title>Leadership and management</title>",
                                      "<title>Leadership and management</title>\n"
                                      "<adlcp:completionthreshold>0.8</adlcp:completionthreshold>", 1)),
        "<adlcp:completionthreshold>", "adlcp:completionthreshold is not a SCORM element",
    ),
    "missing file": (
        "scorm2004", dict(drop=("assets/js/tracking.js",)),
        '<file href="assets/js/tracking.js"/>', "'assets/js/tracking.js' is listed in imsmanifest.xml but is not in the zip",
    ),
    "unlisted file": (
        "scorm12", dict(add={"notes/draft.txt": "not for learners"}),
        None, "not listed in imsmanifest.xml: notes/draft.txt",
    ),
    "'..' in an href": (
        "scorm12",
        dict(edit=lambda m: m.replace('<file href="assets/js/course.js"/>', '<file href="../assets/js/course.js"/>')),
        '<file href="../assets/js/course.js"/>', "goes up with '..'",
    ),
    "manifest not at the root": (
        "scorm2004", dict(folder="course/"),
        None, "inside the folder 'course/'",
    ),
    "wrong schemaversion": (
        "scorm2004",
        dict(edit=lambda m: m.replace("<schemaversion>2004 4th Edition</schemaversion>", "<schemaversion>1.2</schemaversion>")),
        "<schemaversion>", "says '1.2' (SCORM 1.2) but the manifest is written in the SCORM 2004 4th Edition format",
    ),
    "XSD missing at the root": (
        "scorm2004", dict(drop=("imsss_v1p0.xsd",)),
        "<manifest", "'imsss_v1p0.xsd', but that file is not in the package",
    ),
    "backslashes in the zip's paths": (
        "scorm12", dict(drop=("assets/js/course.js",), add={"assets\\js\\course.js": "/* zipped on an old Windows tool */"}),
        None, "use backslashes (e.g. 'assets\\js\\course.js')",
    ),
    "a zip entry outside the package": (
        "scorm2004", dict(add={"../outside.js": "/* zip-slip */"}),
        None, "point outside the package (e.g. '../outside.js')",
    ),
    "file name in the wrong case": (
        "scorm12",
        dict(edit=lambda m: m.replace('<file href="assets/js/course.js"/>', '<file href="assets/js/Course.js"/>')),
        '<file href="assets/js/Course.js"/>', "the file in the zip is 'assets/js/course.js'",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_package_gets_a_clear_problem_at_the_right_place(sample_builds, sample: LoadedCourse, tmp_path: Path,
                                                                   case: str) -> None:
    fmt, change, located_at, says = BROKEN[case]
    broken = tmp_path / "broken.zip"
    manifest = rezip(package(sample_builds, sample, fmt), broken, **change)
    problems = errors(validate_package(broken))
    matching = [p for p in problems if says in p.message]
    assert matching, f"no problem says {says!r}; got: {[p.message for p in problems]}"
    problem = matching[0]
    assert problem.hint, "every problem says how to fix it"
    if located_at is None:
        assert problem.file == Path("broken.zip") and problem.line is None
    else:
        assert (problem.file, problem.line) == (Path("broken.zip") / MANIFEST, line_of(manifest, located_at))


def test_a_file_that_is_not_a_zip_is_explained(tmp_path: Path) -> None:
    fake = tmp_path / "course.zip"
    fake.write_text("<html>this is a web page, not a package</html>")
    [problem] = validate_package(fake)
    assert "cannot be opened as a zip" in problem.message and problem.hint


def test_a_zip_without_a_manifest_is_not_a_scorm_package(tmp_path: Path) -> None:
    empty = tmp_path / "photos.zip"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("holiday.jpg", b"\xff\xd8")
    [problem] = validate_package(empty)
    assert "has no imsmanifest.xml" in problem.message


def test_a_manifest_named_in_capitals_is_explained(sample_builds, sample: LoadedCourse, tmp_path: Path) -> None:
    good = package(sample_builds, sample, "scorm12")
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(good) as archive:
        manifest = archive.read(MANIFEST)
    rezip(good, broken, drop=(MANIFEST,), add={"IMSManifest.xml": manifest.decode("utf-8")})
    [problem] = validate_package(broken)
    assert "'IMSManifest.xml'" in problem.message and "rename the file to imsmanifest.xml" in problem.hint


def test_a_manifest_that_is_not_xml_is_located(sample_builds, sample: LoadedCourse, tmp_path: Path) -> None:
    broken = tmp_path / "broken.zip"
    good = package(sample_builds, sample, "scorm12")
    manifest = rezip(good, broken, edit=lambda m: m.replace("</organizations>", "</organisations>"))
    [problem] = validate_package(broken)
    assert "not well-formed XML" in problem.message and problem.line == line_of(manifest, "</organisations>")


def test_an_identifier_that_is_not_an_xml_name_gets_one_problem_not_an_echo_per_reference(sample_builds, sample: LoadedCourse,
                                                                                             tmp_path: Path) -> None:
    broken = tmp_path / "broken.zip"
    manifest = rezip(package(sample_builds, sample, "scorm12"), broken,
                     edit=lambda m: m.replace('"org-leading-people"', '"5-leading-people"'))
    [problem] = validate_package(broken)
    assert "'5-leading-people' is not a valid XML identifier" in problem.message
    assert problem.line == line_of(manifest, '<organization identifier="5-leading-people"')


def test_schema_violations_name_elements_as_administrators_know_them(sample_builds, sample: LoadedCourse,
                                                                   tmp_path: Path) -> None:
    broken = tmp_path / "broken.zip"
    # Out of order: the schema wants rollup rules before delivery controls.
    manifest = rezip(package(sample_builds, sample, "scorm2004"), broken, edit=lambda m: re.sub(
        r"(<imsss:rollupRules [^>]*/>)(.*?)(<imsss:deliveryControls [^>]*/>)", r"\2\3\1", m, count=1, flags=re.S))
    [problem] = errors(validate_package(broken))
    assert "official SCORM 2004 4th Edition schema" in problem.message
    assert "imsss:rollupRules" in problem.message and "{http" not in problem.message
    assert problem.line == line_of(manifest, "<imsss:rollupRules")


# ---------------------------------------------------------------- the command


def test_validate_exits_0_for_a_good_package_and_1_for_a_broken_one(sample_builds, sample: LoadedCourse,
                                                                   tmp_path: Path) -> None:
    good = package(sample_builds, sample, "scorm2004")
    result = CliRunner().invoke(main, ["validate", str(good)])
    assert result.exit_code == 0, result.output
    assert "is a valid package" in result.output

    with zipfile.ZipFile(good) as archive:
        start_page = re.search(r'<resource [^>]*href="([^"]+)"', archive.read(MANIFEST).decode("utf-8")).group(1)
    broken = tmp_path / "broken.zip"
    rezip(good, broken, drop=(start_page,))
    result = CliRunner().invoke(main, ["validate", str(broken)])
    assert result.exit_code == 1
    assert f"the start page '{start_page}'" in result.output and "fix:" in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


# ---------------------------------------------------------------- what the build guarantees


def test_two_builds_with_the_same_source_date_give_byte_identical_packages(sample: LoadedCourse, tmp_path: Path) -> None:
    options = BuildOptions(source_date_epoch=1700000000)
    for folder in ("a", "b"):
        build_course(load_course(sample.course.root), tmp_path / folder, ("scorm12", "scorm2004"), options=options)
    for fmt in ("scorm12", "scorm2004"):
        name = f"{sample.course.id}-{fmt}.zip"
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
        with zipfile.ZipFile(tmp_path / "a" / name) as archive:
            infos = archive.infolist()
        assert [i.filename for i in infos] == sorted(i.filename for i in infos)
        assert {i.date_time for i in infos} == {time.gmtime(1700000000)[:6]}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}


SCORM2004_ONLY = ("cmi.completion_status", "cmi.success_status", "cmi.location", "cmi.score.scaled", "cmi.session_time",
                  "cmi.scaled_passing_score", "cmi.progress_measure", "cmi.mode", "cmi.entry", "cmi.exit", "adl.nav")
SCORM12_ONLY = ("cmi.core.", "cmi.student_data", "LMSInitialize", "LMSFinish", "LMSSetValue", "LMSGetValue", "LMSCommit")


@pytest.mark.parametrize(("fmt", "foreign"), [("scorm12", SCORM2004_ONLY), ("scorm2004", SCORM12_ONLY)])
def test_a_package_names_no_data_model_element_of_the_other_version(sample_builds, sample: LoadedCourse, fmt: str,
                                                                     foreign: tuple[str, ...]) -> None:
    with zipfile.ZipFile(package(sample_builds, sample, fmt)) as archive:
        scripts = {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith((".js", ".html"))}
    # A whole name only: "cmi.mode" must not match a longer element that happens to start the same.
    patterns = {element: re.escape(element) + (r"(?![A-Za-z_])" if element[-1].isalnum() else "") for element in foreign}
    found = {(name, element) for name, text in scripts.items() for element, pattern in patterns.items()
             if re.search(pattern, text)}
    assert not found


def test_a_single_sco_12_package_warns_that_reflections_were_shortened(sample_builds, sample: LoadedCourse) -> None:
    out = sample_builds.build("scorm12", sco="single")
    warnings = json.loads((out / "build-report.json").read_text())["warnings"]
    shortened = [w for w in warnings if "reflection answers" in w and "SCORM 1.2" in w]
    assert shortened and re.search(r"limited to \d+ characters", shortened[0])


def test_a_package_that_fails_its_check_is_never_written(sample: LoadedCourse, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from course_builder.scorm import package as packaging

    real = packaging.manifest_xml
    # Stands in for a future bug: the manifest points its items at resources that do not exist.
    broken = lambda *args: real(*args).replace(b'identifierref="resource-', b'identifierref="gone-')  # noqa: E731
    monkeypatch.setattr(packaging, "manifest_xml", broken)
    with pytest.raises(CourseError) as raised:
        build_course(load_course(sample.course.root), tmp_path / "out", ("scorm2004",))
    assert "bug in course-builder" in raised.value.problems[0].hint
    assert not list((tmp_path / "out").glob("*.zip*")) and not list((tmp_path / "out").glob(".*.zip*"))


# ---------------------------------------------------------------- other tools' packages, judged as an LMS would

THIRD_PARTY = Path(__file__).parent / "lms" / "packages"
PACKAGES = sorted(folder.name for folder in THIRD_PARTY.iterdir() if folder.is_dir())


def third_party(name: str, out: Path, *, edit: Callable[[str], str] | None = None, drop: tuple[str, ...] = (),
                add: dict[str, str] | None = None, folder: str = "") -> Path:
    """Rebuild a third-party package from its manifest and file names (see tests/lms/packages/README.md)."""
    source = THIRD_PARTY / name
    manifest = (source / MANIFEST).read_bytes()
    if edit is not None:
        edited = edit(manifest.decode("utf-8")).encode("utf-8")
        assert edited != manifest, "the edit changed nothing: the test no longer breaks the package"
        manifest = edited
    zip_path = out / f"{name}.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        for entry in (source / "files.txt").read_text(encoding="utf-8").splitlines():
            if entry not in drop:
                archive.writestr(folder + entry, manifest if entry == MANIFEST else b"")
        for entry, text in (add or {}).items():
            archive.writestr(entry, text)
    return zip_path


def validate_command(zip_path: Path, *options: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", *options, str(zip_path)], terminal_width=200)
    assert "internal error" not in result.output.lower() and "Traceback" not in result.output
    return result.exit_code, result.output


def test_the_third_party_set_is_there() -> None:
    assert len(PACKAGES) >= 9
    assert all((THIRD_PARTY / name / "files.txt").read_text().count("\n") >= 10 for name in PACKAGES)


@pytest.mark.parametrize("name", PACKAGES)
def test_every_package_moodle_imports_is_accepted(tmp_path: Path, name: str) -> None:
    zip_path = third_party(name, tmp_path)
    assert errors(validate_package(zip_path, strict=False)) == []
    code, output = validate_command(zip_path)
    assert code == 0, output
    assert "can be uploaded to an LMS" in output or "is a valid package" in output


def test_the_conformance_findings_of_real_exports_are_warnings_that_strict_makes_errors(tmp_path: Path) -> None:
    zip_path = third_party("h5p-author-telephone-basics-12", tmp_path)
    [first, second] = validate_package(zip_path, strict=False)
    assert {first.severity, second.severity} == {"warning"}
    assert "official SCORM 1.2 schema" in first.message and "imscp:metadata" in first.message
    assert validate_command(zip_path)[0] == 0
    code, output = validate_command(zip_path, "--strict")
    assert code == 1 and "2 errors" in output


def test_missing_schema_files_and_an_absent_organization_are_findings_not_errors(tmp_path: Path) -> None:
    tour = validate_package(third_party("3dvista-boat-sale-plans-12", tmp_path), strict=False)
    assert tour and all(p.severity == "warning" and "that file is not in the package" in p.message for p in tour)
    missing_org = validate_package(third_party("golf-singlescobasic-missing-org-12", tmp_path), strict=False)
    assert any("has no <organization>" in p.message for p in missing_org)
    assert errors(missing_org) == []


def test_a_macos_zip_names_its_junk_as_junk(tmp_path: Path) -> None:
    zip_path = third_party("golf-singlescobasic-12", tmp_path, add={
        ".DS_Store": "", "__MACOSX/._imsmanifest.xml": "", "__MACOSX/shared/._launchpage.html": "", "Thumbs.db": "",
    })
    problems = validate_package(zip_path, strict=False)
    [junk] = problems
    assert junk.severity == "warning" and "4 junk file(s)" in junk.message and "__MACOSX/._imsmanifest.xml" in junk.message
    assert junk.hint.startswith("re-zip without them") and "not list them" in junk.hint
    assert not any("not listed in imsmanifest.xml" in p.message for p in problems)
    assert validate_command(zip_path)[0] == 0


GOLF_12 = "golf-singlescobasic-12"
GOLF_2004 = "golf-runtime-basic-calls-2004-3rd"
GOLF_TITLE = "<title>Golf Explained</title>"
START = 'href="shared/launchpage.html'


def with_mastery(score: str) -> Callable[[str], str]:
    return lambda m: m.replace(GOLF_TITLE, f"{GOLF_TITLE}<adlcp:masteryscore>{score}</adlcp:masteryscore>")


def with_doctype(declaration: str, title: str) -> Callable[[str], str]:
    return lambda m: m.replace("<manifest ", f"<!DOCTYPE manifest [{declaration}]>\n<manifest ", 1).replace(GOLF_TITLE, title)


HAND_BROKEN = {
    "manifest inside a folder": (GOLF_12, dict(folder="golf/"), "imsmanifest.xml is inside the folder 'golf/'"),
    "start page missing": (GOLF_12, dict(drop=("shared/launchpage.html",)),
                           "the start page 'shared/launchpage.html' is listed in imsmanifest.xml but is not in the zip"),
    "start page outside the package": (GOLF_12, dict(edit=lambda m: m.replace(START, 'href="../shared/launchpage.html')),
                                       "goes up with '..'"),
    "start page from the server's root": (GOLF_2004, dict(edit=lambda m: m.replace(START, 'href="/shared/launchpage.html', 1)),
                                          "starts with '/'"),
    "item launches a resource that does not exist": (
        GOLF_12, dict(edit=lambda m: m.replace('identifierref="resource_1"', 'identifierref="resource_2"')),
        "'resource_2', which does not exist"),
    "manifest cut short": (GOLF_12, dict(edit=lambda m: m[: m.index("</resources>")]), "not well-formed XML"),
    "mastery score above 100": (GOLF_12, dict(edit=with_mastery("150")), "is '150', so no learner can ever pass"),
    "mastery score in words": (GOLF_12, dict(edit=with_mastery("eighty")), "is 'eighty', which the LMS cannot use"),
    "organization without items": (GOLF_12, dict(edit=lambda m: re.sub(r"<item .*?</item>", "", m, flags=re.S)),
                                   "has no <item>, so learners would see an empty course"),
    "2004 manifest that says it is 1.2": (GOLF_2004, dict(edit=lambda m: re.sub(r"<schemaversion>[^<]*</schemaversion>",
                                                                               "<schemaversion>1.2</schemaversion>", m)),
                                          "says '1.2' (SCORM 1.2) but the manifest is written in the SCORM 2004"),
    "external entity": (GOLF_12, dict(edit=with_doctype('<!ENTITY t SYSTEM "file:///etc/passwd">', "<title>&t;</title>")),
                        "uses the entity &t;, which its <!DOCTYPE> takes from an outside file"),
}


@pytest.mark.parametrize("case", list(HAND_BROKEN))
def test_a_hand_broken_copy_is_rejected_for_its_real_reason(tmp_path: Path, case: str) -> None:
    name, change, says = HAND_BROKEN[case]
    zip_path = third_party(name, tmp_path, **change)
    problems = errors(validate_package(zip_path, strict=False))
    assert any(says in p.message for p in problems), [p.message for p in problems]
    code, output = validate_command(zip_path)
    assert code == 1 and says in output


def test_a_doctype_with_its_own_entities_is_read_safely_and_only_noted(tmp_path: Path) -> None:
    zip_path = third_party(GOLF_12, tmp_path, edit=with_doctype('<!ENTITY course "Golf Explained">', "<title>&course;</title>"))
    [doctype] = validate_package(zip_path, strict=False)
    assert doctype.severity == "warning" and "document type declaration" in doctype.message
    assert validate_command(zip_path)[0] == 0


def test_an_entity_bomb_is_refused_without_expanding_it(tmp_path: Path) -> None:
    # Ten levels of ten: expanded, the title would be ten thousand million characters long.
    bomb = '<!ENTITY a "aaaaaaaaaa">' + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    zip_path = third_party(GOLF_12, tmp_path, edit=with_doctype(bomb, "<title>&j;</title>"))
    [problem] = validate_package(zip_path, strict=False)
    assert "not well-formed XML" in problem.message and "amplification" in problem.message.lower()
    assert validate_command(zip_path)[0] == 1


def test_an_aicc_package_is_named_as_such(tmp_path: Path) -> None:
    aicc = tmp_path / "aicc.zip"
    with zipfile.ZipFile(aicc, "w") as archive:
        for name in ("course.crs", "course.au", "course.des", "course.cst", "index.html"):
            archive.writestr(name, "")
    [problem] = validate_package(aicc)
    assert "it is an AICC package" in problem.message


def test_thousands_of_repeated_findings_are_summarised(tmp_path: Path) -> None:
    zip_path = third_party(GOLF_12, tmp_path, edit=lambda m: m.replace(
        '<file href="Etiquette/Course.html"/>', "".join(f'<file href="gone/page-{n}.html"/>' for n in range(3000))))
    missing = [p for p in validate_package(zip_path, strict=False) if "is listed in imsmanifest.xml but is not" in p.message]
    assert len(missing) == 3000
    code, output = validate_command(zip_path)
    assert code == 0
    assert len(output.splitlines()) < 30
    assert "… and 2995 more like the warning above (3000 in all)" in output


# ---------------------------------------------------------------- no input breaks the validator

# Fragments a hand edit, a broken export or a hostile upload leaves in a manifest.
MANIFEST_SCRAPS = [
    "<!DOCTYPE manifest>", '<!DOCTYPE m [<!ENTITY e "x">]>', '<!DOCTYPE m [<!ENTITY e SYSTEM "file:///etc/hostname">]>',
    "&e;", "&undefined;", "<![CDATA[x]]>", "<?pi x?>", "<!-- -->", "<item>", "</item>", "<organization/>",
    '<resource identifier="r" href="/x"/>', '<file href="..\\\\a"/>', 'identifierref="nowhere"',
    "<adlcp:masteryscore>1e999</adlcp:masteryscore>", "<adlcp:masteryscore>nan</adlcp:masteryscore>",
    "\x00", "\ufeff", "é", '"', "<", ">", "xmlns:adlcp=\"urn:other\"",
]


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(name=st.sampled_from([GOLF_12, GOLF_2004, "scorm-debugger-complex-12", "golf-singlescobasic-missing-org-12"]),
       cuts=st.lists(
    st.tuples(st.floats(0, 1), st.sampled_from(MANIFEST_SCRAPS), st.integers(0, 40)), min_size=1, max_size=4))
def test_no_damaged_manifest_makes_the_validator_fail_with_an_internal_error(tmp_path_factory: pytest.TempPathFactory,
                                                                               name: str, cuts: list) -> None:
    def damage(manifest: str) -> str:
        for where, scrap, removed in cuts:
            at = int(where * len(manifest))
            manifest = manifest[:at] + scrap + manifest[at + removed:]
        return manifest

    out = tmp_path_factory.mktemp("fuzz")
    try:
        zip_path = third_party(name, out, edit=damage)
    except AssertionError:
        return  # the damage happened to change nothing
    problems = validate_package(zip_path, strict=False)
    assert all(p.message and p.hint for p in problems)
    code, _ = validate_command(zip_path)
    assert code in (0, 1)
