"""One reader per fenced block kind, each `read_<kind>(module_reader, node, attributes)`.

The block registry (`course_builder.blocks`) names the reader of each kind; the attributes it
receives were already checked against the kind's declaration (unknown, missing and mistyped
ones are reported before the reader runs).
"""
