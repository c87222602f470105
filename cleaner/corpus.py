"""Finding inputs and writing outputs: the file side of cleaning, kept apart from the stages.

Inputs are files, directory trees (walked in sorted order, hidden entries and change logs
skipped) or ``-`` for standard input. Outputs are written atomically: to a temporary file in the
target directory, then renamed over the target, so an interrupted run never leaves half a file.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

CHANGELOG_SUFFIX = ".changes.jsonl"
_COUNTER = itertools.count()  # with the process id: a temporary name no other writer uses
_MADE_DIRECTORIES: set[Path] = set()
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
        # The directory's paths once, not per file (each Path costs a parse).
        folder = Path(directory)
        relative_folder = folder.relative_to(root)
        for name in sorted(files):
            if name.startswith(".") or name.endswith(CHANGELOG_SUFFIX):
                continue
            path = folder / name
            yield InputFile(path, str(path), relative_folder / name)
    for error in errors:
        yield InputError(str(error.filename or root), error.strerror or str(error))


def changelog_path(output: Path) -> Path:
    """``a.txt`` -> ``a.txt.changes.jsonl``: unique even when ``a.txt`` and ``a.md`` share a folder."""
    return output.with_name(output.name + CHANGELOG_SUFFIX)


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (bytes, or pieces of it to write one after the other, so that a large
    file need not be held in memory) to ``path`` so that readers see the old file or the new
    one, never a part.

    The temporary file is created with mode 0o666 and the umask applied, as any new file would
    be (mkstemp's private 0o600 would need a chmod: one more system call per file); a file that
    is replaced keeps its mode.
    """
    if path.parent not in _MADE_DIRECTORIES:  # one mkdir per directory, not per file
        path.parent.mkdir(parents=True, exist_ok=True)
        _MADE_DIRECTORIES.add(path.parent)
    mode = 0o666
    with contextlib.suppress(FileNotFoundError):
        mode = path.stat().st_mode & 0o7777
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{next(_COUNTER)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        try:
            descriptor = os.open(temporary, flags, mode)
        except FileNotFoundError:  # the directory went away since we made it (a long-lived process)
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(temporary, flags, mode)
        try:
            for piece in [data] if isinstance(data, bytes) else data:
                _write_all(descriptor, piece)
        finally:
            os.close(descriptor)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_all(descriptor: int, data: bytes) -> None:
    """Write all of ``data`` to a file descriptor. Straight to the system call: a file object
    (os.fdopen) costs a buffer and a flush per file, ~7 us, for what is one write."""
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]
