"""The Scrapy project: spiders, pipelines, discovery and the offline snapshot."""

from archive.version import __version__

__all__ = ["__version__"]
