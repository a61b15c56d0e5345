"""The access file, `access.yaml` at the repository's root: which account writes for which unit.

    accounts:
      duchake:   {role: office, name: 督查科}
      jrb-wang:  {role: unit, unit: 金融办, keys: ["ssh-ed25519 AAAA…"]}
    signing_required: [2019-changning]   # the plans whose reports must be signed

An account is the name the hosting gives the pusher (see hook.pusher). The office owns the file:
only an office account may change it, and the shared repository judges a push by the file as
it stands on the shared branch before the push, so no push can grant itself rights.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from duban import schemas
from duban.i18n import _
from duban.problems import Problem, RuleId

FILE = "access.yaml"
KIND = "access"
OFFICE = "office"
UNIT = "unit"
# The variables hostings set for a pushing account, in the order they are read: a forced
# command per SSH key (command="env DUBAN_ACCOUNT=… git-shell -c \"$SSH_ORIGINAL_COMMAND\""),
# gitolite, GitLab's server hooks, Gitea's. Where two are set they must agree.
ACCOUNT_VARIABLES = ("DUBAN_ACCOUNT", "GL_USER", "GL_USERNAME", "GITEA_PUSHER_NAME")


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    unit: str | None = None
    keys: tuple[str, ...] = ()

    @property
    def is_office(self) -> bool:
        return self.role == OFFICE


@dataclass
class Access:
    accounts: dict[str, Account] = field(default_factory=dict)
    signing_required: tuple[str, ...] = ()  # plan ids whose report commits must be signed

    def account(self, name: str) -> Account | None:
        return self.accounts.get(name)


def parse(text: str, shown: str = FILE) -> tuple[Access, list[Problem]]:
    """The access file's accounts, and its problems (a file with problems grants nothing)."""
    # Deferred: loads duban.store (8 duban modules in all; yaml) only when this runs
    from duban.store import yamlio

    try:
        doc = yamlio.load_fast(text, shown)
    except yamlio.YamlError as error:
        return Access(), [Problem(shown, error.message, error.rule, line=error.line, col=error.col)]
    problems = schemas.check(KIND, doc, shown)
    if problems:
        return Access(), problems
    accounts = {
        name: Account(name, entry["role"], entry.get("unit"), tuple(entry.get("keys", ())))
        for name, entry in doc["accounts"].items()
    }
    return Access(accounts, tuple(doc.get("signing_required", ()))), []


def check_file(root: Path) -> list[Problem]:
    """`duban validate`'s look at the access file, where the repository has one."""
    path = root / FILE
    if not path.is_file():
        return []
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [Problem(FILE, _("cannot read the access file: {reason}").format(reason=error), RuleId.IO)]
    rights, problems = parse(text)
    for index, plan_id in enumerate(rights.signing_required):
        if not (root / "plans" / plan_id / "plan.yaml").is_file():
            problems.append(
                Problem(
                    FILE,
                    _(
                        "signing_required names plan {plan}, which this repository does not have "
                        "(plans/{plan}/plan.yaml): write the plan's folder name"
                    ).format(plan=plan_id),
                    RuleId.MISSING_PLAN,
                    pointer=("signing_required", index),
                )
            )
    return _located(problems, text)


def _located(problems: list[Problem], text: str) -> list[Problem]:
    # Deferred: loads duban.store (10 duban modules in all; yaml) only when this runs
    from duban.store import yaml_positions

    return yaml_positions.locate_all(problems, {FILE: text}) if problems else []


def pusher(environment: dict[str, str] | Any) -> str | None:
    """The pushing account as the hosting names it, or None where none is set, or where two of
    the variables name different accounts (a variable a client smuggled in beside the hosting's)."""
    named = {value for value in ((environment.get(variable) or "").strip() for variable in ACCOUNT_VARIABLES) if value}
    return named.pop() if len(named) == 1 else None


# ---- this clone's account: whether what it records needs a reason ------------------------------

ACCOUNT_KEY = "duban.account"  # git config in a clone: the account it pushes as


def _config(root: Path, key: str) -> str:
    # Deferred: loads subprocess only when this runs
    import subprocess

    result = subprocess.run(
        ["git", "config", "--get", key], cwd=root, capture_output=True, text=True, encoding="utf-8", errors="replace"
    )
    return result.stdout.strip() if result.returncode == 0 else ""


def _signing_key(root: Path) -> str:
    """The public key this clone signs with (user.signingkey: `key::…`, a .pub file, or a private
    key beside its .pub), as "type base64", or ""."""
    value = _config(root, "user.signingkey")
    if value.startswith("key::"):
        text = value.removeprefix("key::")
    elif value:
        path = Path(value).expanduser()
        path = path if path.suffix == ".pub" else path.with_name(path.name + ".pub")
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            return ""
    else:
        return ""
    return " ".join(text.split()[:2])


def clone_account(root: Path) -> Account | None:
    """The account of the access file (in the work tree) this clone pushes as: the one git config
    duban.account names, else the one whose key is the clone's signing key; None where unknown."""
    try:
        rights, problems = parse((root / FILE).read_text("utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
    if problems:
        return None
    named = _config(root, ACCOUNT_KEY)
    if named:
        return rights.account(named)
    key = _signing_key(root)
    if key:
        return next(
            (
                account
                for account in rights.accounts.values()
                if any(" ".join(k.split()[:2]) == key for k in account.keys)
            ),
            None,
        )
    return None


def reason_needed(root: Path, unit: str | None, mine: str | None = None) -> bool:
    """Whether the guard will ask a reason (a `Reason:` trailer: the paper or form it came from) of
    a report of `unit` recorded in this clone: where the repository has an access file and the
    clone pushes as the office; where its account is unknown, when it records for a unit other
    than its own (`mine`, the TUI's "my unit"), which only the office may do."""
    if not (root / FILE).is_file() or not unit:
        return False
    account = clone_account(root)
    if account is not None:
        return account.is_office
    # Deferred: loads duban.reading (2 duban modules in all) only when this runs
    from duban.reading import normalise_unit_name

    return bool(mine) and normalise_unit_name(mine or "") != normalise_unit_name(unit)
