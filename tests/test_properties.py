"""Property-based tests: any text, any bytes: no crash, and the change log always round-trips.

Examples per test come from the hypothesis profile (tests/conftest.py): ``HYPOTHESIS_PROFILE=deep``
for a long search.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cleaner import Pipeline, UndecodableInput, apply_edits, clean_text, revert_edits
from cleaner.changelog import build_records, dumps, loads, replay, revert

# Text that looks like scraped text: letters of several scripts, mojibake-prone characters,
# punctuation, invisible junk and every kind of line break.
SCRAPED_ALPHABET = st.sampled_from(
    list("abcXYZ 019.,;:!?'\"-()") + list("éüßçñÃ©¨€œ“”‘’–—…•™ÂÐÑ") + list("รกฉญๆจดฏชโว่้") + list("杨洁篪中文한국어")
    + ["\n", "\r\n", "\r", "\t", "\u00a0", "\u200b", "\u00ad", "\ufeff", "\u200d", "\x07", "\x85"]
    + ["fbpx\n", "Share:\n", "Submit a Comment\n", "Yรกng ", "โ€œ", "โ€", "cafÃ© "]
)
scraped_text = st.lists(SCRAPED_ALPHABET, max_size=80).map("".join)
profiles = st.sampled_from(["keep", "ascii", "unicode"])


@given(text=st.text(max_size=200), profile=profiles)
def test_any_text_is_cleaned_and_its_edits_replay(text: str, profile: str) -> None:
    result = clean_text(text, punctuation=profile)
    replayed = text
    for _stage, edits in result.steps:
        replayed = apply_edits(replayed, edits)
    assert replayed == result.text
    for _stage, edits in reversed(result.steps):
        replayed = revert_edits(replayed, edits)
    assert replayed == text


@given(text=scraped_text, profile=profiles)
def test_scraped_looking_text_round_trips_through_the_change_log(text: str, profile: str) -> None:
    data = text.encode("utf-8", errors="surrogatepass")
    pipeline = Pipeline.from_options(punctuation=profile)
    result = pipeline.clean_bytes(data)
    log = loads(dumps(build_records(result, input_bytes=data, source="x", options={})))
    output = result.text.encode("utf-8")
    assert replay(log, data) == output
    assert revert(log, output) == data


@given(text=scraped_text)
def test_cleaning_is_idempotent(text: str) -> None:
    once = clean_text(text).text
    assert clean_text(once).text == once


@given(data=st.binary(max_size=300))
def test_any_bytes_are_cleaned_or_refused_with_a_reason(data: bytes) -> None:
    pipeline = Pipeline.from_options()
    try:
        result = pipeline.clean_bytes(data)
    except UndecodableInput as error:
        assert str(error)
        return
    log = loads(dumps(build_records(result, input_bytes=data, source="x", options={})))
    assert revert(log, result.text.encode("utf-8")) == data
