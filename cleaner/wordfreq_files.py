"""wordfreq's data files, read without importing wordfreq.

``import wordfreq`` costs ~0.17 s of a process's CPU (langcodes builds its tables of language
names and compiles its patterns), which is more than reading a word list takes (~0.01 s), and
every worker of a corpus run paid it at its first damaged line. The files themselves are plain:
gzipped msgpack, a header and then one list of words per centibel of frequency
(:func:`frequency_buckets`). Where a file is not where wordfreq keeps it (a language code that
only wordfreq's own matching resolves, or another layout of the package), wordfreq's reader is
used, so the words are the same either way.
"""

from __future__ import annotations

import gzip
import importlib.util
from functools import cache
from pathlib import Path
from typing import Any


@cache
def data_dir() -> Path:
    """The folder of wordfreq's data files (``ModuleNotFoundError`` without wordfreq)."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("wordfreq is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def read_msgpack_gz(path: Path) -> Any:
    """The object in a gzipped msgpack file, as wordfreq writes them."""
    import msgpack  # a dependency of wordfreq's

    with gzip.open(path) as stream:
        return msgpack.load(stream, raw=False, strict_map_key=False)


def has_list(language: str, wordlist: str) -> bool:
    """Whether wordfreq has a ``wordlist`` ("small", "large") of exactly ``language``.

    >>> has_list("cs", "large"), has_list("cs", "small"), has_list("xx", "small")
    (True, True, False)
    """
    return (data_dir() / f"{wordlist}_{language}.msgpack.gz").is_file()


def frequency_buckets(language: str, wordlist: str) -> list[list[str]]:
    """What ``wordfreq.get_frequency_list(language, wordlist)`` returns: bucket ``i`` holds the
    words of frequency ``cb_to_frequency(-i)``, commonest first.

    >>> buckets = frequency_buckets("fr", "small")
    >>> position = next(index for index, bucket in enumerate(buckets) if "de" in bucket)
    >>> position < 200, round(cb_to_frequency(-position), 3)  # "de": about one French word in 20
    (True, 0.048)
    """
    path = data_dir() / f"{wordlist}_{language}.msgpack.gz"
    if not path.is_file():
        from wordfreq import get_frequency_list

        # Uncached: wordfreq keeps every list it reads for the life of the process.
        return list(get_frequency_list.__wrapped__(language, wordlist))
    data = read_msgpack_gz(path)
    header = data[0] if data else None
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        raise ValueError(f"{path}: not a wordfreq frequency list (header {header!r})")
    return list(data[1:])


def cb_to_frequency(centibels: int) -> float:
    """wordfreq's ``cB_to_freq``: ``-100`` is one word in ten.

    >>> cb_to_frequency(0), cb_to_frequency(-200)
    (1.0, 0.01)
    """
    if centibels > 0:
        raise ValueError("a frequency cannot be a positive number of centibels")
    return 10 ** (centibels / 100)
