"""Configuration files: ``[tool.cleaner]`` in pyproject.toml, or a ``cleaner.toml``.

The file is found by walking up from the current directory (``cleaner.toml`` wins over
pyproject.toml in the same directory), or named with ``--config``. Keys are the long CLI option
names with ``_`` for ``-``; the command line overrides the file, which overrides the defaults.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

# key -> the type its value must have ("list" means a list of strings)
KEYS: dict[str, str] = {
    "only": "list", "skip": "list", "punctuation": "str", "rules": "list", "select": "list", "ignore": "list",
    "jobs": "int", "text_field": "str", "id_field": "str", "fail_on": "str", "output_format": "str",
    "no_change_log": "bool", "chunk_records": "int", "max_boilerplate_share": "float",
    "repeated_lines": "bool", "repeated_min_docs": "int", "repeated_min_group": "int", "group_by": "str",
}


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Config:
    values: dict[str, Any]
    path: Path | None

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def find_config(start: Path) -> Path | None:
    for directory in [start, *start.parents]:
        candidate = directory / "cleaner.toml"
        if candidate.is_file():
            return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        return "cleaner" in tomllib.loads(path.read_text("utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def load_config(path: Path | None) -> Config:
    """Read and check a configuration file; ``None`` gives the empty configuration."""
    if path is None:
        return Config({}, None)
    try:
        document = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    table = document.get("tool", {}).get("cleaner", {}) if path.name == "pyproject.toml" else document
    values: dict[str, Any] = {}
    for raw_key, value in table.items():
        key = raw_key.replace("-", "_")
        kind = KEYS.get(key)
        if kind is None:
            raise ConfigError(f"{path}: unknown key {raw_key!r}; known keys: {', '.join(sorted(KEYS))}")
        if kind == "list" and isinstance(value, str):
            value = [value]
        valid = {"list": isinstance(value, list) and all(isinstance(item, str) for item in value),
                 "str": isinstance(value, str), "int": isinstance(value, int) and not isinstance(value, bool),
                 "bool": isinstance(value, bool),
                 "float": value == "none" or (isinstance(value, (int, float)) and not isinstance(value, bool)
                                              and 0 < value <= 1)}[kind]
        if not valid:
            expected = {"list": "a list of strings", "float": 'a number in (0, 1] or "none"'}.get(kind, "a " + kind)
            raise ConfigError(f"{path}: {raw_key!r} must be {expected}")
        if key == "rules":  # relative to the configuration file, not to wherever cleaner runs
            value = [str((path.parent / item).resolve()) for item in value]
        values[key] = value
    return Config(values, path)


def config_sha256(settings: dict[str, Any]) -> str:
    """A stable hash of the effective settings that shape the output (for change logs and --resume)."""
    return hashlib.sha256(json.dumps(settings, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
