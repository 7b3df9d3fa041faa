"""Follow the generated README's "Add a resource" section in a copy of the project.

Run by `cargo xtask verify` inside a generated project (`uv run --no-sync python -c ...`). The
section is the recipe and this script only reads it: every ```python block is written to the
file the text before it names (a new file is created; an existing one gets the block's imports
after its own and each `NAME = ...` line in place of its line of that name), then every line of
its ```sh blocks runs in the copy, which must all succeed. The project itself is left untouched.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SECTION = "## Add a resource"
PATH = re.compile(r"`((?:src|tests)/[^`]+\.py)`")
# What a project folder holds besides its sources: never copied.
IGNORED = shutil.ignore_patterns(
    ".venv", ".git", "data", "__pycache__", ".*_cache", ".coverage*", ".conformance-*"
)


def section(readme: str) -> str:
    start = readme.index(SECTION)
    end = readme.find("\n## ", start + len(SECTION))
    return readme[start : end if end != -1 else len(readme)]


def blocks(text: str) -> list[tuple[str, str | None, str]]:
    """(language, the last path named before the block, the block's text), in order."""
    found: list[tuple[str, str | None, str]] = []
    prose: list[str] = []
    lines = iter(text.splitlines())
    for line in lines:
        if line.startswith("```") and len(line) > 3:
            body = []
            for inner in lines:
                if inner.startswith("```"):
                    break
                body.append(inner)
            paths = PATH.findall("\n".join(prose))
            found.append((line[3:].strip(), paths[-1] if paths else None, "\n".join(body) + "\n"))
            prose = []
        else:
            prose.append(line)
    return found


def edit(existing: str, block: str) -> str:
    """The block's imports after the file's last import; its assignments replace the file's."""
    lines = existing.splitlines()
    for line in block.splitlines():
        if not line.strip():
            continue
        if line.startswith(("from ", "import ")):
            last = max(i for i, old in enumerate(lines) if old.startswith(("from ", "import ")))
            lines.insert(last + 1, line)
            continue
        name = re.match(r"([A-Za-z_][A-Za-z0-9_]*)\s*[:=]", line)
        matches = [i for i, old in enumerate(lines) if name and old.startswith(name[1])]
        if len(matches) != 1:
            sys.exit(f"cannot apply `{line}`: {len(matches)} lines of the file match it")
        lines[matches[0]] = line
    return "\n".join(lines) + "\n"


def main() -> None:
    readme = Path("README.md").read_text(encoding="utf-8")
    recipe = blocks(section(readme))
    created, edited, commands = [], [], []
    with tempfile.TemporaryDirectory(prefix="add-resource-") as scratch:
        copy = Path(scratch) / "project"
        shutil.copytree(".", copy, ignore=IGNORED)
        for language, path, text in recipe:
            if language == "python":
                if path is None:
                    sys.exit(f"a python block names no file:\n{text}")
                target = copy / path
                if target.exists():
                    target.write_text(edit(target.read_text(encoding="utf-8"), text))
                    edited.append(path)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(text, encoding="utf-8")
                    created.append(path)
            elif language == "sh":
                commands.extend(line for line in text.splitlines() if line.strip())
        # A section emptied by mistake must not pass: the recipe adds a resource and checks it.
        if len(created) < 4 or len(edited) < 2 or not any("pytest" in c for c in commands):
            sys.exit(f"the README's recipe is incomplete: {created=} {edited=} {commands=}")
        print(f"created {', '.join(created)}; edited {', '.join(edited)}", flush=True)
        # The copy gets its own environment; the project's would import the project's sources.
        environment = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
        for command in commands:
            print(f"$ {command}", flush=True)
            done = subprocess.run(command, shell=True, cwd=copy, env=environment, check=False)  # noqa: S602
            if done.returncode != 0:
                sys.exit(f"`{command}` exited with {done.returncode}")


if __name__ == "__main__":
    main()
