"""Finding inputs and writing outputs: the file side of cleaning, kept apart from the stages.

Inputs are files, directory trees (walked in sorted order, hidden entries and change logs
skipped) or ``-`` for standard input. Outputs are written atomically: to a temporary file in the
target directory, then renamed over the target, so an interrupted run never leaves half a file.
"""

from __future__ import annotations

import contextlib
import errno
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

    A new file is written unnamed (``O_TMPFILE``) and linked into place once complete
    (:func:`_write_new`). A file that is replaced, or a system without ``O_TMPFILE``, goes
    through a temporary file renamed over the target, created with mode 0o666 and the umask
    applied, as any new file would be (mkstemp's private 0o600 would need a chmod: one more
    system call per file); a file that is replaced keeps its mode.
    """
    if path.parent not in _MADE_DIRECTORIES:  # one mkdir per directory, not per file
        path.parent.mkdir(parents=True, exist_ok=True)
        _MADE_DIRECTORIES.add(path.parent)
    if isinstance(data, bytes) and _write_new(path, data):
        return
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


# Directories where O_TMPFILE is not used: it failed there, or a target already existed there
# (a run over its own outputs, --in-place), so that each file does not pay for it twice.
_NO_TMPFILE: set[Path] = set()
# Any directory: linkat() ignores it for the absolute /proc path, but os.link() calls linkat(),
# which follows that symbolic link, only when it is given a directory descriptor.
_ROOT_FD: int | None = None


def _write_new(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` if no file is there yet: into an unnamed file in the target's
    directory (``O_TMPFILE``), then linked to ``path`` whole. Three system calls and a close
    where a temporary name costs a ``stat``, a create, a close and a ``rename`` (4,000 files of
    a 20 MB tree: ~0.06 s less CPU, measured). False, with nothing written anywhere, where the
    target exists or ``O_TMPFILE`` is not supported: the caller then writes as before.

    The link names ``/proc/self/fd/N``, which each process resolves to its own descriptor
    (workers are forked: a directory descriptor of the parent's ``/proc/<pid>/fd`` would not).
    """
    global _ROOT_FD
    tmpfile = getattr(os, "O_TMPFILE", 0)
    directory = path.parent
    if not tmpfile or directory in _NO_TMPFILE:
        return False
    try:
        if _ROOT_FD is None:
            _ROOT_FD = os.open("/", os.O_RDONLY | os.O_DIRECTORY)
        descriptor = os.open(directory, os.O_WRONLY | tmpfile, 0o666)
    except OSError:  # no O_TMPFILE on this file system (or kernel), no /: the usual way
        _NO_TMPFILE.add(directory)
        return False
    try:
        _write_all(descriptor, data)  # a failure here (a full disk) is the caller's, as before
        try:
            os.link(f"/proc/self/fd/{descriptor}", path, src_dir_fd=_ROOT_FD, follow_symlinks=True)
        except FileExistsError:  # a file to replace (keeping its mode): the usual way
            _NO_TMPFILE.add(directory)
            return False
        except OSError as error:
            if error.errno not in _NO_LINK_ERRORS:
                raise
            _NO_TMPFILE.add(directory)  # /proc not mounted, or a file system that cannot link
            return False
    finally:
        os.close(descriptor)  # an unnamed file that was not linked vanishes with it
    return True


_NO_LINK_ERRORS = frozenset({errno.ENOENT, errno.EXDEV, errno.EPERM, errno.EOPNOTSUPP, errno.EACCES})


def _write_all(descriptor: int, data: bytes) -> None:
    """Write all of ``data`` to a file descriptor. Straight to the system call: a file object
    (os.fdopen) costs a buffer and a flush per file, ~7 us, for what is one write."""
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]
