"""Repeated lines: page furniture found by counting, not by phrase (CCNet's line hashing, made deterministic).

A site's menus, footers and widget labels recur on its pages word for word; its articles do not.
So cleaning a corpus can take two passes over it:

1. **count**: for each source group (by default a file's parent directory; for JSONL records a
   field such as the domain), the number of documents in which each normalized line occurs
   (:class:`LineCounts`; a line counts once per document however often it occurs there);
2. **remove**: the boilerplate stage drops every line whose normalized form occurs in at least
   ``min_documents`` documents of its group (rule BP900 ``repeated-line``, with the document
   count in the edit's detail), when the group has at least ``min_group_size`` documents.

Deterministic where CCNet is not: CCNet keeps the first copy of a duplicated paragraph, so what
survives depends on the order in which documents are read. Here every copy goes, counts are sums
(:meth:`LineCounts.merge` is commutative and associative), and serialisation is sorted, so the
result depends neither on file order nor on the number of worker processes.

The guard, for real text that recurs by chance (applied by :meth:`LineCounts.repeated`):

* **no letters**: a line without a letter (``1``, ``2019``, ``* * *``, ``—``) is a number or a
  separator: page numbers, scores, years and scene breaks repeat by chance and say nothing about
  furniture. Such lines are not even counted;
* **short sentences**: a line of at most ``max_sentence_words`` words (default 3) that ends as
  a sentence ends (``Yes.``, ``No, sir.``, ``Why not?``, ``Thank you!``) is dialogue: every novel
  and interview has them. Longer sentences that recur in many documents ("Your email address will
  not be published.") are furniture, and go;
* **protected lines**: headings that documents share because they share a structure
  (``Introduction``, ``References``, ``Ingredients``, ``See also``, ...) and bare answers
  (``Yes``, ``OK``). :data:`PROTECTED_LINES` is the default list; a user's list replaces it.

A list cannot hold every heading in every language, so the stage adds a guard that needs the
document: a repeated line in a heading's place (after a line that stays, right before a
paragraph) stays; see :mod:`cleaner.stages.boilerplate`.

Defaults (``RepeatedLineSettings()``): a line in at least 3 documents of a group of at least 5.
N = 2 would also take a sentence that two articles of one site happen to share (a quote, a
correction). Measured on the article-extraction benchmark (``bench/article_extraction.py``,
numbers in ``bench/README.md``): the guard costs no F1 there (0.859 with or without it), and with
the stage's heading guard 15 gold lines are removed instead of 20.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from cleaner.rules import prepare_line

FORMAT = 1
# Sentence-final punctuation (Latin, CJK, Devanagari, Arabic scripts), checked after closing quotes.
SENTENCE_END = (".", "!", "?", "…", "。", "！", "？", "।", "؟")
CLOSING_QUOTES = "\"'”’»)]」』"

# Headings that documents of one group share because they share a structure, and bare answers.
PROTECTED_LINES: frozenset[str] = frozenset(
    {
        # document structure
        "abstract", "introduction", "background", "overview", "summary", "contents", "table of contents",
        "methods", "method", "methodology", "materials and methods", "results", "discussion", "conclusion",
        "conclusions", "acknowledgements", "acknowledgments", "references", "bibliography", "notes",
        "footnotes", "endnotes", "appendix", "glossary", "index", "preface", "foreword", "prologue",
        "epilogue", "afterword", "further reading", "see also", "sources", "key points", "key takeaways",
        "chapter one", "part one", "the end",
        # recipes, how-tos and reviews
        "ingredients", "instructions", "directions", "preparation", "steps", "tips", "nutrition",
        "pros", "cons", "verdict", "specifications", "features",
        # interviews and dialogue
        "yes", "no", "ok", "okay", "thanks", "thank you", "q", "a", "question", "answer",
    }
)


def normalize_line(line: str) -> str:
    """The form of a line that is counted and looked up: the boilerplate stage's prepared line
    (stripped, inner white space collapsed, zero-width characters at the ends removed), casefolded.

    >>> normalize_line("  Follow\\u00a0us on  TWITTER \\r\\n")
    'follow us on twitter'
    >>> normalize_line("Straße") == normalize_line("STRASSE")
    True
    """
    return prepare_line(line).casefold()


def has_letter(line: str) -> bool:
    """Whether a line contains a letter (of any script); lines without one are never counted.

    >>> has_letter("Menu"), has_letter("2019"), has_letter("* * *"), has_letter("中文")
    (True, False, False, True)
    """
    return any(char.isalpha() for char in line)


def split_lines(text: str) -> list[str]:
    """Lines as the boilerplate stage sees them: only ``\\n``, ``\\r\\n`` and ``\\r`` end a line.

    >>> split_lines("a\\r\\nb\\rc\\u2028d\\n")
    ['a', 'b', 'c\\u2028d', '']
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


