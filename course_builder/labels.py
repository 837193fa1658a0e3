"""The fixed words every output prints, in the course's language, and how that language writes
clock times, dates, numbers and which paper it prints on.

The words come from gettext catalogues shipped as `.po` sources in `course_builder/locale/<lang>/
LC_MESSAGES/messages.po` and compiled in memory on first use (no `.mo` to keep in step, nothing
in the wheel but text). The source strings are English; `messages.pot` is extracted from the
templates and this package by `scripts/extract-messages.sh`. The label language is the course's
language (`course.settings.language`, which a translated build sets to the target language);
a language without a catalogue falls back to English, with one warning from `language_problems`.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, time
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

from course_builder.errors import Problem
from course_builder.resources import PACKAGE_DIR
from course_builder.translation.inline import Code
from course_builder.translation.pseudo import PSEUDO_LANGUAGE, pseudo_pieces

if TYPE_CHECKING:
    from course_builder.model import Course
    from course_builder.views import CourseView

LOCALE_DIR = PACKAGE_DIR / "locale"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"

FORMAT_LOCALES = {"en": "en_GB", PSEUDO_LANGUAGE: "en_GB"}
"""Bare `en` is written as in Britain and most of the world (24-hour clock, day before month, A4);
`en-US` gives the American forms."""

LETTER_TERRITORIES = frozenset({"US", "CA", "MX", "BZ", "CL", "CO", "CR", "GT", "NI", "PA", "PH", "PR", "SV", "VE"})
"""Territories that print on US Letter (CLDR's supplemental paperSize data); everywhere else uses A4."""


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def available_languages() -> list[str]:
    """Every language with a label catalogue, as the folder names spell them."""
    return sorted(p.name for p in LOCALE_DIR.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.po").is_file())


def catalogue_language(language: str) -> str | None:
    """The catalogue for a course language: its own (`pt_BR`), else its base language's (`pt`)."""
    tag = language.replace("-", "_")
    for candidate in (tag, tag.split("_")[0].lower()):
        if catalogue_path(candidate).is_file():
            return candidate
    return None


@cache
def _translations(catalogue: str) -> Translations:
    with catalogue_path(catalogue).open("rb") as source:
        parsed = read_po(source, locale=catalogue.replace("-", "_"))
    return _compiled(parsed)


@cache
def _pseudo_translations() -> Translations:
    """The `qps` labels: the English ones accented and lengthened like the course's own text, so a
    coach sees where a longer language's labels overflow."""
    with catalogue_path(SOURCE_LANGUAGE).open("rb") as source:
        parsed = read_po(source, locale=SOURCE_LANGUAGE)
    for message in parsed:
        if message.id:
            message.string = [pseudo_label(text) for text in message.id] if message.pluralizable else pseudo_label(message.id)
    return _compiled(parsed)


PLURAL_RULE = re.compile(r"plural=(?P<rule>[\sn0-9()?:<>=!&|%]+);?\s*$")
"""Only arithmetic on n: the rule is written into a page's script."""

LABEL_CODE = re.compile(r"(%\(\w+\)[sd]|</?\w+>)")


def pseudo_label(text: str) -> str:
    """A label in the pseudo-language; its placeholders and tags are kept as they are."""
    pieces = tuple(Code(str(n), part, "ph", "placeholder") if n % 2 else part
                   for n, part in enumerate(LABEL_CODE.split(text)) if part)
    return "".join(piece.markup if isinstance(piece, Code) else piece for piece in pseudo_pieces(pieces))


def _compiled(parsed: Catalog) -> Translations:
    compiled = io.BytesIO()
    write_mo(compiled, parsed, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def format_locale(language: str) -> Locale:
    """The Babel locale whose conventions the outputs follow; English's when the language is unknown to CLDR."""
    try:
        return Locale.parse(FORMAT_LOCALES.get(language, language), sep="-" if "-" in language else "_")
    except (UnknownLocaleError, ValueError):
        return Locale.parse(FORMAT_LOCALES[SOURCE_LANGUAGE])


@dataclass(frozen=True)
class Labels:
    """A language's labels and formats, handed to every target and template."""

    language: str
    translations: Translations
    locale: Locale

    def gettext(self, message: str, **values: object) -> str:
        text = self.translations.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, count: int, **values: object) -> str:
        return self.translations.ngettext(singular, plural, count) % {"num": count, **values}

    def pgettext(self, context: str, message: str, **values: object) -> str:
        text = self.translations.pgettext(context, message)
        return text % values if values else text

    @property
    def plural_rule(self) -> str:
        """The catalogue's plural rule (its Plural-Forms header, a C expression of `n` that JavaScript reads as it is),
        so a page that counts in the browser picks the same plural form as the labels printed here."""
        header = self.translations.info().get("plural-forms", "")
        match = PLURAL_RULE.search(header)
        return match["rule"].strip() if match else "(n != 1)"

    @property
    def plural_samples(self) -> list[int]:
        """One number per plural form of the catalogue, in form order: the page asks `ngettext` for each form with it."""
        samples: dict[int, int] = {}
        for number in [*range(200), *(10**power for power in range(3, 10))]:
            samples.setdefault(self.translations.plural(number), number)
        return [samples[form] for form in sorted(samples)]

    def time(self, moment: time) -> str:
        """A clock time: 09:30 in most of the world, 9:30 AM in the US."""
        return format_time(moment, "short", locale=self.locale)

    def time_range(self, start: time, end: time) -> str:
        return f"{self.time(start)}–{self.time(end)}"

    def date(self, day: date) -> str:
        """A day written out: '1 December 2026', '1. Dezember 2026', 'December 1, 2026'."""
        return format_date(day, "long", locale=self.locale)

    def number(self, value: float) -> str:
        """A number with the language's separators: 1,500 in English, 1.500 in German."""
        return format_decimal(value, locale=self.locale)

    @property
    def paper(self) -> str:
        """The paper this locale prints on when neither the course nor the build says: letter or a4."""
        return "letter" if self.locale.territory in LETTER_TERRITORIES else "a4"

    def short_duration(self, minutes: int) -> str:
        """A length of time as people say it: "45 min", "2 h", "6 h 25 min"."""
        hours, rest = divmod(minutes, 60)
        if not hours:
            return self.gettext("%(minutes)s min", minutes=rest)
        if not rest:
            return self.gettext("%(hours)s h", hours=hours)
        return self.gettext("%(hours)s h %(minutes)s min", hours=hours, minutes=f"{rest:02d}")

    def grouping(self, grouping: str) -> str:
        """How an activity is done, as a chip says it: 'Pairs', 'Small groups'."""
        names = {"solo": self.gettext("Solo"), "pairs": self.gettext("Pairs"), "trios": self.gettext("Trios"),
                 "small-groups": self.gettext("Small groups"), "whole-group": self.gettext("Whole group")}
        return names.get(grouping, grouping)

    def grouping_in_sentence(self, grouping: str) -> str:
        """The same inside a sentence or after a title: '(pairs)', '(small groups)'."""
        names = {"solo": self.pgettext("in a sentence", "solo"), "pairs": self.pgettext("in a sentence", "pairs"),
                 "trios": self.pgettext("in a sentence", "trios"),
                 "small-groups": self.pgettext("in a sentence", "small groups"),
                 "whole-group": self.pgettext("in a sentence", "whole group")}
        return names.get(grouping, grouping)

    def minutes(self, count: int) -> str:
        return self.ngettext("%(num)d minute", "%(num)d minutes", count)

    def duration(self, minutes: int) -> str:
        """A length of time in words: '6 hours 15 minutes', '1 hour'."""
        hours, rest = divmod(minutes, 60)
        parts = [self.ngettext("%(num)d hour", "%(num)d hours", hours)] if hours else []
        return " ".join(parts + ([self.minutes(rest)] if rest or not hours else []))


@cache
def labels_for(language: str) -> Labels:
    """The labels of `language`: its catalogue, else English's (see `language_problems` for the warning)."""
    if language == PSEUDO_LANGUAGE:
        return Labels(language, _pseudo_translations(), format_locale(language))
    catalogue = catalogue_language(language) or SOURCE_LANGUAGE
    return Labels(language, _translations(catalogue), format_locale(language))


def labels_of(course: Course | CourseView) -> Labels:
    return labels_for(course.settings.language)


def language_problems(course: Course) -> list[Problem]:
    """One warning when the course's language has no label catalogue: its outputs print English labels."""
    language = course.settings.language
    if language == PSEUDO_LANGUAGE or catalogue_language(language) is not None:
        return []
    return [Problem(course.root / "course.yaml", None,
                    f"there are no built-in labels in '{language}' (headings such as 'Contents', buttons, page numbers): "
                    "they are printed in English",
                    f"use one of {', '.join(available_languages())}, or add course_builder/locale/{language}/LC_MESSAGES/"
                    f"{DOMAIN}.po (see docs/translation.md)", severity="warning")]
