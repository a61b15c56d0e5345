"""FilterResults: what each filter text matched in one selection, so that a text that only adds
terms to one already run filters that one's matches, not every task, and a text typed before
(a Backspace back to it) is answered at once.

Exact, not a guess from the text: a query without OR or parentheses is the AND of its terms,
so its matches are the tasks of any subset of its terms that also match the other terms. No
term is assumed to narrow as it grows (`a` matches titles only, `a1` titles and text).
"""

from __future__ import annotations

from duban.model import Task
from duban.supervise.query import parse
from duban.supervise.query_tokens import QueryError, tokenize
from duban.supervise.query_tree import Query
from duban.supervise.selection import Selection

KEPT = 64  # filter texts remembered; each holds at most a list of the plan's tasks


def terms_of(text: str) -> frozenset[str] | None:
    """The terms a query ANDs together, or None when it has OR or parentheses (then it is
    filtered whole)."""
    try:
        tokens = tokenize(text)
    except QueryError:
        return None
    if any(token.kind != "word" or token.text == "-" for token in tokens):
        return None
    return frozenset(token.text for token in tokens)


class FilterResults:
    """The matches of the filter texts run on `selection`, by their set of terms."""

    def __init__(self, selection: Selection) -> None:
        self.selection = selection
        self._found: dict[frozenset[str], list[Task]] = {}

    def filter(self, query: Query) -> list[Task]:
        """The tasks `query` (parsed and checked against the plans) matches, in the
        selection's order."""
        terms = terms_of(query.text)
        if terms is None:
            return query.filter(self.selection.tasks, self.selection)
        found = self._found.get(terms)
        if found is None:
            base, rest = self.selection.tasks, terms
            for known, tasks in self._found.items():
                if known <= terms and len(tasks) < len(base):
                    base, rest = tasks, terms - known
            # The terms left, parsed alone: a term means the same on its own as among others.
            matcher = parse(" ".join(sorted(rest))) if rest != terms else query
            found = matcher.filter(base, self.selection) if rest else list(base)
            if len(self._found) >= KEPT:
                del self._found[next(iter(self._found))]
            self._found[terms] = found
        return list(found)
