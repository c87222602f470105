"""Boilerplate rule packs: TOML data files, loaded, validated and compiled once.

A pack is a TOML file with a ``[pack]`` table (``name``, ``description``) and a ``[[rules]]`` array.
Packaged packs live in ``rules/boilerplate/*.toml`` (installed as ``cleaner/rules/boilerplate``);
users add their own with ``--rules PATH``. Every rule carries its own ``examples`` so that a pack
documents and tests itself.

Rule fields (``id``, ``name``, ``why``, ``examples`` and, for phrase rules, ``pattern`` are
required; unknown keys are errors, so a typo cannot silently disable a setting)::

    id            "BP" + at least three digits, unique across all loaded packs
    name          kebab-case, unique across all loaded packs
    why           one line: why such a line is boilerplate
    kind          "phrase" (default), "repeated-head-line" or "short-line-block":
                  repeated-head-line: the first line, if it reads like a headline (three or more
                  words, no final full stop), repeated (ignoring case) within the first scope_lines
                  non-blank lines; the copy goes, the first stays, unless the line occurs three or
                  more times (a refrain, not a headline);
                  short-line-block: runs of short lines outside the document's main text (menus,
                  link lists, footers); see cleaner.stages.boilerplate for the algorithm
    pattern       phrase rules only: a `regex`-module pattern, matched against the WHOLE line
                  (fullmatch) after stripping surrounding white space and collapsing inner runs
                  of white space to one space; case-insensitive unless case_sensitive = true
    scope         "line" (anywhere, default), "head" (within the first scope_lines non-blank
                  lines) or "tail" (within the last scope_lines non-blank lines)
    scope_lines   head/tail only; defaults: head 5, tail 10
    action        "drop-line" (default) or "drop-rest" (tail scope only: the line and every
                  line after it go, provided those look like link titles: none longer than
                  max_length, none ending with a full stop as a sentence does)
    max_length    the rule never removes a line longer than this (default 120 characters)
    near          optional list of rule ids: the rule applies only within near_lines non-blank
                  lines of a line removed by one of them (for phrases that are boilerplate only
                  next to other boilerplate, e.g. a newsletter tagline beside its sign-up line)
    near_lines    default 2
    min_lines     short-line-block only: a run needs at least this many short lines (default 2)
    min_outside_lines
                  short-line-block only: the rule acts only on a document with at least this many
                  menu items outside its main text (default 10), so a clean document's title,
                  byline and captions are never at risk
    examples      a table with ``match`` and ``no_match`` lists (for the structural kinds the
                  examples are whole documents)

Ids BP900-BP999 are reserved for the boilerplate stage's built-in rules (BP900 repeated-line,
BP901 removal-share-exceeded). A bad pack raises :class:`RulePackError` naming the file, the rule
and the problem.
"""

from __future__ import annotations

import dataclasses
import hashlib
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on Python 3.10
    import tomli as tomllib

KINDS = ("phrase", "repeated-head-line", "short-line-block")
SCOPES = ("line", "head", "tail")
ACTIONS = ("drop-line", "drop-rest")
DEFAULT_SCOPE_LINES = {"head": 5, "tail": 10}
DEFAULT_MAX_LENGTH = 120
DEFAULT_NEAR_LINES = 2
DEFAULT_MIN_LINES = 2
DEFAULT_MIN_OUTSIDE_LINES = 10
# Seconds one pattern may spend on one line. A sane rule needs microseconds on a short line; the
# limit exists so that a catastrophically backtracking user pattern cannot hang a corpus run.
DEFAULT_TIMEOUT = 0.05

_ID = regex.compile(r"BP[0-9]{3,}")
# Built-in rules of the boilerplate stage (cleaner.stages.boilerplate.RULES): not for packs.
_RESERVED_ID = regex.compile(r"BP9[0-9]{2}")
_NAME = regex.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_RULE_KEYS = frozenset(
    {
        "id", "name", "why", "kind", "pattern", "scope", "scope_lines", "action", "max_length",
        "case_sensitive", "near", "near_lines", "min_lines", "min_outside_lines", "examples",
    }
)
_PACK_KEYS = frozenset({"name", "description"})


class RulePackError(ValueError):
    """A rule pack that cannot be used: unreadable, malformed, or inconsistent with other packs."""


