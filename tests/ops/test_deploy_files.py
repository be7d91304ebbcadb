"""The deploy/ files are valid for the tools that read them and tell one settings story.

systemd units are checked by `systemd-analyze verify` when it exists (any warning about our units
fails the test), and always parsed for the fields the scheduling depends on.
"""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
INSTALLED_BIN = "/opt/vnnews/.venv/bin/"
UNITS = ("vnnews-crawl.service", "vnnews-crawl.timer", "scrapyd.service")


def read_unit(name: str) -> configparser.ConfigParser:
    # systemd allows repeated keys; configparser with strict=False keeps the last, enough for these checks.
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    venv_bin = str(Path(sys.executable).parent) + "/"
    for name in UNITS:
        # verify checks that ExecStart binaries exist: point the install path at this venv.
        text = (DEPLOY / name).read_text(encoding="utf-8").replace(INSTALLED_BIN, venv_bin)
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / name) for name in UNITS)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    ours = [line for line in (result.stdout + result.stderr).splitlines() if any(n in line for n in UNITS)]
    assert result.returncode == 0, result.stderr
    assert ours == []


def test_crawl_service_runs_crawl_as_oneshot_with_partial_success() -> None:
    service = read_unit("vnnews-crawl.service")["Service"]
    assert service["Type"] == "oneshot"
    assert service["EnvironmentFile"] == "/etc/vnnews/vnnews.env"
    assert set(service["SuccessExitStatus"].split()) == {"3", "75"}
    words = shlex.split(service["ExecStart"])
    assert words[:2] == [INSTALLED_BIN + "vnnews", "crawl"]
    assert words[words.index("--db") + 1] == "${VNNEWS_DB}"  # braced: one argument, even with spaces
    assert words[words.index("--log-file") + 1] == "${VNNEWS_LOG_DIR}"  # a folder: one log file per run
    assert "VNNEWS_CONTACT_URL=${VNNEWS_CONTACT_URL}" in words
    assert words[-1] == "$VNNEWS_CRAWL_OPTIONS"  # unbraced: split into the -s NAME=VALUE words
    for option in ("NoNewPrivileges", "PrivateTmp", "ProtectHome"):
        assert service[option] == "yes"
    assert service["ProtectSystem"] == "strict"
    assert service["StateDirectory"] == "vnnews" and service["LogsDirectory"] == "vnnews"


def test_timer_is_hourly_persistent_and_spread() -> None:
    timer = read_unit("vnnews-crawl.timer")
    assert timer["Timer"]["OnCalendar"] == "hourly"
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Timer"]["RandomizedDelaySec"]
    assert timer["Timer"]["Unit"] == "vnnews-crawl.service"
    assert timer["Install"]["WantedBy"] == "timers.target"


def env_from_shell(path: Path) -> dict[str, str]:
    script = f"set -a; . {shlex.quote(str(path))}; set +a; env -0"
    output = subprocess.run(
        ["/bin/sh", "-c", script], capture_output=True, text=True, check=True, env={}
    ).stdout
    return dict(item.split("=", 1) for item in output.split("\0") if "=" in item)


def test_env_file_reads_the_same_in_sh_as_in_systemd() -> None:
    env = env_from_shell(DEPLOY / "vnnews.env")
    assert env["VNNEWS_DB"] == "/var/lib/vnnews/news.db"
    assert env["VNNEWS_LOG_DIR"] == "/var/log/vnnews"
    assert env["VNNEWS_CONTACT_URL"].startswith("https://")
    options = shlex.split(env["VNNEWS_CRAWL_OPTIONS"])
    assert options[0] == "-s" and all(option == "-s" for option in options[::2])
    # systemd's EnvironmentFile syntax: KEY=VALUE, whole-value quotes stripped; no `export`, no expansion.
    for line in (DEPLOY / "vnnews.env").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, value = line.split("=", 1)
            assert key.isidentifier() and "$" not in value and not line.startswith("export")
            assert env[key] == value.strip('"')


def crontab_entries() -> list[tuple[list[str], str, str]]:
    entries = []
    for line in (DEPLOY / "crontab").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or "=" in line.split()[0]:
            continue
        fields = line.split(None, 6)
        entries.append((fields[:5], fields[5], fields[6]))
    return entries


def test_crontab_lines_are_cron_d_entries() -> None:
    entries = crontab_entries()
    crawl = [entry for entry in entries if "vnnews crawl " in entry[2]]
    assert len(crawl) == 1
    schedule, user, command = crawl[0]
    assert schedule[1:] == ["*", "*", "*", "*"] and schedule[0].isdigit(), "hourly"
    assert user == "vnnews"
    assert "/etc/vnnews/vnnews.env" in command and "set -a" in command
    assert "flock" not in command  # the crawl locks the archive itself
    assert '-s VNNEWS_CONTACT_URL="$VNNEWS_CONTACT_URL" $VNNEWS_CRAWL_OPTIONS' in command
    for _, _, command in entries:
        # cron turns an unescaped % into a newline: every % must be written \%.
        assert "%" not in command.replace("\\%", "")
    assert any("--max-age" in command for _, _, command in entries)
