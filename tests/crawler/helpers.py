"""End-to-end helpers: a real `vnnews crawl` process and a real SQLite archive to read."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
# Politeness off against the loopback server only; fast retries so fault tests stay quick.
FAST = [
    "-s", "DOWNLOAD_DELAY=0",
    "-s", "AUTOTHROTTLE_ENABLED=False",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "-s", "RETRY_BACKOFF_BASE=0.1",
    "-s", "DOWNLOAD_TIMEOUT=10",
    "-s", "VNNEWS_PROGRESS_INTERVAL=0.5",
]  # fmt: skip


def crawl_command(db: Path, base_url: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "vnnews", "crawl", "--db", str(db), "--base-url", base_url, *FAST, *extra]


def crawl(db: Path, base_url: str, *extra: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        crawl_command(db, base_url, *extra),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=db.parent,
        env=env,
    )


def start_crawl(db: Path, base_url: str, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        crawl_command(db, base_url, *extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=db.parent,
        env=env,
    )


def rows(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute(sql, params).fetchall()
