"""Real pages nobody here wrote (tests/fixtures/*/real, expected JSON written by reading them): the
CMS family a page's markup names, bylines and sources as Vietnamese papers write them."""

from __future__ import annotations

import re

import pytest

from extraction import extract, extract_explained
from extraction.dom import parse
from extraction.headline import choose_heading, is_breadcrumb_heading
from extraction.normalize import looks_like_name, source_of, split_authors, strip_lead_prefix

from .helpers import FIXTURES

LAOCAI = FIXTURES / "baolaocai" / "e1" / "baolaocai-post404649.html"
LAOCAI_URL = "https://baolaocai.vn/song-dep-tu-nhung-dieu-gian-di-post404649.html"
BNA_E2 = FIXTURES / "baonghean" / "e2" / "e2-post249990.html"


def test_an_unknown_epi_paper_is_read_by_the_epi_family_under_its_own_domain() -> None:
    # Báo Lào Cai's real EPI markup on a domain no spec owns (no canonical link back to baolaocai.vn).
    html = re.sub(r"<link[^>]+canonical[^>]*>", "", LAOCAI.read_text(encoding="utf-8"))
    article, why = extract_explained(html, url="https://baomau-example.vn/bai-viet-post404649.html")
    assert (article.parser, article.publisher, article.article_id) == ("cms/epi", "baomau-example.vn", None)
    assert article.authors == ["Anh Dũng"]
    assert all(
        not name.startswith(("baolaocai/", "baonghean/")) for name, matched in why.candidates if matched
    )


def test_an_epi_sister_paper_is_read_under_its_publisher_key() -> None:
    article, why = extract_explained(LAOCAI.read_bytes(), url=LAOCAI_URL)
    assert (article.publisher, article.article_id) == ("baolaocai", "post404649")
    assert article.authors == ["Anh Dũng"]
    assert "Anh Dũng" not in article.paragraphs  # the sign-off leaves the body
    assert not any("Chia sẻ" in a or "Theo dõi" in a for a in article.authors)
    assert all(name != "baonghean/e2" for name, matched in why.candidates if matched)


def test_a_known_publishers_era_never_reads_another_domain() -> None:
    # Báo Nghệ An's E2 markup on another paper's domain (no canonical link back to baonghean.vn).
    html = re.sub(r"<link[^>]+canonical[^>]*>", "", BNA_E2.read_text(encoding="utf-8"))
    article = extract(html, url="https://baomoi-example.vn/bai-viet-post1.html")
    assert article.publisher == "baomoi-example.vn"
    assert not article.parser.startswith("baonghean/")


def test_a_source_line_is_the_source_not_an_author() -> None:
    html = LAOCAI.read_text(encoding="utf-8").replace(
        '<div class="t1"> <span class="t2">Anh Dũng</span>',
        '<div class="t1"> <span class="t2">Anh Dũng</span></div><div>Theo TTXVN',
        1,
    )
    article = extract(html, url=LAOCAI_URL)
    assert article.source == "TTXVN"
    assert article.authors == ["Anh Dũng"]
    assert not any("TTXVN" in p for p in article.paragraphs)


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Tin, ảnh: P.Y", ["P.Y"]),
        ("Bài và ảnh: Thành Cường", ["Thành Cường"]),
        ("Tin/ảnh: Hữu Quân", ["Hữu Quân"]),
        ("Thu Hà (tổng hợp)", ["Thu Hà"]),
        ("Nhóm PV", ["Nhóm PV"]),
    ],
)
def test_byline_labels(byline: str, names: list[str]) -> None:
    assert split_authors(byline) == names


@pytest.mark.parametrize(
    ("line", "source"),
    [
        ("Theo TTXVN", "TTXVN"),
        ("(Theo VnExpress)", "VnExpress"),
        ("Nguồn: Reuters", "Reuters"),
        ("Theo dõi Báo Lào Cai trên", None),
        ("Theo đó, tỉnh sẽ làm", None),
    ],
)
def test_source_lines(line: str, source: str | None) -> None:
    assert source_of(line) == source


@pytest.mark.parametrize(
    ("text", "is_name"),
    [
        ("Anh Dũng", True),
        ("P.Y", True),
        ("Nhóm phóng viên", True),
        ("Chia sẻ qua Twitter", False),
        ("In bài viết", False),
        ("Theo dõi Báo Lào Cai trên", False),
        ("Một câu rất dài không phải tên", False),
    ],
)
def test_names_are_not_buttons(text: str, is_name: bool) -> None:
    assert looks_like_name(text) is is_name


@pytest.mark.parametrize(
    ("sapo", "lead"),
    [
        ("(CTO) - Ngày 8-1, hội nghị.", "Ngày 8-1, hội nghị."),
        ("(VTC News) - Sau 8 tháng.", "Sau 8 tháng."),
        ("(Baonghean.vn) - Sáng nay.", "Sáng nay."),
        ("(Ảnh minh họa) Sáng nay.", "(Ảnh minh họa) Sáng nay."),
    ],
)
def test_any_papers_dateline_is_stripped(sapo: str, lead: str) -> None:
    assert strip_lead_prefix(sapo) == lead


def test_a_breadcrumb_written_as_h1_is_not_the_headline() -> None:
    root = parse(
        "<html><body><h1><a href='/thoi-su/'>THỜI SỰ</a> > <a href='/can-tho/'>Cần Thơ</a></h1>"
        "<h1>Tập trung thanh tra</h1></body></html>"
    )
    heading, crumb = choose_heading(root, "Tập trung thanh tra")
    assert heading is not None and heading.text == "Tập trung thanh tra"
    assert crumb is not None and is_breadcrumb_heading(crumb)
