"""The signature of a form's hidden block: an HMAC-SHA256 under a key that only the office's
clone holds (`.git/duban-forms.key`, made on the first `duban forms`, never committed).

A form travels by e-mail and USB stick through people who can unhide a sheet; the signature
makes the block's words (plan, period, unit, tasks, what each fixed cell held) the office's,
so a form cannot be turned into another unit's or another period's. The input cells are not
signed: they are the unit's to fill. Forms are collected in the clone that wrote them, or in
one the key file was copied to."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from duban.errors import DubanError
from duban.i18n import _
from duban.store.repository import Repository

KEY_FILE = "duban-forms.key"


def key_path(repo: Repository) -> Path:
    return repo.git.git_dir() / KEY_FILE


def office_key(repo: Repository, create: bool = False) -> bytes:
    """The office's signing key; made (random, readable by the owner only) when `create`."""
    path = key_path(repo)
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        if not create:
            raise DubanError(
                _("this clone holds no key to check forms with ({path})").format(path=path),
                hint=_(
                    "collect the forms in the clone that wrote them, or copy that clone's "
                    "{name} into this one's .git folder"
                ).format(name=KEY_FILE),
            ) from None
        text = secrets.token_hex(32)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as stream:
            stream.write(text + "\n")
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise DubanError(_("{path} is not a key duban wrote").format(path=path)) from None


def canonical(rows: list[list[str]]) -> bytes:
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign(rows: list[list[str]], key: bytes) -> str:
    return hmac.new(key, canonical(rows), hashlib.sha256).hexdigest()


def verify(rows: list[list[str]], signature: str, key: bytes) -> bool:
    return hmac.compare_digest(sign(rows, key), signature.strip().lower())


def form_id(rows: list[list[str]]) -> str:
    """The form's identity in the record (the Form-id trailer): the same for the form as
    written and for every copy of it sent back, filled or corrected."""
    return hashlib.sha256(canonical(rows)).hexdigest()[:20]
