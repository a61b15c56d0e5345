"""What git prints, read: `git log` in duban's format into Commits, and `git cat-file --batch`
into the objects' bytes (duban.store.gitstore runs git)."""

from __future__ import annotations

from dataclasses import dataclass, field

# A unit separator and a record separator: characters that never occur in commit metadata.
FIELD = "\x1f"
RECORD = "\x1e"

# The record separator leads, so a commit's file names or patch (printed after the
# formatted part) stay in the same record.
LOG_FORMAT = (
    RECORD + FIELD.join(["%H", "%an", "%ae", "%aI", "%s", "%b"]) + FIELD + "%(trailers:unfold,only,separator=%x1d)"
)


@dataclass
class Commit:
    sha: str
    author: str
    email: str
    date: str  # ISO 8601 with offset (author date)
    subject: str
    body: str = ""
    trailers: dict[str, str] = field(default_factory=dict)
    paths: list[str] = field(default_factory=list)
    patch: str = ""
    sets: list[str] = field(default_factory=list)  # every `Set:` trailer (a set may change several fields)


def parse_log(text: str, patch: bool) -> list[Commit]:
    """The commits of a `git log --format=LOG_FORMAT` (with -p, or --name-only -z)."""
    commits = []
    for record in text.split(RECORD):
        if not record.strip():
            continue
        parts = record.split(FIELD)
        if len(parts) < 7:
            continue
        sha, author, email, date, subject, body, rest = parts[:7]
        # -p: the patch follows the formatted part's line; --name-only -z: a NUL ends the
        # formatted part, and each name that follows (after a newline)
        trailer_text, _end, tail = rest.partition("\n" if patch else "\0")
        trailers: dict[str, str] = {}
        sets: list[str] = []
        for item in trailer_text.split("\x1d"):
            key, sep, value = item.partition(":")
            if sep:
                trailers[key.strip()] = value.strip()
                if key.strip() == "Set":
                    sets.append(value.strip())
        commit = Commit(
            sha=sha.strip(),
            author=author,
            email=email,
            date=date,
            subject=subject,
            body=_without_trailers(body.strip(), trailers),
            trailers=trailers,
            sets=sets,
        )
        if patch:
            commit.patch = tail.strip("\n")
        else:
            commit.paths = [name for name in tail.removeprefix("\n").split("\0") if name]
        commits.append(commit)
    return commits


def _without_trailers(body: str, trailers: dict[str, str]) -> str:
    """The body with its closing trailer paragraph removed."""
    if not trailers:
        return body
    head, _gap, last = body.rpartition("\n\n")
    if all(":" in line for line in last.splitlines() if line.strip()):
        return head.strip()
    return body


def batch_blobs(data: bytes, count: int) -> list[bytes | None]:
    """Split `git cat-file --batch` output into object contents (None for a missing object)."""
    blobs: list[bytes | None] = []
    offset = 0
    for _blob in range(count):
        header_end = data.index(b"\n", offset)
        header = data[offset:header_end].split()
        if header[-1] == b"missing":
            blobs.append(None)
            offset = header_end + 1
            continue
        size = int(header[2])
        start = header_end + 1
        blobs.append(data[start : start + size])
        offset = start + size + 1
    return blobs
