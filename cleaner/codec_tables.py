"""Which wrong readings of UTF-8 the repair stage knows, and how likely each is a priori.

Data only; the logic that uses it is in :mod:`cleaner.mojibake`. A *prior* is a cost in nats
added to every repair through that reading: the readings the web produces most often
(Windows-1252, then the other Windows code pages) cost least, rare DOS and Mac tables most.
It only matters when two readings of the same text both decode: the cheaper wins.
"""

from __future__ import annotations

# (codec name, family, prior). Every codec here is a Python codec that maps each byte to at
# most one character; bytes it leaves undefined are the ones a reader drops, replaces with
# U+FFFD, or shows as the C1 control / Latin-1 character of the same value ("sloppy").
SINGLE_BYTE: tuple[tuple[str, str, float], ...] = (
    ("cp1252", "Windows Latin", 0.0),
    ("cp1250", "Windows Latin", 1.0),
    ("cp1254", "Windows Latin", 1.5),
    ("cp1257", "Windows Latin", 1.5),
    ("cp1258", "Windows Latin", 1.5),
    ("cp1251", "Windows Cyrillic", 1.0),
    ("cp1253", "Windows Greek", 1.5),
    ("cp1255", "Windows Hebrew", 1.5),
    ("cp1256", "Windows Arabic", 1.5),
    ("cp874", "Windows Thai", 2.0),  # browsers and Windows show cp874 with cp1252 in its holes
    ("iso8859_1", "ISO-8859", 0.5),
    ("iso8859_2", "ISO-8859", 2.0),
    ("iso8859_3", "ISO-8859", 3.0),
    ("iso8859_4", "ISO-8859", 3.0),
    ("iso8859_5", "ISO-8859", 2.0),
    ("iso8859_6", "ISO-8859", 3.0),
    ("iso8859_7", "ISO-8859", 2.0),
    ("iso8859_8", "ISO-8859", 3.0),
    ("iso8859_9", "ISO-8859", 2.0),
    ("iso8859_10", "ISO-8859", 3.0),
    ("iso8859_13", "ISO-8859", 3.0),
    ("iso8859_14", "ISO-8859", 3.0),
    ("iso8859_15", "ISO-8859", 2.0),
    ("iso8859_16", "ISO-8859", 3.0),
    ("cp437", "DOS", 2.0),
    ("cp850", "DOS", 2.0),
    ("cp852", "DOS", 3.0),
    ("cp866", "DOS", 2.0),
    ("mac_roman", "Mac", 1.5),
    ("mac_cyrillic", "Mac", 2.5),
    ("mac_greek", "Mac", 3.0),
    ("mac_latin2", "Mac", 3.0),
    ("mac_turkish", "Mac", 3.0),
    ("koi8_r", "KOI8", 2.0),
    ("koi8_u", "KOI8", 2.0),
)

# Hybrids as Windows and browsers produce them: (name, family, prior, high codec, low codec).
# The high codec decodes every byte it defines; the low one fills its holes in 0x80-0x9F.
# cp874 has no punctuation there, so Thai pages show cp1252's (seed 004).
HYBRID: tuple[tuple[str, str, float, str, str], ...] = (
    ("cp874+cp1252", "Thai hybrid", 1.5, "cp874", "cp1252"),
)

# Multi-byte codecs: a UTF-8 byte sequence read as pairs (the famous 鈥檚 for ’s under GBK).
MULTI_BYTE: tuple[tuple[str, str, float], ...] = (
    ("gbk", "CJK", 1.5),
    ("gb18030", "CJK", 2.0),
    ("big5", "CJK", 2.0),
    ("shift_jis", "CJK", 1.5),
    ("cp932", "CJK", 1.5),
    ("euc_kr", "CJK", 2.0),
    ("cp949", "CJK", 2.0),
    ("euc_jp", "CJK", 2.0),
)

# A second layer of the same mistake costs this much on top of the first.
LAYER_PRIOR = 2.0
