"""Check ``vnnews crawl``'s options before Scrapy starts: wrong usage is one line and exit 2, not a
traceback from deep inside Scrapy (``-s DOWNLOAD_DELAY=abc``) or a run that retries a URL that can
never work (``--base-url http://``).

A ``-s`` value is checked against the type of the setting's default (crawler/settings.py, else
Scrapy's defaults): numbers, integers, booleans, JSON objects, lists of integers and log levels.
Settings without a typed default (strings, None, a spider's own) are passed through as given.
"""

from __future__ import annotations

import json
import logging
import math
from typing import Any
from urllib.parse import urlsplit

import crawler.settings as ours
from extraction.publishers import PUBLISHERS


class UsageError(ValueError):
    """A command-line value that cannot work; the message is the one line shown to the user."""


# Settings whose default is an int but that Scrapy reads with getfloat: 0.5 is a valid value.
_READ_AS_FLOAT = {"DOWNLOAD_DELAY", "DOWNLOAD_TIMEOUT", "DNS_TIMEOUT", "CLOSESPIDER_TIMEOUT"}
_BOOL_WORDS = {"0", "1", "True", "true", "False", "false"}  # what Scrapy's Settings.getbool accepts


def check_base_url(value: str) -> str:
    """An http(s) URL with a host (and a valid port, if any); the site's root is what gets crawled."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https"):
        raise UsageError(f"--base-url must start with http:// or https://, not {value!r}")
    try:
        port = parts.port  # raises on a port that is not a number or out of range
    except ValueError:
        raise UsageError(f"--base-url has an invalid port: {value!r}") from None
    if not parts.hostname or port == 0:
        raise UsageError(f"--base-url must name a host, as in http://127.0.0.1:8000, not {value!r}")
    if parts.query or parts.fragment:
        raise UsageError(f"--base-url is the site's root URL, without ?query or #fragment: {value!r}")
    return value.strip().rstrip("/")


def _defaults() -> dict[str, Any]:
    import scrapy.settings.default_settings as scrapy_defaults

    values = {name: getattr(scrapy_defaults, name) for name in dir(scrapy_defaults) if name.isupper()}
    values.update({name: getattr(ours, name) for name in dir(ours) if name.isupper()})
    return values


def _number(name: str, value: str, integer: bool) -> None:
    text = value.strip()
    if integer:
        try:
            int(text)
        except ValueError:
            raise UsageError(f"-s {name} takes a whole number, not {value!r}") from None
        return
    try:
        number = float(text)
    except ValueError:
        raise UsageError(f"-s {name} takes a number, not {value!r}") from None
    if not math.isfinite(number):
        raise UsageError(f"-s {name} takes a finite number, not {value!r}")


def check_setting(name: str, value: str, defaults: dict[str, Any] | None = None) -> None:
    """Raise UsageError when Scrapy (or vnnews) could not read ``value`` as setting ``name``."""
    default = (defaults if defaults is not None else _defaults()).get(name)
    if name == "LOG_LEVEL":
        if not isinstance(logging.getLevelName(value.strip().upper()), int):
            raise UsageError(f"-s LOG_LEVEL takes DEBUG, INFO, WARNING, ERROR or CRITICAL, not {value!r}")
    elif isinstance(default, bool):
        if value.strip() not in _BOOL_WORDS:
            raise UsageError(f"-s {name} takes True or False (or 1 or 0), not {value!r}")
    elif isinstance(default, int):
        _number(name, value, integer=name not in _READ_AS_FLOAT)
    elif isinstance(default, float):
        _number(name, value, integer=False)
    elif isinstance(default, dict):
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            raise UsageError(f'-s {name} takes a JSON object such as {{"name": 100}}, not {value!r}')
    elif isinstance(default, list | tuple) and default and all(isinstance(v, int) for v in default):
        items = [item.strip() for item in value.split(",") if item.strip()]
        if not all(item.lstrip("-").isdigit() for item in items):
            raise UsageError(f"-s {name} takes whole numbers separated by commas, not {value!r}")


def check_mirrors(value: str | None) -> None:
    """``-s VNNEWS_BASE_URLS={"publisher": "http://..."}``: known publishers, usable URLs."""
    if value is None:
        return

    for key, url in json.loads(value).items():  # a JSON object: check_settings has made sure
        if key not in PUBLISHERS:
            raise UsageError(f"-s VNNEWS_BASE_URLS names an unknown publisher {key!r}")
        if not isinstance(url, str):
            raise UsageError(f"-s VNNEWS_BASE_URLS: {key}'s base URL must be a string, not {url!r}")
        check_base_url(url)


def check_settings(overrides: dict[str, str]) -> None:
    defaults = _defaults()
    for name, value in overrides.items():
        check_setting(name, value, defaults)
