#!/bin/sh
# Re-extract the fixed labels of every output into course_builder/locale/messages.pot, then
# bring each language's catalogue in line with it (new labels appear untranslated; the tests
# in tests/test_labels.py fail until every one is translated). Run from the repository root.
set -e
python -m babel.messages.frontend extract --no-location --sort-output --omit-header -F babel.cfg \
    -k _ -k gettext -k ngettext:1,2 -k pgettext:1c,2 -o course_builder/locale/messages.pot .
python -m babel.messages.frontend update --no-fuzzy-matching --ignore-obsolete \
    -i course_builder/locale/messages.pot -d course_builder/locale -D messages
