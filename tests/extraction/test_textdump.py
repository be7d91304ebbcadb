"""extract_text_dump: the seed dump and naive dumps rendered from the samples' expected JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from extraction.article import NotAnArticleError, NotHtmlError
from extraction.textdump import extract_text_dump

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "baonghean"
# The seed dump lives only in the shared read-only folder (it is not a page, so not a fixture).
SEED = Path("/work/shared/seed/000_9229ddef5bc43529.txt")
needs_seed = pytest.mark.skipif(not SEED.exists(), reason="shared seed dump not available")

# Page furniture a naive dump picks up after the body (widgets, lists of other articles).
TRAILER = [
    "tin mới",
    "Nghệ An: Thông tin nổi bật ngày 28/7",
    "(Baonghean.vn) - Nghệ An sẽ đón khoảng 1.000 công dân từ TP. Hồ Chí Minh trở về quê trong đợt 1.",
    "Bản đồ hành chính thành phố vinh - tỉnh nghệ an",
    "content:",
    "Tiến độ giải quyết hồ sơ",
    "content:",
    "Thời tiết",
]


def load(name: str) -> dict:
    """A shared sample's expected JSON, from its copy under tests/fixtures/baonghean/<era>/."""
    return json.loads((FIXTURES / name[:2] / name).read_text(encoding="utf-8"))


def body_fields(article) -> dict:
    data = article.to_dict()
    return {key: data[key] for key in ("title", "lead", "authors", "paragraphs")}


def expected_fields(expected: dict) -> dict:
    return {key: expected[key] for key in ("title", "lead", "authors", "paragraphs")}


def visible_date(iso: str) -> str:
    return dt.datetime.fromisoformat(iso).strftime("%d/%m/%Y %H:%M")


def e3_dump(expected: dict, digest: bool) -> str:
    """How a naive dump of an E3 page reads: label, title, byline + date, sapo, body, captions, tags."""
    lines = [expected["section"], expected["title"]]
    lines.append(" - ".join([*expected["authors"], visible_date(expected["published_at"])]))
    lines.append(expected["lead"])
    for i, paragraph in enumerate(expected["paragraphs"]):
        lines.append(f"* {paragraph}" if digest else paragraph)
        if i < len(expected["images"]):
            image = expected["images"][i]
            lines.append(f"{image['caption']} Ảnh: {image['credit']}")
    lines += ["Từ khóa:", *expected["tags"], "Chia sẻ", "Facebook", "Zalo", *TRAILER]
    return "\n\n".join(lines)


def e2_dump(expected: dict, description: str) -> str:
    """The seed's layout: title, description, content: markers, byline, follow line, player, dateline sapo."""
    lines = [expected["title"], description, "content:", " - ".join(expected["authors"])]
    lines += ["Theo dõi Báo Nghệ An trên", "0:00/0:00", "0:00", f"(Baonghean.vn) - {expected['lead']}"]
    for i, paragraph in enumerate(expected["paragraphs"]):
        lines.append(f"* {paragraph}" if i < 2 else paragraph)
        if i == 0:
            image = expected["images"][0]
            lines.append(f"bna_{image['caption']}.jpeg")
            lines.append(f"{image['caption']} Ảnh tư liệu")
            lines += [
                "TIN LIÊN QUAN",
                "Nghệ An: Thông tin nổi bật ngày 28/7",
                "Tại Kỳ họp thứ 2, Quốc hội khóa XV",
            ]
    lines += ["Tags", *expected["tags"], *TRAILER]
    return "\n\n".join(lines)


def e1_dump(expected: dict) -> str:
    """An E1 page's text: dateline sapo, caption twice (alt + caption), body, sign-off, 'tin mới' list."""
    lines = [expected["title"], f"(Baonghean.vn) - {expected['lead']}"]
    caption = expected["images"][0]["caption"]
    lines += [caption, caption, *expected["paragraphs"], f" {expected['authors'][0]} ", *TRAILER]
    return "\n".join(lines)


@needs_seed
def test_seed_dump_gives_the_seed_article():
    expected = load("e2-post275412-seed.json")
    article = extract_text_dump(SEED.read_text(encoding="utf-8"), url=expected["url"])

    assert body_fields(article) == expected_fields(expected)
    assert article.parser == "baonghean/textdump"
    assert article.publisher == "baonghean"
    assert article.article_id == "post275412"
    # The description line at the top repeats a body paragraph: it is kept once, in its place.
    repeated = SEED.read_text(encoding="utf-8").splitlines()[2]
    assert article.paragraphs.count(repeated) == 1
    assert [(i.caption, i.credit) for i in article.images] == [
        (i["caption"], i["credit"]) for i in expected["images"]
    ]
    assert all(i.url.startswith("bna_") for i in article.images)


