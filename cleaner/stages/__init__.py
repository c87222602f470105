"""The pipeline's stages, one module each, in the order they run."""

STAGE_ORDER = ("decode", "repair", "boilerplate", "punctuation", "whitespace")
