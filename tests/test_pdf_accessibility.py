"""The workbook and guide are PDF/UA-1: an independent rule engine and a walk of the tags agree.

The rule engine is `page` (PyPI: page-validation), which implements the 104 machine-checkable
rules of PDF/UA-1 and was not written by this project. The structure-tree assertions below
walk the tags with pikepdf and pypdf, one for each point of the Matterhorn protocol that
WeasyPrint's own tagging gets wrong and `course_builder.targets.pdf_structure` repairs, so a
template change that brings one back fails here by name. Each runs on three builds: the
sample course, a second small course, and the sample course in a second brand.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import page
import pikepdf
import pytest
from pdf_facts import TagTree, marked_texts, squash
from pypdf import PdfReader

from course_builder.build import build_course
from course_builder.load import load_brand_files, load_course
from course_builder.skeleton import write_minimal_course
from course_builder.targets import BuildOptions

FORMATS = ("workbook", "guide")
OPTIONS = BuildOptions(source_date_epoch=1700000000)

SECOND_MODULE = """\
---
id: feedback
title: Feedback that helps
duration: 40
objectives:
  - Turn a judgement into an observation.
  - Ask before you advise.
---

## Observe, then ask

Feedback lands when it names what you saw. See the [opening module](#module-welcome) first.

| Instead of | Say |
|---|---|
| You are careless. | The report had three totals that did not add up. |
| Great job! | The summary let the board decide in five minutes. |

- Say what you saw
  - one behaviour at a time
  - in the same week
- Say what it changed

::: {.steps title="Three moves"}
1. **Name it.** Describe one thing you saw.
   - What exactly happened?
2. **Ask.** Invite their view before giving yours.
3. **Agree.** Settle one next step together.
:::

::: {.questions title="Open it up"}
- Did that go well? => What went the way you hoped?
- Any questions? => What would you do differently next time?
:::

## Practise

::: {.activity title="Feedback rounds" minutes=20 grouping=small-groups}
Take turns giving and receiving one piece of feedback.

::: {.facilitator}
Stop each round after four minutes.
:::
:::

::: {.quiz}
### Which opening is an observation?
- [ ] You never listen.
  > That is a judgement.
- [x] You spoke over Sam twice in the meeting.
  > Yes: it names what happened.
:::
"""

SECOND_BRAND = """\
id: harbour
name: Harbour Learning
colors:
  primary: "#5B2A86"
  secondary: "#0F6E78"
  accent: "#B8421B"
  text: "#202020"
  background: "#FFFDF8"
fonts:
  heading: {family: Harbour Serif, files: [assets/fonts/NotoSerif-Bold.ttf, assets/fonts/NotoSerif-Regular.ttf]}
  body: {family: Harbour Sans, files: [assets/fonts/NotoSans-Regular.ttf, assets/fonts/NotoSans-Bold.ttf]}
footer: "Harbour Learning · Internal use"
"""


def _build_sample(root: Path, sample_dir: Path) -> Path:
    out = root / "sample"
    build_course(load_course(sample_dir), out, FORMATS, options=OPTIONS)
    return out


def _build_second_course(root: Path, sample_dir: Path) -> Path:
    course = root / "second-course"
    write_minimal_course(course)
    (course / "modules" / "02-feedback.md").write_text(SECOND_MODULE, encoding="utf-8")
    course_yaml = course / "course.yaml"
    listed = course_yaml.read_text(encoding="utf-8").replace("01-welcome.md\n", "01-welcome.md\n  - modules/02-feedback.md\n")
    course_yaml.write_text(listed, encoding="utf-8")
    out = root / "second-course-out"
    build_course(load_course(course), out, FORMATS, options=OPTIONS)
    return out


def _build_second_brand(root: Path, sample_dir: Path) -> Path:
    course = root / "branded"
    shutil.copytree(sample_dir, course)
    brand = course / "harbour.yaml"
    brand.write_text(SECOND_BRAND, encoding="utf-8")
    out = root / "branded-out"
    build_course(load_course(course), out, FORMATS, load_brand_files((brand,), course), OPTIONS)
    return out


BUILDS = {"sample": _build_sample, "second-course": _build_second_course, "second-brand": _build_second_brand}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("accessible")
    return {name: build(root, sample_dir) for name, build in BUILDS.items()}


@pytest.fixture(params=[(build, pdf) for build in BUILDS for pdf in FORMATS], ids=lambda p: f"{p[0]}-{p[1]}")
def pdf_path(request: pytest.FixtureRequest, builds: dict[str, Path]) -> Path:
    build, name = request.param
    (path,) = builds[build].rglob(f"{name}.pdf")
    return path


@pytest.fixture
def tree(pdf_path: Path) -> TagTree:
    return TagTree(pdf_path)


def test_the_independent_pdf_ua_engine_finds_no_failed_rule(pdf_path: Path) -> None:
    report = page.validate_pdf(str(pdf_path))  # the profile the file declares in its XMP
    assert report.profile == page.ValidationProfile.PDF_UA_1
    failures = [f"[{failure.rule_id}] {failure.message}" for failure in report.failures]
    assert failures == []
    assert report.is_compliant
    assert report.rules.total >= 100 and report.rules.failed == 0


def test_the_second_brand_really_is_another_look(builds: dict[str, Path]) -> None:
    """Guards the brand case above against testing the sample's brand twice."""
    (workbook,) = builds["second-brand"].rglob("workbook.pdf")
    cover = PdfReader(workbook).pages[0]
    assert "Harbour Learning" in cover.extract_text() and "Northwind" not in cover.extract_text()
    fonts = {str(font.get("/BaseFont")) for p in pikepdf.open(workbook).pages for font in p.Resources.get("/Font", {}).values()}
    assert any("Serif-Bold" in font or "Serif" in font for font in fonts) and any("Sans" in font for font in fonts)


def test_each_link_is_one_link_element_holding_its_text_and_annotation(tree: TagTree) -> None:
    links = tree.with_role("/Link")
    assert links, "the contents page alone has links"
    for link in links:
        assert link.kid_roles() == [], f"a Link holds {link.kid_roles()}: its text belongs in the Link itself"
        assert link.mcids() and link.annotations(), "a Link needs both its text and its annotation"
    parents = tree.parent_tree()
    for page_object in tree.pdf.pages:
        for annotation in page_object.obj.get("/Annots", []):
            if annotation.Subtype == "/Link":
                assert parents[int(annotation.StructParent)].S == "/Link"
                assert str(annotation.get("/Contents", "")).strip(), "a link annotation without a description"


def test_the_contents_page_reads_number_title_page_and_its_leaders_are_decoration(tree: TagTree, pdf_path: Path) -> None:
    reader = PdfReader(pdf_path)
    contents = next(index for index, page_object in enumerate(reader.pages) if page_object.extract_text().startswith("Contents"))
    tagged, artifacts = marked_texts(reader.pages[contents])
    assert "....." in artifacts.get("/Layout", ""), "the dotted leaders are still drawn"
    assert not [text for text in tagged.values() if text.strip() and not text.strip(". \n")], "tagged text made of dots"
    entries = [link for link in tree.with_role("/Link") if tree.page_index(link.element) == contents]
    first = squash("".join(tagged.get(mcid, "") for mcid in entries[0].mcids()))
    assert re.fullmatch(r"(1 )?[A-Z][^.]+[a-z] \d+", first), f"the first entry reads {first!r}"


def test_list_items_hold_a_label_and_a_body(tree: TagTree) -> None:
    items = tree.with_role("/LI")
    assert items
    for item in items:
        assert set(item.kid_roles()) <= {"/Lbl", "/LBody"}, item.kid_roles()
        assert "/LBody" in item.kid_roles()
        assert item.ancestors[-1] == "/L", f"an LI inside {item.ancestors[-1]}"
    for listing in tree.with_role("/L"):
        assert set(listing.kid_roles()) <= {"/L", "/LI", "/Caption"}, listing.kid_roles()


def test_every_table_header_has_a_scope_and_every_cell_a_header(tree: TagTree, pdf_path: Path) -> None:
    headers = tree.with_role("/TH")
    for header in headers:
        assert header.element.A.get("/Scope") in ("/Row", "/Column")
    for cell in tree.with_role("/TD"):
        assert list(cell.element.A.get("/Headers", [])), "a table cell with no header"
    if pdf_path.name == "guide.pdf":
        scopes = {str(header.element.A.Scope) for header in headers}
        assert scopes == {"/Row", "/Column"}, "the agenda has column headers, the timing tables row headers"


def test_no_heading_sits_inside_another(tree: TagTree) -> None:
    headings = {"/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6"}
    assert tree.with_role(*headings)
    nested = [tag.role for tag in tree.tags if tag.role in headings and headings & set(tag.ancestors)]
    assert nested == []
    paragraphs_in_paragraphs = [tag for tag in tree.with_role("/P") if "/P" in tag.ancestors]
    assert paragraphs_in_paragraphs == []


def test_all_tagged_content_is_in_the_tree_and_page_furniture_is_a_pagination_artifact(tree: TagTree, pdf_path: Path) -> None:
    reachable = {tag.element.objgen for tag in tree.tags}
    parents = tree.parent_tree()
    reader = PdfReader(pdf_path)
    for index, page_object in enumerate(reader.pages):
        tagged, artifacts = marked_texts(page_object)
        mapping = parents[index]
        for mcid in tagged:
            assert isinstance(mapping[mcid], pikepdf.Dictionary), f"page {index + 1}: content {mcid} has no element"
            assert mapping[mcid].objgen in reachable, f"page {index + 1}: content {mcid} hangs outside the tree"
        if index >= 2 and "Page" in page_object.extract_text():
            assert f"Page {index + 1} of {len(reader.pages)}" in artifacts.get("/Pagination", "")
            assert not any(f"Page {index + 1} of" in text for text in tagged.values())
    for key, element in parents.items():
        if isinstance(element, pikepdf.Dictionary):
            assert element.objgen in reachable, f"parent tree entry {key} points outside the tree"


def test_form_fields_stay_fillable_and_tagged(tree: TagTree) -> None:
    widgets = [a for p in tree.pdf.pages for a in p.obj.get("/Annots", []) if a.Subtype == "/Widget"]
    fields = tree.pdf.Root.get("/AcroForm", {}).get("/Fields", [])
    assert len(fields) == len(widgets)
    parents = tree.parent_tree()
    for widget in widgets:
        assert parents[int(widget.StructParent)].S == "/Form"
