"""tiplens: open, reproducible analytics for people who work against human trafficking."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tiplens")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
