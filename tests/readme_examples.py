"""The README's command examples, run and compared with what the README shows.

An example is a fenced block (```` ``` ````) whose first line starts with ``$ ``: each ``$``
line is a shell command, and the lines after it, up to the next ``$`` line, are what it
prints (standard output, then standard error).  A last line ``...`` shows only the first
lines of the output.  The commands run in a scratch directory holding the files of
``tests/data/readme/`` and ``outputs/``, the demo's build (``kg build --sample -o outputs
--formats all``, what ``scripts/demo`` runs), so ``outputs/`` means the demo graph.

``python tests/readme_examples.py`` says which examples differ (exit 1 if any);
``--update`` rewrites their outputs in README.md (``scripts/readme_examples``).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FIXTURES = ROOT / "tests" / "data" / "readme"
DEMO_BUILD = ("kg", "build", "--sample", "-o", "outputs", "--formats", "all", "--force", "-q")
_BLOCK = re.compile(r"^```[^\n]*\n(\$ .*?)^```$", re.S | re.M)
ELLIPSIS = "..."


@dataclass(frozen=True)
class Command:
    """One ``$`` line of an example and the output the README shows for it."""

    command: str
    shown: tuple[str, ...]

    @property
    def partial(self) -> bool:
        return bool(self.shown) and self.shown[-1] == ELLIPSIS


@dataclass(frozen=True)
class Example:
    """A block of commands, with where its text lies in the README."""

    start: int
    end: int
    commands: tuple[Command, ...]

    def text(self) -> str:
        return "".join(f"$ {c.command}\n" + "".join(f"{line}\n" for line in c.shown)
                       for c in self.commands)


def examples(readme: str) -> list[Example]:
    """Every example block of ``readme``, in order."""
    found = []
    for match in _BLOCK.finditer(readme):
        commands: list[Command] = []
        for line in match.group(1).splitlines():
            if line.startswith("$ "):
                commands.append(Command(line[2:], ()))
            else:
                last = commands[-1]
                commands[-1] = Command(last.command, (*last.shown, line))
        found.append(Example(match.start(1), match.end(1), tuple(commands)))
    return found


def prepare(work: Path) -> Path:
    """A scratch directory with the fixtures and the demo build in ``outputs/``."""
    shutil.copytree(FIXTURES, work, dirs_exist_ok=True)
    built = subprocess.run(DEMO_BUILD, cwd=work, env=_environment(), capture_output=True, text=True)
    if built.returncode:
        raise RuntimeError(f"{' '.join(DEMO_BUILD)} failed: {built.stderr}")
    return work


def run(command: str, work: Path) -> list[str]:
    """The lines ``command`` prints (standard output, then standard error) in ``work``."""
    done = subprocess.run(command, shell=True, cwd=work, env=_environment(), capture_output=True,
                          text=True, timeout=600)
    return (done.stdout + done.stderr).rstrip("\n").split("\n")


def expected(command: Command, printed: list[str]) -> tuple[str, ...]:
    """What the README should show for ``command``: all it printed, or as many first lines
    as it shows now followed by ``...``."""
    if command.partial and len(printed) > len(command.shown) - 1:
        return (*printed[:len(command.shown) - 1], ELLIPSIS)
    return tuple(printed)


def refreshed(readme: str, work: Path) -> str:
    """``readme`` with every example's outputs replaced by what the commands print now."""
    parts, position = [], 0
    for example in examples(readme):
        commands = tuple(Command(c.command, expected(c, run(c.command, work))) for c in example.commands)
        parts += [readme[position:example.start], Example(example.start, example.end, commands).text()]
        position = example.end
    return "".join(parts) + readme[position:]


def _environment() -> dict[str, str]:
    """This Python's ``kg`` first on the PATH, output as wide as it is."""
    environment = dict(os.environ)
    environment["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environment.get('PATH', '')}"
    environment["COLUMNS"] = "200"
    return environment


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="rewrite the outputs in README.md")
    arguments = parser.parse_args()
    readme = README.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as scratch:
        fresh = refreshed(readme, prepare(Path(scratch)))
    if arguments.update:
        README.write_text(fresh, encoding="utf-8")
        print(f"{README}: {'updated' if fresh != readme else 'already up to date'}", file=sys.stderr)
        return 0
    stale = [old.commands[0].command for old, new in zip(examples(readme), examples(fresh))
             if old.text() != new.text()]
    for command in stale:
        print(f"README example differs: $ {command}", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
