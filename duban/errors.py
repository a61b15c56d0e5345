"""duban's own error type: every expected failure is one of these, with a place and a hint."""

from __future__ import annotations


class DubanError(Exception):
    """A failure the user can act on: says where (path:line:col) and what to do."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        col: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.col = col
        self.hint = hint

    @property
    def where(self) -> str:
        """`path:line:col`, as much of it as is known (1-based)."""
        parts = [p for p in (self.path, self.line, self.col) if p is not None]
        return ":".join(str(p) for p in parts)

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text} ({self.hint})" if self.hint else text


class RepositoryNotFound(DubanError):
    """No plan repository at or above the starting directory."""


class UnknownRef(DubanError):
    """A task or plan reference that names nothing, or more than one thing."""
