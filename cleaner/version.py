"""The version, defined here and only here: pyproject.toml reads it (``[tool.setuptools.dynamic]``).

A literal, not ``importlib.metadata.version("cleaner")``: that import and the scan of installed
distributions cost ~30 ms at every start, and every corpus run and pre-commit hook starts.
"""

__version__ = "0.1.0"
