"""Decoding: BOMs, the UTF-8 fast path, legacy encodings, and refusing binary data."""

from __future__ import annotations

import codecs

import pytest
from fixture_paths import FIXTURES

from cleaner.stages.decode import UndecodableInput, decode_bytes

SENTENCES = {
    "cp1252": "The crème brûlée at the café was “perfect”, said the naïve critic — twice.\n",
    "cp1250": "Zażółć gęślą jaźń; Příliš žluťoučký kůň úpěl ďábelské ódy.\n",
    "cp1251": "Съешь же ещё этих мягких французских булок, да выпей чаю.\n",
    "koi8_r": "Съешь же ещё этих мягких французских булок, да выпей чаю.\n",
    "cp1253": "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία, είπε ο ποιητής.\n",
    "shift_jis": "いろはにほへと ちりぬるを わかよたれそ つねならむ。日本語の文章です。\n",
    "gb18030": "我们的国家是中国，人民很多，大家都在学习中文。\n",
    "euc_kr": "키스의 고유조건은 입술끼리 만나야 하고 특별한 기술은 필요치 않다.\n",
}


@pytest.mark.parametrize("encoding", sorted(SENTENCES))
def test_legacy_encodings_are_detected_and_reversible(encoding: str) -> None:
    data = SENTENCES[encoding].encode(encoding)
    decoded = decode_bytes(data)
    assert decoded.text == SENTENCES[encoding]
    assert decoded.text.encode(decoded.encoding) == data
    assert decoded.method == "charset-normalizer"


def test_short_cp1252_is_read_as_cp1252() -> None:
    assert decode_bytes("crème brûlée\n".encode("cp1252")).text == "crème brûlée\n"


def test_utf8_takes_the_fast_path() -> None:
    decoded = decode_bytes("Grüße, 世界\n".encode())
    assert (decoded.encoding, decoded.method, decoded.confidence) == ("utf-8", "utf-8", 1.0)


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
     (codecs.BOM_UTF32_LE, "utf-32-le")],
)
def test_byte_order_marks_are_honoured_and_kept_for_revert(bom: bytes, encoding: str) -> None:
    data = bom + "Zoë\n".encode(encoding)
    decoded = decode_bytes(data)
    assert decoded.encoding == encoding
    assert decoded.text == "\ufeffZoë\n"
    assert decoded.text.encode(encoding) == data


def test_empty_input_is_empty_text() -> None:
    assert decode_bytes(b"").text == ""


@pytest.mark.parametrize("data", [b"\x7fELF\x02\x01\x01\x00\x00\x00" * 20, bytes(range(256)) * 4])
def test_binary_input_is_refused_with_a_reason(data: bytes) -> None:
    with pytest.raises(UndecodableInput, match="binary"):
        decode_bytes(data)


# Each clean fixture line (Article 1 of the UDHR in its official translations), in the legacy
# codec that language was most often written in. An independent check of the detector: these
# lines were not used to build it.
LEGACY_BY_LANGUAGE = {
    "Tous les": "cp1252", "Alle Menschen": "cp1252", "Todos los": "cp1252", "Όλοι οι": "cp1253",
    "Все люди": "cp1251", "Усі люди": "cp1251", "Wszyscy ludzie": "cp1250", "Všichni lidé": "cp1250",
    "Tüm insanlar": "cp1254", "Minden emberi": "cp1250", "มนุษย์ทั้งหลาย": "cp874", "人人生而自由，在尊严": "gb18030",
    "人人生而自由，在尊嚴": "big5", "すべての人間は": "shift_jis", "모든 인간은": "euc_kr", "כל בני": "cp1255",
    "يولد جميع": "cp1256",
}


def clean_lines() -> list[tuple[str, str]]:
    lines = (FIXTURES / "clean" / "multilingual.txt").read_text("utf-8").splitlines()
    return [(line, codec) for line in lines for prefix, codec in LEGACY_BY_LANGUAGE.items() if line.startswith(prefix)]


@pytest.mark.parametrize(("line", "codec"), clean_lines(), ids=lambda value: value[:12] if len(value) > 8 else value)
def test_real_sentences_in_their_legacy_codec_are_read_right(line: str, codec: str) -> None:
    data = (line + "\n").encode(codec)
    assert decode_bytes(data).text == line + "\n"
