"""A markdown-it-py block rule for Pandoc-style fenced divs (`::: {.name #id key=value}`).

mdit-py-plugins' container plugin closes a div at the first fence of equal length, which
breaks Pandoc's nesting (`:::` inside `:::`). This rule counts openings and closings the way
Pandoc does: a fence with attributes opens, a bare fence closes the innermost open div.
Code fences inside a div are skipped so examples in code are never mistaken for blocks.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

MIN_COLONS = 3


def _fence_at(state: StateBlock, line: int) -> tuple[int, str] | None:
    """(number of colons, text after them) when the line is a colon fence, else None."""
    start = state.bMarks[line] + state.tShift[line]
    end = state.eMarks[line]
    if state.sCount[line] - state.blkIndent >= 4:
        return None
    count = 0
    while start + count < end and state.src[start + count] == ":":
        count += 1
    if count < MIN_COLONS:
        return None
    return count, state.src[start + count : end].strip()


def _is_code_fence(state: StateBlock, line: int) -> bool:
    start = state.bMarks[line] + state.tShift[line]
    text = state.src[start : state.eMarks[line]]
    return text.startswith("```") or text.startswith("~~~")


def _fenced_div(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    opening = _fence_at(state, start_line)
    if opening is None or not opening[1]:
        return False
    if silent:
        return True

    depth, line, closed, in_code = 1, start_line, False, False
    while True:
        line += 1
        if line >= end_line:
            break
        text_start = state.bMarks[line] + state.tShift[line]
        if text_start < state.eMarks[line] and state.sCount[line] < state.blkIndent:
            break
        if _is_code_fence(state, line):
            in_code = not in_code
            continue
        fence = None if in_code else _fence_at(state, line)
        if fence is None:
            continue
        depth += 1 if fence[1] else -1
        if depth == 0:
            closed = True
            break

    old_parent, old_line_max = state.parentType, state.lineMax
    state.parentType = "fenced_div"
    state.lineMax = line

    token = state.push("fenced_div_open", "div", 1)
    token.markup = ":" * opening[0]
    token.block = True
    token.info = opening[1]
    token.map = [start_line, line]
    token.meta = {"closed": closed}

    state.md.block.tokenize(state, start_line + 1, line)

    token = state.push("fenced_div_close", "div", -1)
    token.block = True

    state.parentType, state.lineMax = old_parent, old_line_max
    state.line = line + (1 if closed else 0)
    return True


def fenced_div_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before(
        "fence",
        "fenced_div",
        _fenced_div,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