@dataclass(frozen=True)
class BoilerplateRule:
    """One boilerplate rule, validated and with its pattern compiled."""

    id: str
    name: str
    why: str
    pattern: str
    scope: str
    scope_lines: int | None
    action: str
    max_length: int
    kind: str
    examples_match: tuple[str, ...]
    examples_no_match: tuple[str, ...]
    pack: str
    case_sensitive: bool = False
    near: tuple[str, ...] = ()
    near_lines: int = DEFAULT_NEAR_LINES
    min_lines: int = DEFAULT_MIN_LINES
    min_outside_lines: int = DEFAULT_MIN_OUTSIDE_LINES
    compiled: regex.Pattern[str] | None = field(default=None, compare=False, repr=False)
    # Packaged rules are reviewed and their speed measured: they run without the timeout, which
    # costs ~4 us a call (7x the match). Users' packs (--rules) always run with it.
    reviewed: bool = field(default=False, compare=False)

    def in_scope(self, index: int, count: int) -> bool:
        """Whether non-blank line ``index`` (0-based) of ``count`` non-blank lines is in scope."""
        if self.scope == "line":
            return True
        assert self.scope_lines is not None
        if self.scope == "head":
            return index < self.scope_lines
        return count - 1 - index < self.scope_lines

    def matches(self, line: str, timeout: float = DEFAULT_TIMEOUT) -> bool:
        """Whether the prepared line (see :func:`prepare_line`) is wholly matched by the pattern.

        Raises :class:`TimeoutError` if the pattern runs longer than ``timeout`` seconds.
        """
        if self.compiled is None:
            return False
        if self.reviewed:
            return self.compiled.fullmatch(line) is not None
        return self.compiled.fullmatch(line, timeout=timeout) is not None

    def may_start(self, prefix: str, timeout: float = DEFAULT_TIMEOUT) -> bool:
        """Whether some line beginning with ``prefix`` could match (the regex module's partial
        matching). False means no line with this prefix can match, so the rule need not run.

        A timeout answers True: the rule then runs on the whole line, where a timeout is reported.
        """
        if self.compiled is None:
            return False
        try:
            if self.reviewed:
                return self.compiled.fullmatch(prefix, partial=True) is not None
            return self.compiled.fullmatch(prefix, partial=True, timeout=timeout) is not None
        except TimeoutError:
            return True


@dataclass(frozen=True)
class RulePack:
    """One TOML pack file: its metadata, content hash and rules (in file order)."""

    name: str
    description: str
    path: Path
    sha256: str
    rules: tuple[BoilerplateRule, ...]


# Characters prepare_line strips from a line's ends besides white space.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


def prepare_line(line: str) -> str:
    """The form of a line that patterns see: stripped, inner white space collapsed to one space.

    Zero-width characters at the ends count as white space here: they are invisible, and the
    punctuation stage (which removes them) runs after this one.
    """
    return " ".join(line.strip().strip(ZERO_WIDTH).split())


def default_rules_dir() -> Path:
    """The packaged rules: ``cleaner/rule_packs`` when installed, else the checkout's ``rules/``.

    pyproject.toml maps the repository's top-level ``rules/`` into the package as
    ``cleaner.rule_packs`` (not ``cleaner.rules``, which is this module).
    """
    installed = Path(__file__).resolve().parent / "rule_packs"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "rules"


def load_rule_packs(extra: Sequence[Path] = ()) -> list[RulePack]:
    """The packaged boilerplate packs (sorted by file name), then the user's ``extra`` packs.

    Each item of ``extra`` is a pack file or a directory whose ``*.toml`` files are packs.
    Rule ids and names, and pack names, must be unique across everything loaded.
    """
    packaged = default_rules_dir() / "boilerplate"
    files = sorted(packaged.glob("*.toml"))
    if not files:  # a broken install must not silently clean nothing
        raise RulePackError(f"{packaged}: no packaged rule packs found")
    for item in extra:
        path = Path(item)
        if path.is_dir():
            files.extend(sorted(path.glob("*.toml")))
        elif path.is_file():
            files.append(path)
        else:
            raise RulePackError(f"{path}: no such rule pack file or directory")
    seen_files: set[Path] = set()
    packs = []
    packaged_dir = packaged.resolve()
    for path in files:
        resolved = path.resolve()
        if resolved in seen_files:  # the same pack named twice is loaded once
            continue
        seen_files.add(resolved)
        pack = load_rule_pack(path)
        if resolved.parent == packaged_dir:
            pack = dataclasses.replace(pack, rules=tuple(dataclasses.replace(rule, reviewed=True)
                                                         for rule in pack.rules))
        packs.append(pack)
    check_packs(packs)
    return packs


