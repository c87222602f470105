"""Finding inputs and writing outputs: the file side of cleaning, kept apart from the stages.

Inputs are files, directory trees (walked in sorted order, hidden entries and change logs
skipped) or ``-`` for standard input. Outputs are written atomically: to a temporary file in the
target directory, then renamed over the target, so an interrupted run never leaves half a file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

CHANGELOG_SUFFIX = ".changes.jsonl"
STDIN = "-"


@dataclass(frozen=True)
class InputFile:
    """One input: where to read it, how to name it to people, and where its output goes."""

    path: Path | None  # None: standard input
    display: str
    relative: Path  # output path relative to the output directory

    def read(self) -> bytes:
        import sys

        if self.path is None:
            return sys.stdin.buffer.read()
        return self.path.read_bytes()


@dataclass(frozen=True)
class InputError:
    """An input that could not even be listed (missing path, unreadable directory)."""

    display: str
    reason: str


def discover(arguments: Sequence[str]) -> Iterator[InputFile | InputError]:
    """The inputs named on the command line, in a deterministic order."""
    for argument in arguments:
        if argument == STDIN:
            yield InputFile(None, "<stdin>", Path("stdin.txt"))
            continue
        path = Path(argument)
        if path.is_dir():
            yield from _walk(path)
        elif path.is_file():
            yield InputFile(path, str(path), Path(path.name))
        elif path.exists():
            yield InputError(str(path), "not a regular file or directory")
        else:
            yield InputError(str(path), "no such file or directory")


def _walk(root: Path) -> Iterator[InputFile | InputError]:
    errors: list[OSError] = []
    for directory, subdirectories, files in os.walk(root, onerror=errors.append):
        subdirectories[:] = sorted(name for name in subdirectories if not name.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or name.endswith(CHANGELOG_SUFFIX):
                continue
            path = Path(directory) / name
            yield InputFile(path, str(path), path.relative_to(root))
    for error in errors:
        yield InputError(str(error.filename or root), error.strerror or str(error))


def changelog_path(output: Path) -> Path:
    """``a.txt`` -> ``a.txt.changes.jsonl``: unique even when ``a.txt`` and ``a.md`` share a folder."""
    return output.with_name(output.name + CHANGELOG_SUFFIX)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_FILE_MODE = _default_mode()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        # mkstemp makes the file private (0600); give it the mode any new file would get,
        # or keep the mode of the file it replaces.
        os.chmod(temporary, path.stat().st_mode & 0o7777 if path.exists() else _FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
