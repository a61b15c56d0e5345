"""Supervision: the query language, lights, selections, rows, reports, the ledger and the circular."""
