#!/usr/bin/env python3
"""Gather duban and the exact versions of its dependencies into one folder, for a machine with
no network: `python3 dev.py wheelhouse DIR [--platform NAME] [--python X.Y]`.

On the offline machine (Python 3.11 or newer installed):

    python -m venv duban-env
    duban-env/bin/pip install --no-index --find-links DIR duban        (Linux, UOS, Kylin)
    duban-env\\Scripts\\pip install --no-index --find-links DIR duban   (Windows)

The versions are those of requirements/lock.txt, the ones the tests ran with. Every
dependency is taken as a wheel built for the named platform (pip download --only-binary), so
nothing is compiled on the offline machine; a platform for which one of them publishes no
wheel is refused here, with its name, rather than failing there.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "lock.txt"

# pip's platform tags for the offices' machines. manylinux2014 is glibc 2.17: UOS 20 and
# Kylin V10 have 2.28, so both tags are taken.
PLATFORMS = {
    "here": [],
    "windows-x86_64": ["win_amd64"],
    "linux-x86_64": ["manylinux2014_x86_64", "manylinux_2_17_x86_64", "manylinux_2_28_x86_64"],
    "linux-aarch64": ["manylinux2014_aarch64", "manylinux_2_17_aarch64", "manylinux_2_28_aarch64"],
}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python3 dev.py wheelhouse", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where the wheels go (made if missing)")
    parser.add_argument(
        "--platform",
        choices=sorted(PLATFORMS),
        default="here",
        help="the offline machine's platform (default: this one)",
    )
    parser.add_argument(
        "--python",
        default=f"{sys.version_info.major}.{sys.version_info.minor}",
        help="the offline machine's Python version, e.g. 3.11 (default: this one's)",
    )
    args = parser.parse_args(argv)
    folder = args.folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    with tempfile.TemporaryDirectory(prefix="duban-wheel-") as built:
        # duban itself: a pure-Python wheel, good for every platform.
        subprocess.run([*pip, "wheel", "--quiet", "--no-deps", "--wheel-dir", built, str(ROOT)], check=True)
        wheel = next(Path(built).glob("duban-*.whl"))
        target = folder / wheel.name
        target.write_bytes(wheel.read_bytes())
    platform = []
    if PLATFORMS[args.platform]:
        platform = [flag for tag in PLATFORMS[args.platform] for flag in ("--platform", tag)]
        platform += ["--python-version", args.python, "--implementation", "cp"]
    download = [
        *pip,
        "download",
        "--quiet",
        "--only-binary=:all:",
        "--dest",
        str(folder),
        "--constraint",
        str(LOCK),
        *platform,
        str(target),
    ]
    result = subprocess.run(download)
    if result.returncode != 0:
        print(
            f"wheelhouse: pip could not find a wheel of every dependency for {args.platform}, Python "
            f"{args.python} (its message is above); nothing is missing from {folder} that it found",
            file=sys.stderr,
        )
        return 1
    wheels = sorted(p.name for p in folder.glob("*.whl"))
    print(f"wheelhouse: {len(wheels)} wheels for {args.platform}, Python {args.python}, in {folder}", file=sys.stderr)
    print(f"wheelhouse: install with: pip install --no-index --find-links {folder} duban", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
