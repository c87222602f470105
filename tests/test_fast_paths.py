"""Fast paths of the repair search's helpers against the slow code they replace: each must
give exactly what the slow one gives (same readings, same order)."""

from __future__ import annotations

import itertools

from cleaner.mojibake import CODECS, Piece, _decode_one, _two_bytes_short


def _two_bytes_short_slow(sequence: tuple[int, ...], values: tuple[int, ...]) -> list[Piece]:
    """_two_bytes_short as it was: every value of ``values`` tried in both places."""
    options: list[Piece] = []
    length = len(sequence) + 2
    for first, second in itertools.combinations(range(1, length), 2):
        tokens: list[int | None] = list(sequence)
        tokens.insert(first, None)
        tokens.insert(second, None)
        for first_value, second_value in itertools.product(values, repeat=2):
            tokens[first], tokens[second] = first_value, second_value
            raw = bytes(tokens)  # type: ignore[arg-type]
            char = _decode_one(raw)
            if char is not None:
                options.append(Piece(char, raw, (first, second)))
    return options


def test_two_bytes_short_only_tries_continuation_bytes() -> None:
    value_sets = {tuple(range(0x80, 0x100)), tuple(range(0x00, 0x100, 3)),
                  *(codec.dropped for codec in CODECS.values() if codec.dropped)}
    sequences = [(0xE4,), (0xE0,), (0xED,), (0xEF,), (0xF0, 0x9F), (0xF4, 0x8F), (0xF0,), (0xE6, 0x96)]
    for values in value_sets:
        for sequence in sequences:
            assert _two_bytes_short.__wrapped__(sequence, values) == _two_bytes_short_slow(sequence, values), \
                (sequence, values)
