"""The JOIN4ATMP "ATMP cover sheet": its label catalogue, a tolerant reader and a writer.

* ``catalogue``: the sections and row labels of the template, each mapped to a
  model field, with the spellings real sheets use.
* ``reader``: a workbook -> ``ParsedSheet`` (rows with their section, label,
  matched field and non-empty cells), with per-row/column messages.
* ``writer``: a product -> a workbook in the template layout.
"""
