"""`duban guard` behind a real OpenSSH server on 127.0.0.1: one key per account, each with a forced
command that sets DUBAN_ACCOUNT and runs git-shell, as docs/guide/access.md describes. Skipped, with the install
command, where sshd is missing; runs as root (sshd's privilege separation) or is skipped."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

from duban.guard.server import init_server
from duban.record.recording import record_progress
from duban.store.repository import Repository
from tests.core.guard.support import ACCESS, TASK1
from tests.support import GIT_ENV, git

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"
pytestmark = [
    pytest.mark.skipif(
        not os.path.exists(SSHD) or not shutil.which("git-shell"),
        reason="needs OpenSSH's server and git-shell: apt-get install -y openssh-server git",
    ),
    pytest.mark.skipif(os.geteuid() != 0, reason="sshd here runs as root (privilege separation needs it)"),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _key(folder: Path, name: str) -> tuple[Path, str]:
    path = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(path)], check=True)
    return path, (folder / f"{name}.pub").read_text().strip()


def _sshd(tmp_path: Path, forced: str) -> Generator[dict[str, object], None, None]:
    """sshd on 127.0.0.1 with a key per account, each forced to `forced` with {account} filled in."""
    keys = tmp_path / "keys"
    keys.mkdir()
    host, _host_public = _key(keys, "host")
    lines, identities = [], {}
    for account in ("duchake", "jrb-wang"):
        private, public = _key(keys, account)
        identities[account] = private
        lines.append(f'command="{forced.format(account=account)}",restrict {public}')
    authorized = keys / "authorized_keys"
    authorized.write_text("\n".join(lines) + "\n")
    authorized.chmod(0o600)
    port = _free_port()
    config = tmp_path / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {host}\nAuthorizedKeysFile {authorized}\n"
        f"PidFile {tmp_path / 'sshd.pid'}\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\nLogLevel ERROR\n"
    )
    Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege separation directory
    process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE, text=True)
    try:
        for _attempt in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield {"port": port, "identities": identities, "known": tmp_path / "known_hosts"}
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[dict[str, object]]:
    yield from _sshd(tmp_path, 'DUBAN_ACCOUNT={account} git-shell -c \\"$SSH_ORIGINAL_COMMAND\\"')


def _env(server: dict[str, object], account: str, language: str = "en") -> dict[str, str]:
    identities = server["identities"]
    assert isinstance(identities, dict)
    command = (
        f"ssh -F /dev/null -i {identities[account]} -o IdentitiesOnly=yes -o BatchMode=yes "
        f"-o StrictHostKeyChecking=no -o UserKnownHostsFile={server['known']} "
        "-o SetEnv=DUBAN_ACCOUNT=duchake"
    )  # a unit trying to name itself the office: the forced command wins
    env = {**os.environ, **GIT_ENV, "GIT_SSH_COMMAND": command, "DUBAN_LANG": language}
    env.pop("DUBAN_ACCOUNT", None)
    return env


@pytest.mark.slow
def test_ssh_forced_commands_name_the_pusher(server: dict[str, object], git_repo: Path, tmp_path: Path) -> None:
    bare = tmp_path / "shared.git"
    init_server(bare, ("duchake",))
    url = f"ssh://root@127.0.0.1:{server['port']}{bare}"
    (git_repo / "access.yaml").write_text(ACCESS, "utf-8")
    git(git_repo, "add", "access.yaml")
    git(git_repo, "commit", "-q", "-m", "access")
    # Before the access file is on the shared branch, a unit's key may not push; the office's may.
    early = subprocess.run(
        ["git", "push", url, "main"], cwd=git_repo, capture_output=True, text=True, env=_env(server, "jrb-wang")
    )
    # In Chinese: sshd passes no DUBAN_LANG to the hook.
    assert early.returncode != 0 and "已拒绝" in early.stderr and "duchake" in early.stderr, early.stderr
    first = subprocess.run(
        ["git", "push", url, "main"], cwd=git_repo, capture_output=True, text=True, env=_env(server, "duchake")
    )
    assert first.returncode == 0, first.stderr
    unit = tmp_path / "jrb"
    subprocess.run(["git", "clone", "-q", url, str(unit)], check=True, env=_env(server, "jrb-wang"))
    record_progress(Repository(unit), "2019-changning/1", 20, by="金融办", date="2019-03-20")
    own = subprocess.run(
        ["git", "push", "origin", "HEAD:main"], cwd=unit, capture_output=True, text=True, env=_env(server, "jrb-wang")
    )
    assert own.returncode == 0, own.stderr
    record_progress(Repository(unit), "2019-changning/1", 30, by="商务委", date="2019-03-21")
    before = git(bare, "rev-parse", "main")
    other = subprocess.run(
        ["git", "push", "origin", "HEAD:main"],
        cwd=unit,
        capture_output=True,
        text=True,
        env=_env(server, "jrb-wang", "zh"),
    )
    assert other.returncode != 0
    assert (
        "已拒绝" in other.stderr and "商务委" in other.stderr and TASK1 in other.stderr and "jrb-wang" in other.stderr
    )
    assert git(bare, "rev-parse", "main") == before


GITOLITE_SHELL = "/usr/share/gitolite3/gitolite-shell"


@pytest.mark.slow
@pytest.mark.skipif(
    not shutil.which("gitolite") or not os.path.exists(GITOLITE_SHELL),
    reason="needs gitolite: apt-get install -y gitolite3",
)
def test_gitolite_names_the_pusher(git_repo: Path, tmp_path: Path) -> None:
    """gitolite's own forced command (gitolite-shell USER) sets GL_USER; duban guard reads it."""
    home = tmp_path / "gitolite"
    home.mkdir()
    admin, admin_public = _key(tmp_path, "admin")
    subprocess.run(
        ["gitolite", "setup", "-pk", str(admin) + ".pub"],
        check=True,
        capture_output=True,
        env={**os.environ, "HOME": str(home)},
    )
    init_server(home / "repositories" / "testing.git", ("duchake",))  # gitolite's open repository (RW+ = @all)
    sshd = _sshd(tmp_path / "ssh", f"HOME={home} {GITOLITE_SHELL} {{account}}")
    (tmp_path / "ssh").mkdir()
    server = next(sshd)
    try:
        url = f"ssh://root@127.0.0.1:{server['port']}/testing"
        (git_repo / "access.yaml").write_text(ACCESS, "utf-8")
        git(git_repo, "add", "access.yaml")
        git(git_repo, "commit", "-q", "-m", "access")
        early = subprocess.run(
            ["git", "push", url, "main"], cwd=git_repo, capture_output=True, text=True, env=_env(server, "jrb-wang")
        )
        assert early.returncode != 0 and "已拒绝" in early.stderr, early.stderr
        first = subprocess.run(
            ["git", "push", url, "main"], cwd=git_repo, capture_output=True, text=True, env=_env(server, "duchake")
        )
        assert first.returncode == 0, first.stderr
        record_progress(
            Repository(git_repo),
            "2019-changning/1",
            30,
            by="商务委",
            date="2019-03-21",
            trailers=(("Reason", "商务委纸质报表"),),
        )
        assert (
            subprocess.run(
                ["git", "push", url, "main"], cwd=git_repo, capture_output=True, text=True, env=_env(server, "duchake")
            ).returncode
            == 0
        )
        unit = tmp_path / "jrb"
        subprocess.run(["git", "clone", "-q", "-b", "main", url, str(unit)], check=True, env=_env(server, "jrb-wang"))
        record_progress(Repository(unit), "2019-changning/1", 35, by="商务委", date="2019-03-22")
        other = subprocess.run(
            ["git", "push", "origin", "HEAD:main"],
            cwd=unit,
            capture_output=True,
            text=True,
            env=_env(server, "jrb-wang"),
        )
        assert other.returncode != 0 and "jrb-wang" in other.stderr and TASK1 in other.stderr, other.stderr
    finally:
        sshd.close()
