"""One course in many languages: translation units, XLIFF and PO files, translated models, pseudo-localisation.

`units.py` lists what a translator translates; `inline.py` locks Markdown markup into inline
codes; `xliff.py` and `po.py` write and read the exchange files; `apply.py` puts a language's
translations into the model for a build and measures coverage; `pseudo.py` makes the `qps`
pseudo-language; `cli.py` is the `course-builder translate` command group.
"""
