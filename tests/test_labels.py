"""Every fixed label of every output comes from the gettext catalogues, in the course's language.

The catalogues (course_builder/locale/<lang>/LC_MESSAGES/messages.po) are checked against the
templates and code they are extracted from, and for completeness. Then the sample is built in
German, its own text translated by machine (the pseudo-language's text, through the course's
translation file), so that any English left in the outputs can only be a label: the text of
every output is searched for the English catalogue's wording.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from datetime import date, time
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html
from pptx import Presentation
from pypdf import PdfReader

from course_builder.build import view_of
from course_builder.cli import main
from course_builder.labels import LOCALE_DIR, labels_for, language_problems
from course_builder.load import load_course
from course_builder.targets import BuildOptions
from course_builder.targets.guide import GuideTarget
from course_builder.translation.apply import translation_path
from course_builder.translation.build import build_languages
from course_builder.translation.pseudo import pseudo_pieces
from course_builder.translation.units import course_units
from course_builder.translation.xliff import Translated, write_xliff

REPO = Path(__file__).resolve().parent.parent
LANGUAGES = ("en", "de", "fr", "es", "nl", "pt", "ar", "he")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
TAG = re.compile(r"</?\w+>")
FORMATS = ("workbook", "guide", "handouts", "certificates", "slides", "web", "scorm12", "scorm2004", "cmi5", "cc11",
           "cc13", "gift", "moodle-xml")


def catalogue(language: str):
    with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source)


def message_keys(messages) -> set[tuple[str | None, str]]:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in messages if m.id}


def forms(value: str | tuple | list) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


# ---------------------------------------------------------------- the catalogues


def test_the_template_is_in_sync_with_the_templates_and_code(tmp_path: Path) -> None:
    """Re-extracting (as scripts/extract-messages.sh does) gives exactly the shipped messages.pot's labels."""
    fresh = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "--no-location", "--omit-header", "-F", str(REPO / "babel.cfg"),
                                "-k", "_", "-k", "gettext", "-k", "ngettext:1,2", "-k", "pgettext:1c,2",
                                "-o", str(fresh), str(REPO)])
    with fresh.open("rb") as extracted, (LOCALE_DIR / "messages.pot").open("rb") as shipped:
        assert message_keys(read_po(extracted)) == message_keys(read_po(shipped)), "run scripts/extract-messages.sh"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalogue_is_complete_and_keeps_the_placeholders(language: str) -> None:
    with (LOCALE_DIR / "messages.pot").open("rb") as shipped:
        template = read_po(shipped)
    found = catalogue(language)
    assert message_keys(found) == message_keys(template)
    assert [error for message in found for error in message.check(found)] == []
    for message in found:
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        sources = forms(message.id)
        for text in forms(message.string):
            assert text.strip(), f"{language}: {message.id!r} is not translated"
            # A plural's singular may spell the one out ("eine Karte"); every other form keeps every placeholder.
            wanted = {name for source in sources for name in PLACEHOLDER.findall(source)}
            assert set(PLACEHOLDER.findall(text)) <= wanted, (language, message.id, text)
            assert sorted(TAG.findall(text)) == sorted(TAG.findall(sources[0])), (language, message.id, text)
        assert set(PLACEHOLDER.findall(forms(message.string)[-1])) == set(PLACEHOLDER.findall(sources[-1])), message.id


def test_a_language_without_labels_falls_back_to_english_with_one_warning(sample) -> None:
    course = sample.course.model_copy(update={"settings": sample.course.settings.model_copy(update={"language": "sw"})})
    problems = language_problems(course)
    assert len(problems) == 1 and problems[0].severity == "warning" and "'sw'" in problems[0].message
    assert labels_for("sw").gettext("Contents") == "Contents"
    assert language_problems(sample.course) == [] and labels_for("de-AT").gettext("Contents") == "Inhalt"


def test_check_warns_once_when_the_language_has_no_labels(course_copy: Path) -> None:
    settings = course_copy / "course.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("language: en", "language: sw"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(course_copy)])
    assert result.exit_code == 0 and result.output.count("no built-in labels in 'sw'") == 1, result.output


def test_the_pseudo_language_lengthens_the_labels_and_keeps_their_placeholders() -> None:
    qps = labels_for("qps")
    assert qps.gettext("Contents").startswith("[") and len(qps.gettext("Contents")) >= 1.4 * len("Contents")
    footer = qps.gettext("Page %(page)s of %(pages)s", page=3, pages=33)
    assert " 3 " in footer and " 33" in footer and "Page" not in footer
    assert "<em>X</em>" in qps.gettext("Under each knowledge-check question, open <em>%(show)s</em> to see the right "
                                       "answer and the feedback.", show="X")


