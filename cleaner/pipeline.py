"""The pipeline: an ordered list of stages run over one document, collecting every edit.

The pipeline knows nothing of files: :mod:`cleaner.corpus` feeds it documents. Each stage sees
the previous stage's output and returns edits in its own input's coordinates; the pipeline applies
them, checks they fit, and maps each edit back to a line and column of the original input.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from cleaner.edits import CleanWarning, Edit, LineIndex, PositionMap, apply_edits
from cleaner.rule_screen import remember_utf8
from cleaner.selection import RuleSelection
from cleaner.stages import STAGE_ORDER
from cleaner.stages.base import Stage
from cleaner.stages.decode import DecodeStage, decode_bytes
from cleaner.stages.punctuation import DEFAULT_PROFILE, PROFILES, PunctuationStage
from cleaner.stages.whitespace import WhitespaceStage

if TYPE_CHECKING:
    from cleaner.rules import BoilerplateRule, RulePack

MAX_PASSES = 4


@dataclass(frozen=True, init=False)
class Location:
    """Where an edit or warning stands in the original (decoded) input, for people: 1-based."""

    line: int
    column: int

    def __init__(self, line: int, column: int) -> None:
        # As Edit.__init__ (cleaner.edits): one per edit, without frozen's object.__setattr__() per field.
        fields = self.__dict__
        fields["line"] = line
        fields["column"] = column


@dataclass
class Result:
    """What cleaning one document gave: the text, every edit in order, and what was noticed."""

    text: str
    edits: list[Edit] = field(default_factory=list)
    warnings: list[CleanWarning] = field(default_factory=list)
    original: str = ""
    encoding: str = "utf-8"
    confidence: float = 1.0
    edit_locations: list[Location] = field(default_factory=list)
    warning_locations: list[Location] = field(default_factory=list)
    # (stage name, its edits) for each stage that ran, in order: the unit replay applies.
    steps: list[tuple[str, list[Edit]]] = field(default_factory=list)

    @property
    def transcoded(self) -> bool:
        """The input was not UTF-8: the output's bytes differ even where no edit was made."""
        return self.encoding != "utf-8"

    @property
    def changed(self) -> bool:
        return bool(self.edits) or self.transcoded

    def counts_by_rule(self) -> dict[str, int]:
        return dict(sorted(Counter(edit.rule for edit in self.edits).items()))

    def counts_by_stage(self) -> dict[str, int]:
        counts = Counter(edit.stage for edit in self.edits)
        return {stage: counts[stage] for stage in STAGE_ORDER if counts[stage]}


@dataclass(frozen=True)
class Options:
    """Everything a user can choose about cleaning; the CLI and the library share it."""

    only: Sequence[str] = ()
    skip: Sequence[str] = ()
    punctuation: str = DEFAULT_PROFILE
    rules: Sequence[Path] = ()
    select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    # The safety valve: a document whose boilerplate would exceed this share of its words is
    # kept as it was (with a warning). None: no limit. 0.9, not less: on the article-extraction
    # benchmark correct removals reach 88% of a page's words (paywalled pages).
    max_boilerplate_share: float | None = 0.9

    def __post_init__(self) -> None:
        for stage in (*self.only, *self.skip):
            if stage not in STAGE_ORDER:
                raise ValueError(f"unknown stage {stage!r}; stages are {', '.join(STAGE_ORDER)}")
        if self.max_boilerplate_share is not None and not 0 < self.max_boilerplate_share <= 1:
            raise ValueError("max_boilerplate_share must be more than 0 and at most 1, or None")
        if self.punctuation not in PROFILES:
            raise ValueError(f"unknown punctuation profile {self.punctuation!r}; choose one of {', '.join(PROFILES)}")

    def stage_names(self) -> list[str]:
        chosen = self.only or STAGE_ORDER
        return [name for name in STAGE_ORDER if name in chosen and name not in self.skip]

    def as_dict(self) -> dict[str, object]:
        return {
            "stages": self.stage_names(),
            "punctuation": self.punctuation,
            "rules": [str(path) for path in self.rules],
            "select": list(self.select),
            "ignore": list(self.ignore),
            "max_boilerplate_share": self.max_boilerplate_share,
        }