@needs_seed
def test_seed_dump_leaves_out_chrome():
    article = extract_text_dump(SEED.read_text(encoding="utf-8"))
    text = article.text
    for chrome in (
        "content:",
        "Theo dõi Báo Nghệ An",
        "0:00",
        "Tiến độ giải quyết hồ sơ",
        "Thời tiết",
        "Bản đồ",
    ):
        assert chrome not in text
    assert "Ảnh: Thành Duy" not in text
    assert article.url == ""
    assert article.article_id is None


def test_e3_digest_dump():
    expected = load("e3-10289658.json")
    article = extract_text_dump(e3_dump(expected, digest=True), url=expected["url"])

    assert body_fields(article) == expected_fields(expected)
    assert article.section == "Thời sự"
    assert article.published_at == expected["published_at"]
    for image in expected["images"]:
        assert image["caption"] not in article.text


def test_e3_article_dump_without_dateline():
    expected = load("e3-10308168.json")
    article = extract_text_dump(e3_dump(expected, digest=False), url=expected["url"])

    assert body_fields(article) == expected_fields(expected)
    assert article.parser == "baonghean/textdump"
    assert article.article_id == "10308168"


def test_e2_digest_dump_with_truncated_follow_line_and_related_box():
    expected = load("e2-post249990.json")
    description = f"(Baonghean.vn) - {expected['lead']}"
    article = extract_text_dump(e2_dump(expected, description), url=expected["url"])

    assert body_fields(article) == expected_fields(expected)
    assert [(i.caption, i.credit) for i in article.images] == [(expected["images"][0]["caption"], None)]
    assert "TIN LIÊN QUAN" not in article.text
    assert "Tại Kỳ họp thứ 2" not in article.text


def test_e1_dump_sign_off_is_the_author_and_double_caption_is_not_body():
    expected = load("e1-51874.json")
    article = extract_text_dump(e1_dump(expected), url=expected["url"])

    assert body_fields(article) == expected_fields(expected)
    assert article.article_id == "51874"


def test_dump_with_html_remnants():
    dump = (
        "<h1>Tỉnh Đoàn Nghệ An tặng quà tại huyện Kỳ Sơn</h1>\n"
        "<p><strong>(Baonghean.vn) -&nbsp;Trong 2 ngày, từ ngày 6 đến ngày 7/ 2.</strong></p>\n"
        '<p>Đây là hoạt động có ý nghĩa thiết thực.<br></p><script>var x = "0:00";</script>'
        '<p style="text-align: right;"><strong>Lữ Phú</strong></p>'
    )
    article = extract_text_dump(dump)

    assert article.title == "Tỉnh Đoàn Nghệ An tặng quà tại huyện Kỳ Sơn"
    assert article.lead == "Trong 2 ngày, từ ngày 6 đến ngày 7/ 2."
    assert article.paragraphs == ["Đây là hoạt động có ý nghĩa thiết thực."]
    assert article.authors == ["Lữ Phú"]


def test_dump_of_another_site_is_generic():
    article = extract_text_dump(
        "Một tiêu đề\n\nMột đoạn văn.\n\nĐoạn thứ hai.", url="https://example.org/a.html"
    )

    assert article.parser == "textdump"
    assert article.publisher == "unknown"
    assert article.lead == "Một đoạn văn."
    assert article.paragraphs == ["Đoạn thứ hai."]


@pytest.mark.parametrize("dump", ["", "   \n\n\t", "content:\n0:00/0:00", "Chỉ một dòng"])
def test_dumps_without_an_article(dump):
    with pytest.raises(NotAnArticleError):
        extract_text_dump(dump)


def test_binary_is_not_a_dump():
    with pytest.raises(NotHtmlError):
        extract_text_dump("PK\x03\x04\x00\x00binary")


def test_bai_anh_byline_at_the_top_is_the_author_not_a_credit():
    # The layout of the stored text of /vung-dat-hai-cong-troi-67164.html (shared text excerpts).
    expected = load("e1-67164.json")
    dump = "\n\n".join(
        [
            expected["title"],
            "Bài, ảnh: Nguyên Khoa",
            "Theo dõi Báo Nghệ An trên Google News",
            f"(Baonghean) - {expected['lead']}",
            *expected["paragraphs"],
        ]
    )
    article = extract_text_dump(dump, url=expected["url"])

    assert body_fields(article) == expected_fields(expected)


def test_digest_item_right_after_the_title_is_not_the_lead():
    dump = "Nghệ An: Thông tin nổi bật ngày 19/1\n\n* Sáng 19/1, một.\n\n* Sáng 19/1, hai."
    article = extract_text_dump(dump)

    assert article.lead is None
    assert article.paragraphs == ["Sáng 19/1, một.", "Sáng 19/1, hai."]