# ---------------------------------------------------------------- formats that follow the locale


def test_clock_times_dates_numbers_and_paper_follow_the_locale() -> None:
    start, end = time(9, 0), time(13, 30)
    assert labels_for("de").time_range(start, end) == "09:00–13:30"
    assert labels_for("en").time_range(start, end) == "09:00–13:30"
    assert labels_for("en-GB").time(end) == "13:30"
    assert labels_for("en-US").time_range(start, end) == "9:00\u202fAM–1:30\u202fPM"
    assert labels_for("de").date(date(2026, 3, 5)) == "5. März 2026"
    assert labels_for("en-US").date(date(2026, 3, 5)) == "March 5, 2026"
    assert labels_for("en").date(date(2026, 3, 5)) == "5 March 2026"
    assert labels_for("de").number(1500) == "1.500"
    assert [labels_for(tag).paper for tag in ("en-US", "en-CA", "es-MX", "en", "de", "en-GB", "fr-CA")] == [
        "letter", "letter", "letter", "a4", "a4", "a4", "letter"]


def test_the_guides_agenda_runs_on_a_12_hour_clock_on_us_letter_in_american_english(sample) -> None:
    american = sample.course.settings.model_copy(update={"language": "en-US", "paper": None})
    course = sample.course.model_copy(update={"settings": american})
    target = GuideTarget()
    page = lxml_html.fromstring(target.render_html(view_of(course, target), course.brand, BuildOptions()))
    times = [cell.text_content() for cell in page.xpath("//table[@class='agenda-table']//td[@class='agenda-time']")]
    assert times[0] == "9:00\u202fAM–10:30\u202fAM" and all(re.search(r"[AP]M$", t) for t in times)
    assert "size: letter;" in page.xpath("//style")[0].text  # course.yaml names no paper: the country's
    assert BuildOptions().paper_for(view_of(sample.course, target)) == "a4"  # the sample's `paper: a4` wins


# ---------------------------------------------------------------- a German build with no English label left


