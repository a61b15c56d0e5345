"""The digest that keys every cache entry: of a file's bytes, and of a folder's files."""

from __future__ import annotations

from collections.abc import Iterable

try:  # hashlib's own import loads OpenSSL (2.5 ms a process), which blake2b does not need
    from _blake2 import blake2b
except ImportError:  # another Python implementation
    from hashlib import blake2b


def digest(data: bytes) -> bytes:
    return blake2b(data, digest_size=16).digest()


def files_key(named_digests: Iterable[tuple[str, bytes]]) -> bytes:
    """A hash of a folder's files by name and content digest, in whatever order they come."""
    return digest(b"\0".join(sorted(name.encode() + b"\0" + key for name, key in named_digests)))
