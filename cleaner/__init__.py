"""cleaner: text cleaning and encoding repair for scraped corpora, with a replayable change log.

>>> from cleaner import clean_text
>>> result = clean_text("Yรกng Jiรฉchรญ ๆจๆด็ฏช said: “no.”  \\n\\n\\n\\nShare:\\n")
>>> result.text
'Yáng Jiéchí 杨洁篪 said: “no.”\\n'
>>> sorted({edit.stage for edit in result.edits})
['boilerplate', 'repair', 'whitespace']
"""

from cleaner.edits import CleanWarning, Edit, apply_edits, revert_edits
from cleaner.pipeline import Options, Pipeline, Result, clean_bytes, clean_text
from cleaner.stages.decode import Decoded, UndecodableInput, decode_bytes
from cleaner.version import __version__

__all__ = [
    "CleanWarning",
    "Decoded",
    "Edit",
    "Options",
    "Pipeline",
    "Result",
    "UndecodableInput",
    "__version__",
    "apply_edits",
    "clean_bytes",
    "clean_text",
    "decode_bytes",
    "revert_edits",
]
