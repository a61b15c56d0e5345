"""The ledger (台账) as an office prints it: a title row, 截至 date and 编制单位, then the plan's
tasks in the source table's layout with 完成进度, the light, the status in Chinese, one column
per reporting month with that month's report, and 存在问题/下步计划 where reports carry them.

xlsx: landscape A4 or A3 (the scores sheet portrait), fit to width, header row repeated on every page, row heights fitted
to the wrapped text, every text cell stored as text (never a formula), plus a sheet of the
units' scores. CSV (safe from formula injection), Markdown and HTML (escaped) carry the same
columns. Text from outside (titles, notes, names) is cleaned of control characters here.
"""
