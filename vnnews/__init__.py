"""vnnews: a scraper and searchable archive of Vietnamese news."""

__version__ = "0.1.0"
