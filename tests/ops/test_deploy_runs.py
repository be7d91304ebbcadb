"""The crawl commands in deploy/ really crawl: the cron line through /bin/sh as cron runs it, and the
systemd ExecStart expanded the way systemd expands it, each with an env file like /etc/vnnews/vnnews.env.

Only the install paths are swapped (/etc/vnnews/vnnews.env, /opt/vnnews/.venv/bin/) and the site is
the local snapshot behind a proxy that records the User-Agent, to show the contact URL reaches the wire.
"""

from __future__ import annotations

import configparser
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ops_helpers import FAST, VENV_BIN, RecordingProxy, query

pytestmark = pytest.mark.slow

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
CONTACT = "https://ops.example/cron-and-systemd"


def write_env_file(path: Path, db: Path, logs: Path, base_url: str) -> Path:
    # The deployed file's shape, with test values; --base-url rides along with the politeness options.
    options = " ".join(["--base-url", base_url, *FAST])
    path.write_text(
        f'VNNEWS_DB={db}\nVNNEWS_LOG_DIR={logs}\nVNNEWS_CONTACT_URL={CONTACT}\nVNNEWS_CRAWL_OPTIONS="{options}"\n',
        encoding="utf-8",
    )
    logs.mkdir()
    return path


def systemd_environment_file(path: Path) -> dict[str, str]:
    env = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, value = line.split("=", 1)
            env[key] = value.strip('"')
    return env


def systemd_expand(command: str, env: dict[str, str]) -> list[str]:
    """systemd.service(5): a word that is exactly $VAR splits at whitespace; ${VAR} stays one word."""
    words: list[str] = []
    for word in shlex.split(command):
        whole = re.fullmatch(r"\$(\w+)", word)
        if whole:
            words.extend(env.get(whole.group(1), "").split())
        else:
            words.append(re.sub(r"\$\{(\w+)\}", lambda match: env.get(match.group(1), ""), word))
    return words


def check_crawl(db: Path, logs: Path, proxy: RecordingProxy, site_server: Any) -> None:
    assert query(db, "select status from runs") == [("success",)]
    assert query(db, "select count(*) from articles")[0][0] >= len(site_server.snapshot.articles)
    log_files = list(logs.glob("crawl-*.log"))
    assert len(log_files) == 1, "one log file per run"
    assert "Spider closed (finished)" in log_files[0].read_text(encoding="utf-8")
    assert proxy.user_agents and all(CONTACT in agent for agent in proxy.user_agents)


def test_systemd_exec_start_crawls(tmp_path: Path, site_server: Any) -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read(DEPLOY / "vnnews-crawl.service", encoding="utf-8")
    exec_start = unit["Service"]["ExecStart"].replace("%%", "%")  # systemd's specifier escape
    success = {int(code) for code in unit["Service"]["SuccessExitStatus"].split()} | {0}
    db, logs = tmp_path / "news.db", tmp_path / "logs"
    with RecordingProxy(site_server.base_url) as proxy:
        env = systemd_environment_file(write_env_file(tmp_path / "vnnews.env", db, logs, proxy.base_url))
        argv = systemd_expand(exec_start, env)
        assert argv[0] == "/opt/vnnews/.venv/bin/vnnews"
        argv[0] = str(VENV_BIN / "vnnews")
        result = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0 and result.returncode in success, result.stderr
    check_crawl(db, logs, proxy, site_server)


def test_cron_line_crawls(tmp_path: Path, site_server: Any) -> None:
    lines = (DEPLOY / "crontab").read_text(encoding="utf-8").splitlines()
    [entry] = [line for line in lines if "vnnews crawl " in line and not line.startswith("#")]
    command = entry.split(None, 6)[6]  # after the five time fields and the user
    db, logs = tmp_path / "news.db", tmp_path / "logs"
    with RecordingProxy(site_server.base_url) as proxy:
        env_file = write_env_file(tmp_path / "vnnews.env", db, logs, proxy.base_url)
        command = command.replace("/etc/vnnews/vnnews.env", str(env_file))
        command = command.replace("/opt/vnnews/.venv/bin/", f"{VENV_BIN}/")
        # cron's environment is nearly empty: what the crawl needs must come from the env file.
        result = subprocess.run(
            ["/bin/sh", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=120, env={}
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout == result.stderr == "", "no cron mail for a good run"
    check_crawl(db, logs, proxy, site_server)