@dataclass(frozen=True)
class RepeatedLineSettings:
    """When a repeated line is removed.

    ``min_documents``: a line must occur in at least this many documents of its group (N).
    ``min_group_size``: groups with fewer documents lose nothing (too little evidence).
    ``protected``: lines never removed (normalized here, so any spelling may be given).
    ``max_sentence_words``: a line ending like a sentence with at most this many words is kept.
    """

    min_documents: int = 3
    min_group_size: int = 5
    protected: frozenset[str] = PROTECTED_LINES
    max_sentence_words: int = 3
    _normalized: frozenset[str] = field(default=frozenset(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.min_documents < 2:
            raise ValueError("min_documents must be at least 2: a line in one document is not repeated")
        if self.min_group_size < 1:
            raise ValueError("min_group_size must be at least 1")
        if self.max_sentence_words < 0:
            raise ValueError("max_sentence_words must not be negative")
        object.__setattr__(self, "protected", frozenset(self.protected))
        object.__setattr__(self, "_normalized", frozenset(normalize_line(line) for line in self.protected))

    def guarded(self, line: str) -> bool:
        """Whether the normalized ``line`` is kept however often it recurs (see the module docstring).

        >>> settings = RepeatedLineSettings()
        >>> [settings.guarded(line) for line in ("yes.", "no, sir.", "references", "1", "facebook")]
        [True, True, True, True, False]
        >>> settings.guarded("your email address will not be published.")
        False
        """
        if line in self._normalized or not has_letter(line):
            return True
        return line.rstrip(CLOSING_QUOTES).endswith(SENTENCE_END) and len(line.split()) <= self.max_sentence_words


class LineCounts:
    """Document frequency of normalized lines, per group.

    >>> counts = LineCounts()
    >>> for text in ("Menu\\nA story.\\nMenu\\n", "Menu\\nAnother story.\\n", "Menu\\nYes.\\n", "Yes.\\n"):
    ...     counts.add_document("example.com", text)
    >>> counts.group_size("example.com"), counts.documents("example.com", "MENU")
    (4, 3)
    >>> counts.repeated("example.com", RepeatedLineSettings(min_documents=2, min_group_size=2))
    {'menu': 3}
    """

    def __init__(self) -> None:
        self._documents: Counter[str] = Counter()
        self._lines: dict[str, Counter[str]] = {}

    def add_document(self, group: str, text: str) -> None:
        """Count one document of ``group``: each distinct normalized line with a letter, once."""
        self._documents[group] += 1
        lines = {normalize_line(line) for line in split_lines(text)}
        lines = {line for line in lines if line and has_letter(line)}
        if lines:
            self._lines.setdefault(group, Counter()).update(lines)

    def merge(self, other: LineCounts) -> None:
        """Add another worker's counts to these (commutative and associative: a sum)."""
        self._documents.update(other._documents)
        for group, lines in other._lines.items():
            self._lines.setdefault(group, Counter()).update(lines)

    def groups(self) -> list[str]:
        """Every group with at least one document, sorted."""
        return sorted(group for group, count in self._documents.items() if count)

    def group_size(self, group: str) -> int:
        """How many documents of ``group`` were counted."""
        return self._documents.get(group, 0)

    def documents(self, group: str, line: str) -> int:
        """In how many documents of ``group`` the line occurs (``line`` is normalized here)."""
        return self._lines.get(group, Counter()).get(normalize_line(line), 0)

    def repeated(self, group: str, settings: RepeatedLineSettings | None = None) -> dict[str, int]:
        """Normalized line -> number of documents, for the lines of ``group`` to remove: those in at
        least ``min_documents`` documents and not guarded. Empty if the group is smaller than
        ``min_group_size``. Sorted by line, so it prints and serialises the same every time."""
        settings = settings or RepeatedLineSettings()
        if self.group_size(group) < settings.min_group_size:
            return {}
        lines = self._lines.get(group, Counter())
        return {
            line: count
            for line, count in sorted(lines.items())
            if count >= settings.min_documents and not settings.guarded(line)
        }

    def to_bytes(self) -> bytes:
        """A deterministic serialisation (sorted JSON, UTF-8): equal counts give equal bytes."""
        document = {
            "format": FORMAT,
            "groups": {
                group: {"documents": self._documents[group], "lines": sorted(self._lines.get(group, {}).items())}
                for group in sorted(self._documents)
            },
        }
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")

    @classmethod
    def from_bytes(cls, data: bytes) -> LineCounts:
        """Read what :meth:`to_bytes` wrote; a ValueError says what is wrong with other data."""
        try:
            document = json.loads(data.decode("utf-8", "surrogatepass"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(f"not a line-count file: {error}") from error
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise ValueError(f"not a line-count file of format {FORMAT}")
        counts = cls()
        groups = document.get("groups")
        if not isinstance(groups, dict):
            raise ValueError("line-count file without 'groups'")
        for group, entry in groups.items():
            try:
                documents = int(entry["documents"])
                lines = {str(line): int(count) for line, count in entry["lines"]}
            except (KeyError, TypeError, ValueError) as error:
                raise ValueError(f"line-count file: bad entry for group {group!r}") from error
            counts._documents[group] = documents
            if lines:
                counts._lines[group] = Counter(lines)
        return counts

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LineCounts):
            return NotImplemented
        return self.to_bytes() == other.to_bytes()

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"LineCounts({len(self._documents)} groups, {sum(self._documents.values())} documents)"


def count_lines(documents: Iterable[tuple[str, str]]) -> LineCounts:
    """Count ``(group, text)`` pairs: the first pass over a corpus in one call.

    >>> count_lines([("a", "x\\n"), ("a", "x\\n"), ("b", "x\\n")]).group_size("a")
    2
    """
    counts = LineCounts()
    for group, text in documents:
        counts.add_document(group, text)
    return counts


def repeated_for(counts: LineCounts, settings: RepeatedLineSettings | None = None) -> Mapping[str, dict[str, int]]:
    """The :meth:`LineCounts.repeated` map of every group (what the second pass needs)."""
    return {group: counts.repeated(group, settings) for group in counts.groups()}