@pytest.fixture(scope="module")
def german_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample in German: its text (the brand's footer too) machine-translated, two participants for certificates."""
    root = tmp_path_factory.mktemp("german")
    course_dir = root / "course"
    shutil.copytree(REPO / "content", course_dir)
    (course_dir / "participants.csv").write_text("name\nAnna Beispiel\nJonas Muster\n", encoding="utf-8")
    course = load_course(course_dir).course
    units = course_units(course)
    done = {u.id: Translated(pseudo_pieces(u.pieces), u.fingerprint) for u in units}
    path = translation_path(course, "de")
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(write_xliff(units, "en", "de", done, course.id, course.root))
    out = root / "build"
    build_languages(load_course(course_dir), out, ["de"], formats=FORMATS, options=BuildOptions(source_date_epoch=1))
    return out / "de"


def html_texts(document: bytes) -> list[str]:
    """What a reader meets in an HTML page: its text, the attributes read aloud, and the runtime messages."""
    page = lxml_html.fromstring(document)
    texts = [page.get("lang") or ""]
    for script in page.iter("script"):
        if script.get("type") == "application/json":
            data = json.loads(script.text)
            texts += list(data.get("messages", data).values()) if isinstance(data, dict) else []
        script.drop_tree()
    texts.append(page.text_content())
    texts += [value for element in page.iter() if isinstance(element.tag, str)
              for name, value in element.attrib.items() if name in ("alt", "title", "aria-label", "placeholder")]
    return texts


def output_texts(folder: Path) -> dict[str, str]:
    """The text of every output, by file: PDFs with pypdf, the deck with python-pptx, the web course and packages as HTML."""
    texts: dict[str, str] = {}
    for pdf in folder.rglob("*.pdf"):
        reader = PdfReader(pdf)
        texts[pdf.name] = "\n".join([page.extract_text() for page in reader.pages] + [str(reader.metadata.title)])
    deck = Presentation(str(folder / "slides.pptx"))
    texts["slides.pptx"] = "\n".join(
        [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
        + [slide.notes_slide.notes_text_frame.text for slide in deck.slides if slide.has_notes_slide])
    for page in (folder / "web").rglob("*.html"):
        texts[f"web/{page.name}"] = "\n".join(html_texts(page.read_bytes()))
    for package in [*folder.glob("*.zip"), *folder.glob("*.imscc")]:
        with zipfile.ZipFile(package) as archive:
            pages = [name for name in archive.namelist() if name.endswith(".html")]
            documents = [name for name in archive.namelist() if name.endswith(".xml")]  # manifests, QTI quizzes
            texts[package.name] = "\n".join([text for name in pages for text in html_texts(archive.read(name))]
                                             + [xml_text(archive.read(name)) for name in documents])
    for bank in folder.glob("*-questions.*"):
        texts[bank.name] = xml_text(bank.read_bytes()) if bank.suffix == ".xml" else bank.read_text(encoding="utf-8")
    # A question bank names each question by the id its author gave it ("q-al-question"): not a label.
    ids = {q.id for m in load_course(REPO / "content").course.modules for quiz in m.quizzes for q in quiz.questions}
    names = re.compile("|".join(rf"(?<![\w-]){re.escape(i)}(?![\w-])" for i in sorted(ids, key=len, reverse=True)))
    return {name: " ".join(names.sub(" ", re.sub(r"[‐-]\n", "", text)).split()) for name, text in texts.items()}


def xml_text(document: bytes) -> str:
    """What an LMS shows of an XML file: its text and the titles in its attributes, not its element names nor
    the file paths it points at (cmi5.xml's AU urls)."""
    root = etree.fromstring(document)
    texts = [*root.itertext(), *(v for e in root.iter() if isinstance(e.tag, str) for k, v in e.attrib.items()
                                 if k == "title")]
    return "\n".join(text for text in texts if not re.fullmatch(r"\s*[\w./-]+\.(html|xml)\s*", text))


def english_phrases() -> list[str]:
    """The wording of every English label, cut at its placeholders; a piece that the German catalogue also
    uses (a word such as 'Workshop' or 'Module') cannot show an English label and is left out. Case is
    ignored: some labels print in capitals."""
    german = " ".join(text for message in catalogue("de") if message.id for text in forms(message.string))
    phrases = set()
    for message in catalogue("en"):
        for source in forms(message.id) if message.id else []:
            for piece in PLACEHOLDER.split(source)[::2]:
                piece = piece.strip(" .,:;()·?!")
                if sum(c.isalpha() for c in piece) >= 3 and not re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", german, re.I):
                    phrases.add(piece)
    return sorted(phrases)


def test_the_german_outputs_hold_no_english_label(german_build: Path) -> None:
    texts = output_texts(german_build)
    assert {"workbook.pdf", "guide.pdf", "handouts.pdf", "certificates.pdf", "slides.pptx", "web/index.html"} <= set(texts)
    assert any(name.endswith("-scorm12.zip") for name in texts) and any(name.endswith("-cmi5.zip") for name in texts)
    assert any(name.endswith("-cc13.imscc") for name in texts) and any(name.endswith("-questions.xml") for name in texts)
    phrases = english_phrases()
    assert len(phrases) > 200
    left = {(name, phrase) for name, text in texts.items() for phrase in phrases
            if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.I)}
    assert sorted(left) == []
    assert "Inhalt" in texts["workbook.pdf"] and "Seite 3 von" in texts["workbook.pdf"]
    assert "Teilnahmebescheinigung" in texts["certificates.pdf"] and "1. Januar 1970" in texts["certificates.pdf"]
    assert "Ihre nächsten Schritte" in texts["slides.pptx"] and "Antwort prüfen" in texts["web/index.html"]


def test_the_brands_footer_is_translated_with_the_german_course(german_build: Path) -> None:
    footer = load_course(REPO / "content").course.brand.footer
    german = "".join(piece for piece in pseudo_pieces((footer,)) if isinstance(piece, str))
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(german_build / "workbook.pdf").pages]
    assert not any(footer in page for page in pages)
    assert sum(" ".join(german.split()) in page for page in pages) >= len(pages) - 2  # all but the covers


def test_the_german_agenda_runs_on_a_24_hour_clock(german_build: Path) -> None:
    text = " ".join(page.extract_text() for page in PdfReader(german_build / "guide.pdf").pages[:4])
    assert "von 09:00 bis 16:40 Uhr" in text and "14:00–14:15" in text and not re.search(r"\d\s?[AP]M", text)


def test_every_german_page_slide_run_and_pdf_says_it_is_german(german_build: Path) -> None:
    for pdf in ("workbook.pdf", "guide.pdf", "handouts.pdf", "certificates.pdf"):
        assert str(PdfReader(german_build / pdf).trailer["/Root"]["/Lang"]) == "de"
    for page in (german_build / "web").rglob("*.html"):
        assert lxml_html.fromstring(page.read_bytes()).get("lang") == "de", page.name
    deck = Presentation(str(german_build / "slides.pptx"))
    runs = [run for slide in deck.slides for shape in slide.shapes if shape.has_text_frame
            for paragraph in shape.text_frame.paragraphs for run in paragraph.runs]
    assert runs and {run._r.get_or_add_rPr().get("lang") for run in runs} == {"de"}
