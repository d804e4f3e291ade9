"""Running the `inpractice` command as a user runs it (a separate process, its own database),
and the demo call loaded once per test session for every test that needs it.

`inpractice demo` loads 165 submissions and analyses them; doing that once and copying the
SQLite file is what keeps the command-line tests from rebuilding it in every module.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INPRACTICE = [sys.executable, "-m", "inpractice.cli"]


def environment(database_url: str, var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DATABASE_URL=database_url, INPRACTICE_VAR_DIR=str(var))
    return env


def run(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own command, a fixed argument list
        [*INPRACTICE, *args],
        env=env,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
        cwd=ROOT,
    )


@dataclass(frozen=True)
class DemoDatabase:
    """The demo call loaded (and analysed) by `inpractice demo` into an SQLite file."""

    path: Path
    stdout: str

    def copy(self, where: Path) -> dict[str, str]:
        """A private copy for a test that changes it; returns the environment to run with."""
        target = where / "demo.sqlite3"
        shutil.copy(self.path, target)
        return environment(f"sqlite:///{target}", where / "var")


def load_demo(where: Path) -> DemoDatabase:
    path = where / "demo.sqlite3"
    loaded = run(environment(f"sqlite:///{path}", where / "var"), "demo")
    assert loaded.returncode == 0, loaded.stderr
    return DemoDatabase(path=path, stdout=loaded.stdout)
