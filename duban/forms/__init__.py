"""Report forms: a unit reports without installing anything. `duban forms` writes one .xlsx per
unit for a reporting period (writer.py, from contents.py); the unit fills it in Excel, WPS or
LibreOffice and sends it back; `duban collect` reads it (reader.py), checks it against the
repository and records each filled row through the same path as `duban progress` (collect.py).
A hidden block signed with the office's key (signing.py) says which plan, period, unit and
tasks the form was written for, and what every cell outside the input area held."""