class Pipeline:
    """Runs its stages in order over a document.

    >>> Pipeline([WhitespaceStage()]).clean_text("a  \\n\\n\\n\\nb").text
    'a\\n\\nb\\n'
    """

    def __init__(self, stages: Sequence[Stage], rule_packs: Sequence[RulePack] = (),
                 options: Options | None = None) -> None:
        self.stages = list(stages)
        self.rule_packs = list(rule_packs)
        self.options = options or Options()
        self._boilerplate_rules: Sequence[BoilerplateRule] = ()

    @classmethod
    def from_options(cls, options: Options | None = None, **kwargs: object) -> Pipeline:
        """The standard pipeline for ``options`` (or keyword arguments of :class:`Options`)."""
        if options is None:
            options = options_from_kwargs(kwargs)
        elif kwargs:
            raise TypeError("give either an Options object or keyword options, not both")
        from cleaner.rules import boilerplate_rules, load_rule_packs
        from cleaner.stages.boilerplate import BoilerplateStage
        from cleaner.stages.repair import RepairStage

        enabled = RuleSelection(select=tuple(options.select), ignore=tuple(options.ignore))
        names = options.stage_names()
        packs = load_rule_packs(tuple(Path(path) for path in options.rules)) if "boilerplate" in names else []
        rules = boilerplate_rules(packs, enabled)
        builders: dict[str, Callable[[], Stage]] = {
            "decode": lambda: DecodeStage(enabled),
            "repair": lambda: RepairStage(enabled=enabled),
            "boilerplate": lambda: BoilerplateStage(rules, max_removed_share=options.max_boilerplate_share),
            "punctuation": lambda: PunctuationStage(options.punctuation, enabled=enabled),
            "whitespace": lambda: WhitespaceStage(enabled=enabled),
        }
        pipeline = cls([builders[name]() for name in names], rule_packs=packs, options=options)
        pipeline._boilerplate_rules = rules
        return pipeline

    def with_repeated_lines(self, repeated: Mapping[str, int]) -> Pipeline:
        """This pipeline, with lines repeated across the document's group removed (rule BP900).

        ``repeated`` maps a normalized line to the number of documents of the group it occurs in
        (:meth:`cleaner.repeated_lines.LineCounts.repeated`). The rule packs are not reloaded.
        """
        from cleaner.stages.boilerplate import BoilerplateStage

        stages = [
            BoilerplateStage(self._boilerplate_rules, repeated=repeated,
                             max_removed_share=self.options.max_boilerplate_share)
            if isinstance(stage, BoilerplateStage) else stage
            for stage in self.stages
        ]
        pipeline = Pipeline(stages, rule_packs=self.rule_packs, options=self.options)
        pipeline._boilerplate_rules = self._boilerplate_rules
        return pipeline

    def clean_text(self, text: str) -> Result:
        """Clean one document's text."""
        result = Result(text=text, original=text)
        current = text
        position_maps: list[PositionMap] = []
        # Built at the first edit or warning: most documents of a corpus have neither.
        index: LineIndex | None = None

        def to_input(position: int) -> int:
            for position_map in reversed(position_maps):
                position = position_map.to_input(position)
            return position

        def locate(position: int) -> Location:
            nonlocal index
            if index is None:
                index = LineIndex(text)
            return Location(*index.line_column(to_input(position)))

        # Where each warning points in the input, and what later edits covered there: a warning
        # about text that a later edit changed is stale (a repair pass left a letter unsettled,
        # and the next pass, which sees the repaired line, settled it) and is dropped.
        warned_at: list[int] = []
        edited_after: list[tuple[int, int, int]] = []  # (input start, input end, warnings before it)

        # A later stage can reveal work for an earlier one (removing a zero-width space can
        # join two halves of mojibake; removing a tail line makes another the tail), so passes
        # repeat until one changes nothing: cleaning the output again then changes nothing.
        # Stages whose edits cannot create work for any stage declare ``settles = True``; a
        # pass in which only they edited needs no successor. (Repair does not: its output can
        # be mojibake once more, when text was mis-decoded twice.)
        # Stages that judge each line on its own (``line_local = True``) find nothing new in a
        # pass after one whose only edits removed whole lines: they run again only after edits
        # inside lines.
        # A warning a later pass repeats at the same place is the same warning, though its words
        # may differ (the repair names the reader it weighed, and a pass sees less context).
        seen_warnings: set[tuple[str, Location]] = set()
        whole_lines_only = False
        for _ in range(MAX_PASSES):
            changed = False
            rerun_line_local = not whole_lines_only
            whole_lines_only = True
            for stage in self.stages:
                if not rerun_line_local and getattr(stage, "line_local", False):
                    continue
                stage_result = stage.find_edits(current)
                warned_before_stage = len(warned_at)  # a stage's own edits leave its warnings standing
                edits = stage_result.edits
                result.steps.append((stage.name, edits))
                for warning in stage_result.warnings:
                    location = locate(warning.start)
                    if (warning.rule, location) not in seen_warnings:
                        seen_warnings.add((warning.rule, location))
                        result.warnings.append(warning)
                        result.warning_locations.append(location)
                        warned_at.append(to_input(warning.start))
                if not edits:
                    continue
                for edit in edits:
                    result.edit_locations.append(locate(edit.start))
                    if warned_at:
                        edited_after.append((to_input(edit.start), to_input(edit.end), warned_before_stage))
                settles = getattr(stage, "settles", False)
                if not settles:
                    whole_lines_only = whole_lines_only and all(removes_whole_lines(current, edit) for edit in edits)
                current = apply_edits(current, edits)  # also checks the edits are sorted and fit
                result.edits.extend(edits)
                position_maps.append(PositionMap(edits))
                changed = changed or not settles
            if not changed:
                break
        else:
            result.warnings.append(CleanWarning("pipeline", "CL001", 0, 0, f"cleaning did not settle in {MAX_PASSES} "
                                                "passes; cleaning the output again would change it"))
            result.warning_locations.append(Location(1, 1))
        if edited_after:
            stale = {number for number, position in enumerate(warned_at)
                     if any(start <= position < end and number < before for start, end, before in edited_after)}
            if stale:
                result.warnings = [warning for number, warning in enumerate(result.warnings) if number not in stale]
                result.warning_locations = [location for number, location in enumerate(result.warning_locations)
                                            if number not in stale]
        result.text = current
        return result

    def clean_bytes(self, data: bytes) -> Result:
        """Decode ``data`` (see :func:`cleaner.stages.decode.decode_bytes`) and clean it."""
        decoded = decode_bytes(data)
        if decoded.method == "utf-8":  # the text's UTF-8 is these bytes: no stage need encode it
            remember_utf8(decoded.text, data)
        result = self.clean_text(decoded.text)
        result.encoding = decoded.encoding
        result.confidence = decoded.confidence
        return result


