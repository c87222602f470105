"""Edits apply and revert exactly, refuse to apply where they do not fit, and map positions back."""

from __future__ import annotations

import pytest

from cleaner.edits import Edit, EditConflict, LineIndex, PositionMap, apply_edits, revert_edits


def edit(start: int, end: int, before: str, after: str) -> Edit:
    return Edit("test", "T001", "test", start, end, before, after)


def test_apply_and_revert_are_inverse() -> None:
    text = "abc def ghi"
    edits = [edit(0, 3, "abc", "X"), edit(4, 4, "", "[ins]"), edit(8, 11, "ghi", "")]
    out = apply_edits(text, edits)
    assert out == "X [ins]def "
    assert revert_edits(out, edits) == text


def test_edit_that_does_not_match_the_text_is_refused() -> None:
    with pytest.raises(EditConflict):
        apply_edits("abc", [edit(0, 1, "z", "y")])


def test_overlapping_edits_are_refused() -> None:
    with pytest.raises(EditConflict):
        apply_edits("abcdef", [edit(0, 3, "abc", ""), edit(2, 4, "cd", "")])


def test_revert_refuses_an_output_that_does_not_fit() -> None:
    with pytest.raises(EditConflict):
        revert_edits("something else", [edit(0, 3, "abc", "XYZ!")])


def test_position_map_maps_output_positions_to_input() -> None:
    # "aaa BBB ccc" -> "aaa b ccc"
    mapping = PositionMap([edit(4, 7, "BBB", "b")])
    assert mapping.to_input(0) == 0
    assert mapping.to_input(4) == 4  # inside the replacement: its start
    assert mapping.to_input(6) == 8  # the "c" after it
    assert mapping.to_input(8) == 10


def test_line_index_is_one_based() -> None:
    index = LineIndex("ab\ncd\n\nef")
    assert index.line_column(0) == (1, 1)
    assert index.line_column(4) == (2, 2)
    assert index.line_column(7) == (4, 1)
