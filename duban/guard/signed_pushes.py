"""Who signed a pushed commit: the account of the access file whose key signed it, and why a
report commit is not signed by the pusher's account or, relayed by the office, by its unit's
or the office's."""

from __future__ import annotations

import tempfile
from collections.abc import Callable

from duban.guard import access as access_file
from duban.guard.received import ReceivingGit
from duban.i18n import _
from duban.reading import normalise_unit_name


def why_not_signed(
    git: ReceivingGit,
    rights: access_file.Access,
    account: access_file.Account,
    commit: str,
    plan_id: str,
    known: dict[str, str],
) -> str:
    """Why the commit is not signed by one of the pusher's (`account`'s) keys in the access file,
    or ""; `known` keeps the answer for each commit."""
    if not account.keys:  # the plan requires signing (see the caller), and nothing can sign
        return _(
            "plan {plan} requires signed reports and account {account} has no key in access.yaml: the office "
            "adds the account's SSH public key (keys:), and its clone signs (git config gpg.format ssh; "
            "git config user.signingkey ~/.ssh/id_ed25519.pub; git config commit.gpgsign true)"
        ).format(plan=plan_id, account=account.name)
    if commit not in known:
        status, signer = signer_of(git, rights, commit)
        if status == "N" or not status:
            why = _(
                "account {account} has a signing key in the access file: its reports must be signed "
                "(git config commit.gpgsign true, gpg.format ssh, user.signingkey)"
            ).format(account=account.name)
        elif status != "G" or signer != account.name:
            why = _("the commit is not signed by a key of account {account} (signed by: {signer})").format(
                account=account.name, signer=signer or "?"
            )
        else:
            why = ""
        known[commit] = why
    return known[commit]


def signer_of(git: ReceivingGit, rights: access_file.Access, commit: str) -> tuple[str, str]:
    """git's signature status of the commit (%G?: G good, N none…) and the account whose key
    in the access file signed it."""
    lines = [f'{account.name} namespaces="git" {key}' for account in rights.accounts.values() for key in account.keys]
    with tempfile.NamedTemporaryFile("w", suffix=".allowed", encoding="utf-8") as allowed:
        allowed.write("\n".join(lines) + "\n")
        allowed.flush()
        shown = git.run(
            "-c", f"gpg.ssh.allowedSignersFile={allowed.name}", "log", "-1", "--format=%G?%x1f%GS", commit, check=False
        ).stdout.strip()
    status, _sep, signer = shown.partition("\x1f")
    return status, signer


def why_relay_not_signed(
    git: ReceivingGit,
    rights: access_file.Access,
    commit: str,
    plan_id: str,
    touched: set[str],
    units: Callable[[str], str],
) -> str:
    """A report commit the office relays, where signing is in use (the plan requires it, or an
    account of a unit it touches has keys): why it is not signed by the office or by an account
    of the units whose reports it touches, or "". The bundle's account is only a claim; the
    signature is what proves who wrote the report."""
    holders = [
        account
        for account in rights.accounts.values()
        if account.unit and normalise_unit_name(units(account.unit)) in touched
    ]
    if plan_id not in rights.signing_required and not any(account.keys for account in holders):
        return ""
    status, signer = signer_of(git, rights, commit)
    account = rights.account(signer) if status == "G" else None
    if account is not None and (account.is_office or account in holders):
        return ""
    return _(
        "the report is not signed by a key of its unit's accounts or the office's (signed by: {signer}): "
        "a bundle's account is only a claim, the signature is the proof"
    ).format(signer=signer if status == "G" else "-")


# ---- seals ---------------------------------------------------------------------------------
