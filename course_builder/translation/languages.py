"""Which language codes exist: a code on the command line is checked against Babel's locale data.

A typo (`--language ge`, `--language german`, `--language pt-PR`) is caught before anything is
built, with the codes it may have meant. `qps`, the pseudo-language, is known too.
"""

from __future__ import annotations

import difflib
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.languages import get_official_languages
from babel.localedata import locale_identifiers

from course_builder.translation.pseudo import PSEUDO_LANGUAGE


def canonical_language(tag: str) -> str | None:
    """The tag as Babel spells it (`pt-br` → `pt-BR`) if Babel has data for it, `qps` as itself; None: unknown."""
    if tag == PSEUDO_LANGUAGE:
        return tag
    locale = _parsed(tag)
    # Babel also reads old aliases (`fre`, `ger`) as another code: the folder would not be named as the language is
    if locale is None or str(locale).lower() != tag.replace("-", "_").lower():
        return None
    return str(locale).replace("_", "-")


def closest_languages(tag: str, count: int = 3) -> list[str]:
    """Known codes a mistyped `tag` may stand for, each with its English name: `de (German)`."""
    names = _english_names()
    wanted = tag.strip().lower().replace("_", "-")
    by_name = {name.lower(): code for code, name in names.items()}
    alias = _parsed(wanted)
    country = get_official_languages(wanted.upper()) if len(wanted) == 2 else ()
    if wanted in by_name:
        found = [by_name[wanted]]
    elif alias is not None:
        found = [alias.language]
    elif country:  # a country's code for its language's: `dk` for Danish, `jp` for Japanese
        found = [code for code in country if code in names][:count]
    else:
        language, _, region = wanted.partition("-")
        if region and language in names:  # the language is right, the region is not: offer the language's own variants
            variants = {code.lower(): code for code in _tags() if code.lower().startswith(f"{language}-")}
            found = [language, *(variants[v] for v in difflib.get_close_matches(wanted, list(variants), count - 1, 0.5))]
        else:
            codes = difflib.get_close_matches(wanted, [*names, PSEUDO_LANGUAGE], count, 0.5)
            spelled = [by_name[n] for n in difflib.get_close_matches(wanted, list(by_name), count, 0.75)]
            found = list(dict.fromkeys(spelled + codes))[:count]
    names = {**names, PSEUDO_LANGUAGE: "the pseudo-language"}
    return [f"{code} ({names[code]})" if code in names else code for code in found]


def _parsed(tag: str) -> Locale | None:
    try:
        return Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError):
        return None


@cache
def _tags() -> tuple[str, ...]:
    return tuple(sorted(identifier.replace("_", "-") for identifier in locale_identifiers()))


@cache
def _english_names() -> dict[str, str]:
    """Every language Babel has data for (no region or script), by code, with its English name."""
    english = Locale("en").languages
    return {code: english[code] for code in _tags() if "-" not in code and code in english}
