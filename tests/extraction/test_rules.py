"""Boilerplate rules are data, every rule earns its place on a fixture, and the guard holds."""

from __future__ import annotations

from dataclasses import replace

import lxml.html
import pytest

from extraction import extract_explained
from extraction.rules import ALL_RULES, Rule, RuleLog, apply_selector_rules, apply_text_rules

from .helpers import article_fixtures, expected


def _fired_on_fixtures() -> dict[str, list[str]]:
    fired: dict[str, list[str]] = {}
    for page in article_fixtures():
        meta = expected(page).get("meta", {})
        _, explanation = extract_explained(page.read_bytes(), meta.get("url"), meta.get("captured_at"))
        for rule_id in explanation.rules.fired:
            fired.setdefault(rule_id, []).append(page.name)
    return fired


def test_rules_are_documented_data() -> None:
    ids = [rule.id for rule in ALL_RULES]
    assert len(ids) == len(set(ids)), "rule ids must be unique"
    for rule in ALL_RULES:
        assert rule.why.strip(), f"{rule.id} needs a comment saying why"
        assert rule.selector or rule.text, f"{rule.id} matches nothing"


def test_every_rule_fires_on_some_fixture() -> None:
    fired = _fired_on_fixtures()
    silent = [rule.id for rule in ALL_RULES if rule.id not in fired]
    assert not silent, f"rules that fire on no fixture: {silent}"


def test_guard_refuses_removing_the_body() -> None:
    root = lxml.html.fromstring(
        "<div class='share-buttons'><div id='body'>"
        + "<p>Nội dung bài viết rất dài.</p>" * 40
        + "</div></div>"
    )
    body = root.get_element_by_id("body")
    wrapper = lxml.html.fromstring("<main><div class='c-share-detail'>Chia sẻ Facebook</div></main>")
    wrapper.append(root)
    log = RuleLog()
    apply_selector_rules(wrapper, body, log)
    assert log.texts("share-bar") == ["Chia sẻ Facebook"]  # the real share bar still goes
    assert any(rule_id == "share-bar" for rule_id, _ in log.refused)
    assert len(body.findall("p")) == 40


def test_guard_refuses_a_text_rule_that_eats_most_of_the_body() -> None:
    paragraphs = ["Từ khóa: " + "nông dân, " * 60, "Ngắn."]
    log = RuleLog()
    kept = apply_text_rules(paragraphs, log, rules=(replace(_rule("text-tags-label"), max_chars=2000),))
    assert kept == paragraphs
    assert log.refused and log.refused[0][0] == "text-tags-label"


def test_foreign_sapos_are_removed_even_when_they_are_most_of_the_text() -> None:
    # A generic page whose extracted text is mostly a box of other articles' sapos.
    paragraphs = ["(Baonghean.vn) - " + "Một đoạn dài của bài khác. " * 30, "Bài này ngắn."]
    log = RuleLog()
    assert apply_text_rules(paragraphs, log) == ["Bài này ngắn."]
    assert not log.refused


def _rule(rule_id: str) -> Rule:
    return next(rule for rule in ALL_RULES if rule.id == rule_id)


@pytest.mark.parametrize(
    ("line", "rule_id"),
    [
        ("Theo dõi Báo Nghệ An trên Google News", "text-google-news"),
        ("Theo dõi Báo Nghệ An trên", "text-google-news"),
        ("0:00/0:00", "text-audio-time"),
        ("0:00/0:000:00", "text-audio-time"),
        ("Nam miền BắcNữ miền Bắc Nữ miền Nam", "text-audio-time"),
        ("TIN LIÊN QUAN", "text-related-heading"),
        ("Chia sẻ Facebook Zalo", "text-share"),
        ("Từ khóa: Nông dân, Bích Hào", "text-tags-label"),
        ("Bản đồ hành chính thành phố Vinh - tỉnh Nghệ An", "text-widgets"),
        ("Thời tiết", "text-widgets"),
        ("Thời tiết Vinh 28°C Nhiều mây", "text-widgets"),
        ("Tiến độ giải quyết hồ sơ", "text-widgets"),
        ("Bản quyền thuộc về Báo Nghệ An", "text-footer"),
    ],
)
def test_text_rules_drop_boilerplate_lines(line: str, rule_id: str) -> None:
    body = ["Một câu của bài viết, đủ dài để là nội dung thật của bài báo hôm nay.", line]
    log = RuleLog()
    assert apply_text_rules(body, log) == body[:1]
    assert rule_id in log.fired


def test_text_rules_keep_prose_that_mentions_the_words() -> None:
    body = [
        "Thời tiết hôm nay ở Vinh có mưa rào và dông, nhiệt độ thấp nhất 24 độ, cao nhất 30 độ; người dân "
        "cần chú ý khi ra đường vào buổi chiều và tối, nhất là ở các khu vực trũng thấp dễ ngập úng, "
        "theo dự báo của Đài Khí tượng thủy văn Bắc Trung Bộ.",
        "Chia sẻ với phóng viên, ông Nguyễn Văn A cho biết xã sẽ hỗ trợ bà con.",
        "Thời tiết hôm nay nắng nóng.",
        "Chủ đề của hội nghị năm nay là chuyển đổi số.",
        "Địa chỉ: số 1 đường Lê Mao, thành phố Vinh.",
        "Giá vàng tăng mạnh trong tuần qua.",
    ]
    assert apply_text_rules(body, RuleLog()) == body


@pytest.mark.parametrize(
    "line",
    [
        "(CTO) - Sáng 3/12, Ban Thường vụ Thành ủy Cần Thơ họp bàn nhiệm vụ cuối năm.",
        "(VTC News) - Chiều 4/12, Bộ Y tế công bố kết quả kiểm tra an toàn thực phẩm.",
        "(Baonghean) - Sáng nay, tỉnh tổ chức lễ ra quân.",
    ],
)
def test_any_registered_papers_dateline_marks_a_foreign_sapo(line: str) -> None:
    """The datelines come from the publishers' specs: a paper added to the registry is covered."""
    log = RuleLog()
    assert apply_text_rules([line, "Đoạn của bài này, đủ dài để ở lại trong thân bài."], log) == [
        "Đoạn của bài này, đủ dài để ở lại trong thân bài."
    ]
    assert "text-foreign-sapo" in log.fired


@pytest.mark.parametrize("line", ["Theo dõi Báo Lào Cai trên Google News", "Theo dõi Znews trên"])
def test_the_follow_line_of_any_registered_paper_goes(line: str) -> None:
    log = RuleLog()
    assert apply_text_rules([line, "Đoạn của bài này, đủ dài để ở lại trong thân bài."], log) == [
        "Đoạn của bài này, đủ dài để ở lại trong thân bài."
    ]
    assert "text-google-news" in log.fired
