"""`vnnews extract` as users run it: real files, a real subprocess for the exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from vnnews.commands.extract import extract

from .helpers import FIXTURES, expected

E3 = FIXTURES / "baonghean" / "e3" / "e3-10308168.html"
E1 = FIXTURES / "baonghean" / "e1" / "e1-67164.html"
SECTION = FIXTURES / "baonghean" / "not-articles" / "section-thoi-su.html"
PAGE_404 = FIXTURES / "baonghean" / "not-articles" / "404.html"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vnnews", "extract", *args], capture_output=True, text=True, check=False
    )


def test_one_page_prints_one_json_object() -> None:
    done = run(str(E3))
    assert done.returncode == 0, done.stderr
    article = json.loads(done.stdout)
    assert article == {k: v for k, v in expected(E3).items() if k != "meta"}
    assert done.stderr == ""


def test_empty_file_exits_2_with_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    done = run(str(empty))
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "empty" in done.stderr
    assert "Traceback" not in done.stderr


def test_binary_and_plain_text_exit_2(tmp_path: Path) -> None:
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4)
    text = tmp_path / "notes.txt"
    text.write_text("Chỉ là một dòng chữ, không phải HTML.", encoding="utf-8")
    for path in (binary, text):
        done = run(str(path))
        assert done.returncode == 2, done.stderr
        assert "not HTML" in done.stderr and "Traceback" not in done.stderr


def test_missing_file_exits_2() -> None:
    done = run("/nonexistent/page.html")
    assert done.returncode == 2
    assert "cannot read" in done.stderr


def test_a_directory_among_pages_is_reported_and_the_rest_processed(tmp_path: Path) -> None:
    done = run(str(tmp_path), str(E1))
    assert done.returncode == 2
    assert json.loads(done.stdout)["article_id"] == "67164"
    assert str(tmp_path) in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(("page", "words"), [(SECTION, "section"), (PAGE_404, "404")])
def test_not_an_article_exits_3_with_reason(page: Path, words: str) -> None:
    done = run(str(page))
    assert done.returncode == 3
    assert words in done.stderr and "not an article" in done.stderr
    assert done.stdout == ""


def test_several_pages_json_lines_and_bad_one_reported(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"   ")
    done = run(str(E3), str(empty), str(SECTION), str(E1))
    lines = done.stdout.strip().splitlines()
    assert [json.loads(line)["article_id"] for line in lines] == ["10308168", "67164"]
    assert done.returncode == 2  # the first failure's code
    assert str(empty) in done.stderr and str(SECTION) in done.stderr


def test_explain_names_template_reason_and_rules() -> None:
    done = run("--explain", str(E3))
    assert done.returncode == 0
    assert "parser: baonghean/e3" in done.stderr
    assert "OneCMS" in done.stderr
    assert "rule audio-player: removed 1" in done.stderr
    assert "rule related-inline: removed 1" in done.stderr
    json.loads(done.stdout)  # stdout stays pure JSON


def test_url_option_when_the_page_has_no_canonical_link(tmp_path: Path) -> None:
    html = E3.read_text(encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text(html.replace('<link rel="canonical"', '<link rel="x-canonical"'), encoding="utf-8")
    page_url = "https://m.baonghean.vn/bai-bao-moi-10399999.html?utm_source=zalo"
    result = CliRunner().invoke(extract, ["--url", page_url, str(page)])
    assert result.exit_code == 0, result.output
    article = json.loads(result.output)
    assert article["url"] == "https://baonghean.vn/bai-bao-moi-10399999.html"
    assert article["article_id"] == "10399999"


def test_url_option_gives_media_pages_their_format(tmp_path: Path) -> None:
    html = E3.read_text(encoding="utf-8").replace('<link rel="canonical"', '<link rel="x-canonical"')
    page = tmp_path / "page.html"
    page.write_text(html, encoding="utf-8")
    result = CliRunner().invoke(
        extract, ["--url", "https://baonghean.vn/video/clip-10308168.html", str(page)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["format"] == "video"
    listing = CliRunner().invoke(extract, ["--url", "https://baonghean.vn/video", str(page)])
    assert listing.exit_code == 3  # the section listing itself is never an article


def test_captured_at_is_validated() -> None:
    result = CliRunner().invoke(extract, ["--captured-at", "yesterday", str(E3)])
    assert result.exit_code == 2
    result = CliRunner().invoke(extract, ["--captured-at", "2025-10-15T09:00:00+07:00", str(E3)])
    assert result.exit_code == 0


def test_usage_errors_exit_2() -> None:
    assert CliRunner().invoke(extract, []).exit_code == 2
    assert (
        CliRunner()
        .invoke(extract, ["--url", "https://baonghean.vn/a-10308168.html", str(E3), str(E1)])
        .exit_code
        == 2
    )


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(extract, ["--help"])
    assert result.exit_code == 0 and "Example" in result.output


SEED = FIXTURES / "seed" / "000_9229ddef5bc43529.txt"  # the shared seed dump, copied into the repo


@pytest.mark.skipif(not SEED.exists(), reason="seed dump not in this checkout")
def test_text_dump_option() -> None:
    done = run("--text", str(SEED))
    assert done.returncode == 0, done.stderr
    article = json.loads(done.stdout)
    assert article["title"].startswith("Thường trực Tỉnh ủy giao Ban Tổ chức Tỉnh ủy")
    assert article["authors"] == ["Thành Duy"]


def test_text_dump_and_page_together_give_json_lines(tmp_path: Path) -> None:
    dump = tmp_path / "dump.txt"
    dump.write_text("", encoding="utf-8")
    done = run(str(E1), "--text", str(dump))
    lines = done.stdout.strip().splitlines()
    assert json.loads(lines[0])["article_id"] == "67164"
    assert done.returncode in (2, 3) and str(dump) in done.stderr


@pytest.mark.timeout(60)
def test_pages_over_a_limit_exit_2_fast_naming_the_limit(tmp_path: Path) -> None:
    """The issue: 50 MB of nested markup ran 276 s, 80,000 attributes stalled; now one line, exit 2."""
    from . import hostile

    pages = {
        "nested-50mb.html": (hostile.nested_50mb(), "MAX_INPUT_BYTES"),
        "crowded.html": (hostile.crowded_tag(), "MAX_ATTRIBUTES"),
        "deep.html": (hostile.nested_just_over(), "MAX_DEPTH"),
    }
    for name, (data, limit) in pages.items():
        path = tmp_path / name
        path.write_bytes(data)
        done = run(str(path))
        assert done.returncode == 2, done.stderr
        assert done.stdout == ""
        line = done.stderr.strip()
        assert len(line.splitlines()) == 1 and line.startswith(f"vnnews extract: {path}: over a limit: ")
        assert limit in line
    # From stdin the size is unknown: at most the limit + 1 bytes are read, then refused.
    done = subprocess.run(
        [sys.executable, "-m", "vnnews", "extract", "-"],
        input=pages["nested-50mb.html"][0],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 2 and b"MAX_INPUT_BYTES" in done.stderr


def test_a_text_dump_over_an_output_limit_exits_2(tmp_path: Path) -> None:
    from extraction.limits import MAX_PARAGRAPHS

    dump = tmp_path / "dump.txt"
    lines = [
        f"Đoạn {i}: Nông dân Nghệ An thi đua sản xuất, kinh doanh giỏi." for i in range(MAX_PARAGRAPHS + 10)
    ]
    dump.write_text("Tiêu đề bài báo\n\n" + "\n\n".join(lines), encoding="utf-8")
    done = run("--text", str(dump))
    assert done.returncode == 2, done.stderr
    assert "over a limit" in done.stderr and "MAX_PARAGRAPHS" in done.stderr
