"""Scrapyd end to end: build the egg with deploy/scrapyd_egg.py, upload it to a real scrapyd on
127.0.0.1, schedule a crawl with deploy/scrapyd-schedule.sh and the shared env file, find the articles.
"""

from __future__ import annotations

import configparser
import json
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

import pytest
from ops_helpers import FAST, REPO, RecordingProxy, free_port, query, wait_for

from extraction.publishers import PUBLISHERS

pytestmark = pytest.mark.slow

CONTACT = "https://ops.example/scrapyd-contact"
UPLOAD_FIELDS = ("-F", "project=vnnews", "-F", "version=0.1.0")  # as in docs/scheduling.md


def build_egg(target: Path) -> Path:
    polluting = [REPO / "setup.py", REPO / "build", REPO / "vnnews.egg-info", REPO / "project.egg-info"]
    before = {path: path.exists() for path in polluting}
    result = subprocess.run(
        [sys.executable, str(REPO / "deploy" / "scrapyd_egg.py"), "build", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert {path: path.exists() for path in polluting} == before, (
        "building the egg left files in the checkout"
    )
    return target


@pytest.fixture(scope="module")
def egg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_egg(tmp_path_factory.mktemp("dist") / "vnnews.egg")


def write_scrapyd_conf(directory: Path, port: int) -> None:
    """deploy/scrapyd.conf with this test's port and folders."""
    config = configparser.ConfigParser(interpolation=None)
    config.read(REPO / "deploy" / "scrapyd.conf", encoding="utf-8")
    section = config["scrapyd"]
    assert section["bind_address"] == "127.0.0.1" and section["max_proc"] == "1"
    section["http_port"] = str(port)
    section["poll_interval"] = "0.5"
    for name in ("eggs_dir", "dbs_dir", "logs_dir"):
        section[name] = str(directory / name.removesuffix("_dir"))
    with (directory / "scrapyd.conf").open("w", encoding="utf-8") as handle:
        config.write(handle)


def get_json(url: str) -> Any:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return json.load(response)
    except OSError:
        return None


def finished_job(api: str, job_id: str) -> dict[str, Any] | None:
    jobs = get_json(f"{api}/listjobs.json?project=vnnews") or {}
    return next((job for job in jobs.get("finished", []) if job["id"] == job_id), None)


def test_spider_runs_from_the_egg_under_scrapyd(tmp_path: Path, egg: Path, site_server: Any) -> None:
    with zipfile.ZipFile(egg) as archive_file:
        names = set(archive_file.namelist())
        entry_points = archive_file.read("EGG-INFO/entry_points.txt").decode()
    assert {"crawler/spiders/baonghean.py", "crawler/settings.py", "archive/core.py"} <= names
    assert "extraction/__init__.py" in names
    assert "settings = crawler.settings" in entry_points  # how Scrapyd finds the settings module

    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    write_scrapyd_conf(home, port)
    api = f"http://127.0.0.1:{port}"
    scrapyd = subprocess.Popen(
        [sys.executable, "-m", "scrapyd"],
        cwd=home,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: get_json(f"{api}/daemonstatus.json"), 30, "scrapyd to start")
        upload = subprocess.run(
            [
                "curl",
                "--silent",
                "--fail-with-body",
                f"{api}/addversion.json",
                *UPLOAD_FIELDS,
                "-F",
                f"egg=@{egg}",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        # `news` and one spider per publisher (crawler/spiders/sites.py); baonghean's name as before
        spiders = sorted([*PUBLISHERS, "news"])
        assert json.loads(upload.stdout)["spiders"] == len(spiders), upload.stdout
        assert sorted(get_json(f"{api}/listspiders.json?project=vnnews")["spiders"]) == spiders

        db = tmp_path / "news.db"
        env_file = tmp_path / "vnnews.env"
        env_file.write_text(
            f"VNNEWS_DB={db}\nVNNEWS_LOG_DIR={tmp_path}\nVNNEWS_CONTACT_URL={CONTACT}\n"
            f'VNNEWS_CRAWL_OPTIONS="{" ".join(FAST)}"\n',
            encoding="utf-8",
        )
        with RecordingProxy(site_server.base_url) as proxy:
            schedule = subprocess.run(
                [
                    str(REPO / "deploy" / "scrapyd-schedule.sh"),
                    "--data-urlencode",
                    f"base_url={proxy.base_url}",
                ],
                capture_output=True,
                text=True,
                timeout=60,
                env={"PATH": "/usr/bin:/bin", "VNNEWS_ENV_FILE": str(env_file), "SCRAPYD_URL": api},
            )
            assert schedule.returncode == 0, schedule.stdout + schedule.stderr
            job_id = json.loads(schedule.stdout)["jobid"]
            job = wait_for(lambda: finished_job(api, job_id), 90, "the Scrapyd job to finish", interval=0.5)
        user_agents = set(proxy.user_agents)
    finally:
        scrapyd.terminate()
        scrapyd.wait(timeout=30)

    job_log = home / "logs" / "vnnews" / "baonghean" / f"{job_id}.log"
    log_text = job_log.read_text(encoding="utf-8")
    assert "Traceback" not in log_text, log_text[-3000:]
    assert job["spider"] == "baonghean"
    assert query(db, "select kind, status from runs") == [("crawl", "success")]
    assert query(db, "select count(*) from articles")[0][0] >= len(site_server.snapshot.articles)
    assert user_agents and all(CONTACT in agent for agent in user_agents), user_agents


def test_egg_provides_the_code_not_the_checkout(tmp_path: Path, egg: Path) -> None:
    """Scrapyd puts the egg on sys.path; the crawler must import from it, with no checkout around."""
    probe = (
        "import sys; from scrapyd.runner import activate_egg; activate_egg(sys.argv[1]);"
        "import os, crawler.spiders.baonghean as spider;"
        "print(spider.__file__); print(os.environ['SCRAPY_SETTINGS_MODULE'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(egg)], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    module_file, settings_module = result.stdout.split()
    assert module_file.startswith(str(egg)), module_file
    assert settings_module == "crawler.settings"