def removes_whole_lines(text: str, edit: Edit) -> bool:
    r"""Whether ``edit`` deletes whole lines of ``text``, terminators included: every other line
    stays exactly as it was.

    >>> removes_whole_lines("a\nb\nc", Edit("s", "R", "r", 2, 4, "b\n", ""))
    True
    >>> removes_whole_lines("a\nb\nc", Edit("s", "R", "r", 2, 3, "b", ""))
    False
    """
    start, end = edit.start, edit.end
    if edit.after or start == end:
        return False
    starts_line = start == 0 or text[start - 1] == "\n" or (text[start - 1] == "\r" and text[start] != "\n")
    ends_line = end == len(text) or text[end - 1] == "\n" or (text[end - 1] == "\r" and text[end] != "\n")
    return starts_line and ends_line


def options_from_kwargs(kwargs: dict[str, object]) -> Options:
    fields = {item.name for item in dataclasses.fields(Options)}
    unknown = set(kwargs) - fields
    if unknown:
        raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}; options are {', '.join(sorted(fields))}")
    values: dict[str, object] = dict(kwargs)
    for name in ("only", "skip", "select", "ignore", "rules"):
        if name in values:
            value = values[name]
            # One string is one item; any other iterable becomes a tuple, so Options hash.
            values[name] = (value,) if isinstance(value, (str, Path)) else tuple(value)  # type: ignore[arg-type]
    values["rules"] = tuple(Path(path) for path in values.get("rules", ()))  # type: ignore[attr-defined]
    return Options(**values)  # type: ignore[arg-type]


@lru_cache(maxsize=16)
def cached_pipeline(options: Options) -> Pipeline:
    """Building a pipeline loads and compiles rule packs: do it once per set of options."""
    return Pipeline.from_options(options)


def clean_text(text: str, **options: object) -> Result:
    """Clean ``text`` with the standard pipeline; keyword options as in :class:`Options`."""
    return cached_pipeline(options_from_kwargs(options)).clean_text(text)


def clean_bytes(data: bytes, **options: object) -> Result:
    """Decode and clean ``data``; the result's ``encoding`` says how it was decoded."""
    return cached_pipeline(options_from_kwargs(options)).clean_bytes(data)