def load_rule_pack(path: Path) -> RulePack:
    """Load and validate one pack file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RulePackError(f"{path}: cannot read rule pack: {error}") from error
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise RulePackError(f"{path}: not a valid TOML file: {error}") from error

    unknown = set(document) - {"pack", "rules"}
    if unknown:
        raise RulePackError(f"{path}: unknown top-level key(s): {', '.join(sorted(unknown))}")
    header = document.get("pack")
    if not isinstance(header, dict):
        raise RulePackError(f"{path}: missing [pack] table (with name and description)")
    for key in ("name", "description"):
        if not isinstance(header.get(key), str) or not header[key].strip():
            raise RulePackError(f"{path}: [pack] needs a non-empty string '{key}'")
    unknown = set(header) - _PACK_KEYS
    if unknown:
        raise RulePackError(f"{path}: unknown key(s) in [pack]: {', '.join(sorted(unknown))}")
    pack_name = header["name"]
    raw_rules = document.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise RulePackError(f"{path}: no [[rules]] in pack {pack_name!r}")

    rules = tuple(_parse_rule(path, pack_name, position, raw) for position, raw in enumerate(raw_rules, 1))
    _check_unique(rules, lambda rule: f"{path}")
    return RulePack(
        name=pack_name,
        description=header["description"],
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        rules=rules,
    )


def check_packs(packs: Sequence[RulePack]) -> None:
    """Cross-pack checks: unique pack names, rule ids and names; ``near`` ids that exist."""
    names: dict[str, Path] = {}
    for pack in packs:
        if pack.name in names:
            raise RulePackError(
                f"{pack.path}: duplicate pack name {pack.name!r} (also in {names[pack.name]})"
            )
        names[pack.name] = pack.path
    paths = {pack.name: pack.path for pack in packs}
    rules = [rule for pack in packs for rule in pack.rules]
    _check_unique(rules, lambda rule: str(paths[rule.pack]))
    by_id = {rule.id: rule for rule in rules}
    for rule in rules:
        for anchor_id in rule.near:
            anchor = by_id.get(anchor_id)
            where = f"{paths[rule.pack]}: rule {rule.id} ({rule.name})"
            if anchor is None:
                raise RulePackError(f"{where}: 'near' names unknown rule {anchor_id}")
            if anchor.kind != "phrase" or anchor.near or anchor.action != "drop-line":
                raise RulePackError(
                    f"{where}: 'near' rule {anchor_id} must be a plain drop-line phrase rule without 'near'"
                )


def boilerplate_rules(
    packs: Iterable[RulePack], enabled: Callable[[str], bool] = lambda rule_id: True
) -> list[BoilerplateRule]:
    """All rules of ``packs`` in load order, keeping those whose id ``enabled`` accepts."""
    return [rule for pack in packs for rule in pack.rules if enabled(rule.id)]


def _check_unique(rules: Iterable[BoilerplateRule], where: Callable[[BoilerplateRule], str]) -> None:
    ids: dict[str, BoilerplateRule] = {}
    names: dict[str, BoilerplateRule] = {}
    for rule in rules:
        if rule.id in ids:
            other = ids[rule.id]
            raise RulePackError(
                f"{where(rule)}: duplicate rule id {rule.id} ({rule.name}; already used by "
                f"{other.name} in pack {other.pack!r})"
            )
        if rule.name in names:
            other = names[rule.name]
            raise RulePackError(
                f"{where(rule)}: duplicate rule name {rule.name!r} ({rule.id}; already used by "
                f"{other.id} in pack {other.pack!r})"
            )
        ids[rule.id] = rule
        names[rule.name] = rule


def _parse_rule(path: Path, pack: str, position: int, raw: Any) -> BoilerplateRule:
    label = f"rule #{position}"
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        label = f"rule {raw['id']}" + (f" ({raw['name']})" if isinstance(raw.get("name"), str) else "")

    def fail(problem: str) -> RulePackError:
        return RulePackError(f"{path}: {label}: {problem}")

    if not isinstance(raw, dict):
        raise fail("not a table")
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise fail(f"unknown key(s): {', '.join(sorted(unknown))}")
    for key in ("id", "name", "why"):
        if key not in raw:
            raise fail(f"missing required field '{key}'")
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise fail(f"'{key}' must be a non-empty string")
    rule_id, name, why = raw["id"], raw["name"], raw["why"].strip()
    if not _ID.fullmatch(rule_id):
        raise fail(f"id {rule_id!r} must be 'BP' followed by at least three digits, e.g. BP001")
    if _RESERVED_ID.fullmatch(rule_id):
        raise fail(f"id {rule_id!r} is reserved: BP900-BP999 are the boilerplate stage's built-in rules")
    if not _NAME.fullmatch(name):
        raise fail(f"name {name!r} must be kebab-case (lower-case words joined by '-')")
    if "\n" in why:
        raise fail("'why' must be a single line")

    kind = _choice(raw, "kind", KINDS, "phrase", fail)
    scope = _choice(raw, "scope", SCOPES, "head" if kind == "repeated-head-line" else "line", fail)
    action = _choice(raw, "action", ACTIONS, "drop-line", fail)
    max_length = _positive_int(raw, "max_length", DEFAULT_MAX_LENGTH, fail)
    if scope == "line":
        if "scope_lines" in raw:
            raise fail("'scope_lines' only applies to scope 'head' or 'tail'")
        scope_lines = None
    else:
        scope_lines = _positive_int(raw, "scope_lines", DEFAULT_SCOPE_LINES[scope], fail)
    case_sensitive = raw.get("case_sensitive", False)
    if not isinstance(case_sensitive, bool):
        raise fail("'case_sensitive' must be true or false")

    near: tuple[str, ...] = ()
    if "near" in raw:
        if not isinstance(raw["near"], list) or not raw["near"] or not all(
            isinstance(item, str) and _ID.fullmatch(item) for item in raw["near"]
        ):
            raise fail("'near' must be a non-empty list of rule ids")
        near = tuple(raw["near"])
        if rule_id in near:
            raise fail("'near' cannot name the rule itself")
    elif "near_lines" in raw:
        raise fail("'near_lines' needs 'near'")
    near_lines = _positive_int(raw, "near_lines", DEFAULT_NEAR_LINES, fail)
    for key in ("min_lines", "min_outside_lines"):
        if key in raw and kind != "short-line-block":
            raise fail(f"'{key}' only applies to kind 'short-line-block'")
    min_lines = _positive_int(raw, "min_lines", DEFAULT_MIN_LINES, fail)
    min_outside_lines = _positive_int(raw, "min_outside_lines", DEFAULT_MIN_OUTSIDE_LINES, fail)

    pattern = raw.get("pattern")
    compiled = None
    if kind == "phrase":
        if pattern is None:
            raise fail("missing required field 'pattern'")
        if not isinstance(pattern, str) or not pattern.strip():
            raise fail("'pattern' must be a non-empty string")
        # An int, not the RegexFlag member: regex's parser tests the flags at every step, and enum
        # operators made a third of the 74 compiles at start-up (0.11 -> 0.08 s); same pattern.
        flags = 0 if case_sensitive else int(regex.IGNORECASE)
        try:
            compiled = regex.compile(pattern, flags)
        except (regex.error, ValueError, OverflowError, RecursionError) as error:
            raise fail(f"pattern does not compile: {error}") from error
        try:
            empty_matches = compiled.fullmatch("", timeout=DEFAULT_TIMEOUT) is not None
        except TimeoutError:
            empty_matches = True
        if empty_matches:
            raise fail("pattern matches an empty line, so it would match far too much")
        if action == "drop-rest" and scope != "tail":
            raise fail("action 'drop-rest' is only allowed with scope 'tail'")
    else:
        if pattern is not None:
            raise fail(f"kind {kind!r} takes no 'pattern'")
        if kind == "repeated-head-line" and (scope != "head" or action != "drop-line" or near):
            raise fail(f"kind {kind!r} needs scope 'head', action 'drop-line' and no 'near'")
        if kind == "short-line-block" and (scope != "line" or action != "drop-line" or near):
            raise fail(f"kind {kind!r} needs scope 'line' (it finds its own), action 'drop-line' and no 'near'")
        pattern = ""

    examples = raw.get("examples")
    if not isinstance(examples, dict):
        raise fail("missing required table 'examples' (with 'match' and 'no_match' lists)")
    unknown = set(examples) - {"match", "no_match"}
    if unknown:
        raise fail(f"unknown key(s) in 'examples': {', '.join(sorted(unknown))}")
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("match", "no_match"):
        items = examples.get(key)
        if not isinstance(items, list) or not items or not all(isinstance(item, str) for item in items):
            raise fail(f"'examples.{key}' must be a non-empty list of strings")
        lists[key] = tuple(items)

    return BoilerplateRule(
        id=rule_id,
        name=name,
        why=why,
        pattern=pattern,
        scope=scope,
        scope_lines=scope_lines,
        action=action,
        max_length=max_length,
        kind=kind,
        examples_match=lists["match"],
        examples_no_match=lists["no_match"],
        pack=pack,
        case_sensitive=case_sensitive,
        near=near,
        near_lines=near_lines,
        min_lines=min_lines,
        min_outside_lines=min_outside_lines,
        compiled=compiled,
    )


def _choice(
    raw: dict[str, Any],
    key: str,
    allowed: tuple[str, ...],
    default: str,
    fail: Callable[[str], RulePackError],
) -> str:
    value = raw.get(key, default)
    if value not in allowed:
        raise fail(f"unknown {key} {value!r} (expected one of: {', '.join(allowed)})")
    return str(value)


def _positive_int(
    raw: dict[str, Any], key: str, default: int, fail: Callable[[str], RulePackError]
) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise fail(f"'{key}' must be a positive integer")
    return value
