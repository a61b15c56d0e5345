"""Turning a government's task-decomposition document into a plan: rules, layouts, the report.

The layouts in this package are built from a few shared rules (see rules.py): headings,
numbered items, unit clauses in parentheses or on their own lines, tables, and document
metadata. Each layout combines them; `importer.import_document` picks one and returns an
ImportResult that writer.py turns into files.
"""
