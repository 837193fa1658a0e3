"""participants.csv: the people taking part, for named workbooks and certificates of attendance.

Optional. One row per person with a `name` column (and `organisation`, `email` if wanted), as
a spreadsheet program saves it. Problems name the file and the row's line.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from course_builder.errors import Problems
from course_builder.model import Participant

PARTICIPANTS_FILE = "participants.csv"
COLUMNS = ("name", "organisation", "email")
SAVE_AS_UTF8 = "save it again as 'CSV UTF-8' (Excel: File › Save As › CSV UTF-8; Numbers and LibreOffice: Unicode UTF-8)"


def load_participants(root: Path, problems: Problems) -> tuple[Participant, ...]:
    file = root / PARTICIPANTS_FILE
    if not file.is_file():
        return ()
    data = file.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        problems.error(file, line, "this line is not UTF-8 text, so names with accents would come out wrong", SAVE_AS_UTF8)
        return ()
    rows = csv.reader(io.StringIO(text, newline=""), separator_of(text))
    header = [cell.strip().lower() for cell in next(rows, [])]
    if "name" not in header:
        problems.error(file, 1, "the first line has no 'name' column", f"start the file with a header line: {','.join(COLUMNS)}")
        return ()
    unknown = [column for column in header if column and column not in COLUMNS]
    if unknown:
        problems.warn(file, 1, f"the column '{unknown[0]}' is not used", f"the columns read are {', '.join(COLUMNS)}")
    participants: list[Participant] = []
    for row in rows:
        line = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        values = {column: cell.strip() for column, cell in zip(header, row, strict=False) if column in COLUMNS}
        if not values.get("name"):
            hint = "write the participant's name in the 'name' column, or delete the row"
            problems.error(file, line, "this row has no name", hint)
            continue
        participants.append(Participant(name=values["name"], organisation=values.get("organisation") or None,
                                        email=values.get("email") or None, line=line))
    stems: dict[str, Participant] = {}
    for person in participants:
        if person.file_stem in stems:
            other = stems[person.file_stem]
            problems.error(file, person.line, f"'{person.name}' is listed twice (also on line {other.line})",
                           "delete one row, or tell the two apart (e.g. add an initial)")
        stems.setdefault(person.file_stem, person)
    return tuple(participants)


def separator_of(text: str) -> type[csv.Dialect] | csv.Dialect:
    """Commas, or the semicolons and tabs spreadsheets use in some countries; a one-column file has none."""
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return csv.excel
