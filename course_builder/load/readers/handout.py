"""The `handout` block, inside an activity: a card set, worksheet, checklist or tally sheet to print.

Cards, checklist lines and tally rows are a bullet list (a card's back is a quote under it);
a worksheet's fields are `###` headings, each with an optional prompt below it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, get_args

from markdown_it.tree import SyntaxTreeNode

from course_builder.model import CopiesPer, Handout, HandoutField, HandoutForm, HandoutItem

if TYPE_CHECKING:
    from course_builder.load.markdown_module import Attributes, ModuleReader

FORMS = get_args(HandoutForm)
COPIES = get_args(CopiesPer)
LISTED_FORMS = ("cards", "checklist", "tally")


def read_handout(reader: ModuleReader, node: SyntaxTreeNode, attrs: Attributes) -> Handout | None:
    form, copies = str(attrs["form"]), str(attrs.get("copies", "participant"))
    if form not in FORMS:
        reader.error(node, f"form={form} is not a kind of handout", f"use one of: {', '.join(FORMS)}")
        return None
    if copies not in COPIES:
        reader.error(node, f"copies={copies} says nothing about how many to print", f"use one of: {', '.join(COPIES)}")
        return None
    children = list(node.children)
    if form in LISTED_FORMS:
        lists = [c for c in children if c.type == "bullet_list"]
        intro = [c for c in children if c.type != "bullet_list"]
        items = tuple(_item(reader, li) for lst in lists for li in lst.children)
        fields: tuple[HandoutField, ...] = ()
        if not items:
            reader.error(node, f"the {form} handout has no items", "write one '- ' line per card, checklist line or row")
            return None
    else:
        first = next((i for i, c in enumerate(children) if c.type == "heading"), len(children))
        intro, items = children[:first], ()
        fields = _fields(reader, children[first:], int(attrs.get("lines", 4)))
        if not fields:
            reader.error(node, "the worksheet has no fields", "write one '### Label' heading per space to write in")
            return None
    columns = tuple(c.strip() for c in str(attrs.get("columns", "")).split(";") if c.strip())
    if form == "tally" and not columns:
        reader.error(node, "the tally sheet has no columns", 'add columns="First; Second" inside the braces')
        return None
    return Handout(
        source=reader.ref(node),
        id=str(attrs.get("id") or reader.next_id("handout")),
        title=str(attrs["title"]),
        form=form,  # type: ignore[arg-type]
        copies=copies,  # type: ignore[arg-type]
        intro=reader.raw(intro),
        items=items,
        fields=fields,
        columns=columns,
        keep=bool(attrs.get("keep", False)),
    )


def _item(reader: ModuleReader, item: SyntaxTreeNode) -> HandoutItem:
    back = "\n\n".join(
        reader.inline_source(p) for quote in item.children if quote.type == "blockquote" for p in quote.children
        if p.type == "paragraph"
    )
    return HandoutItem(text=reader.item_source(item), back=back or None)


def _fields(reader: ModuleReader, nodes: list[SyntaxTreeNode], lines: int) -> tuple[HandoutField, ...]:
    fields: list[HandoutField] = []
    for node in nodes:
        if node.type == "heading":
            fields.append(HandoutField(label=reader.inline_text(node), lines=lines))
        elif fields:
            prompt = "\n\n".join(filter(None, [fields[-1].prompt, reader.raw([node])]))
            fields[-1] = fields[-1].model_copy(update={"prompt": prompt})
    return tuple(fields)
