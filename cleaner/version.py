"""The installed version, read from the package metadata so it is defined in one place."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cleaner")
except PackageNotFoundError:  # running from a source checkout that is not installed
    __version__ = "0+unknown"
