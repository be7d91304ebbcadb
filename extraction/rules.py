"""Boilerplate rules as data.

Each rule has an id, a CSS selector and/or a text pattern, and a comment saying why the thing it
matches is not article text. Selector rules remove elements inside the article container (never
outside it); text rules drop whole body paragraphs (used by site templates and by the generic
fallback alike). A guard refuses any removal that would take away the body itself or most of its
text, and the refusal is recorded for --explain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extraction import publishers
from extraction.boxes import heading_boxes, link_blocks
from extraction.dom import (
    HtmlElement,
    PageIndex,
    is_inside,
    iter_text,
    remove,
    select_indexed,
    text_of,
)
from extraction.matcher import matcher_for
from extraction.text import clean_text


@dataclass(frozen=True)
class Rule:
    id: str
    why: str
    selector: str | None = None  # CSS, evaluated inside the article container
    text: re.Pattern[str] | None = None  # whole-text pattern (selector rules: filters matches)
    requires: str | None = None  # a selector rule fires only if the element contains this
    max_chars: int = 400  # text rules: only short paragraphs are boilerplate lines
    # Link-density rules: blocks (of the selector's tags) inside the body with at least this many
    # links whose text is at least this share of the block's text.
    min_links: int = 0
    min_link_share: float = 0.0
    # False only for patterns that cannot match the page's own text, whatever its share of the body.
    guarded: bool = True


def _pattern(regex: str) -> re.Pattern[str]:
    return re.compile(regex, re.IGNORECASE)


SELECTOR_RULES: tuple[Rule, ...] = (
    Rule(
        "audio-player",
        "Text-to-speech player: '0:00 / 0:00' and voice names are UI, not text (E2, E3).",
        ".c-audio-player, .audio-player, .box-audio, .article__audio, .audio, .player-audio, .box-tts, "
        ".tts-player, .box-audio-player, #audio-player",
    ),
    Rule(
        "follow-google-news",
        "'Theo dõi Báo Nghệ An trên Google News' promo line under the E2 byline.",
        # A link to the paper's Google News page is the promo even when it is only a logo image.
        ".follow-google-news, .google-news, .btn-follow-gg, .box-follow, a[href*='news.google.com']",
    ),
    Rule(
        "share-bar",
        "Share buttons (Facebook, Zalo, copy link) are UI.",
        ".c-share-detail, .article__share, .social-share, .share-buttons, .box-share, .sharing, .c-share",
    ),
    Rule(
        "tags-box",
        "The tag list is read into 'tags' first; as body text it would be a leak.",
        ".c-widget-tags, .onecms__tags, .article__tag, #tags_list, .box-tags, .tags-list",
    ),
    Rule(
        "related-inline",
        "Inline related-article boxes carry other articles' titles (E3 c-related-inline).",
        ".c-related-inline, .related-inline, .box-related, .related-news, .tin-lien-quan, div.related, "
        ".relate, .box-relate, .news-relate, .tinlienquan, .related-post, "
        ".VCSortableInPreviewMode[type='RelatedNews']",
    ),
    Rule(
        "related-table",
        "E2 'TIN LIÊN QUAN' table of links to other articles inside the body.",
        "table.related, table.tinlienquan, .article__related",
    ),
    Rule(
        "e1-related-links",
        "E1 table.rl related-links table inside #content (SEEN in crawler configs).",
        "table.rl, div.rl",
    ),
    Rule(
        "latest-list",
        "'tin mới' / same-section / most-read lists of other articles after the body.",
        ".c-news-latest, .latest_news, .box-samecate, .box-mostview, .c-most-read, .article-related, "
        ".b-grid-list, .onecms__loading",
    ),
    Rule(
        "teaser-items",
        "Teasers of other articles (linked title, picture, summary) written as <article> or .story "
        "items: an article page holds no other article.",
        "article, .story, .c-news-item, .item-news, .news-item",
    ),
    Rule(
        "related-by-heading",
        "Any box whose text starts with a related-articles heading and holds links.",
        "div, table, section, aside, ul, ol",
        text=_pattern(
            r"^(?:tin liên quan|tin cùng chuyên mục|bài liên quan|đọc thêm|xem thêm|tin mới|tin khác)\b"
        ),
        requires="a[href]",
    ),
    Rule(
        "link-list",
        "A block in the body that is two or more links and little else is a list of other articles "
        "(a related box with no known class and no heading).",
        "ul, ol, div, table, section, aside",
        min_links=2,
        min_link_share=0.8,
    ),
    Rule(
        "link-line",
        "A body paragraph that is one link and nothing else is a hand-typed related link, not text.",
        "p, h3, h4",
        min_links=1,
        min_link_share=0.95,
    ),
    Rule(
        "widgets",
        "Sidebar widgets (map of Vinh, hồ sơ progress, weather, gold price, lunar calendar).",
        ".c-weather-widget, .c-gold-widget, .c-lunar-widget, .c-widget-hoso, .c-widget-map, .box-map, "
        ".box-hoso, .box-weather, .sidebar, .c-sidebar, .col-right",
    ),
    Rule(
        "ads",
        "Advertising slots (admicro, GPT zones; EPI's div.sda_middle / #sdaWeb_* / .rennab, SISTER).",
        ".c-ads, .adv, .ads, .ad-slot, .qc, [id^='adv_'], [id^='ads-'], [data-zone], .sda_middle, "
        "[id^='sdaWeb_'], .rennab, .sponsored-banner, .ads-item",
    ),
    Rule(
        "promo-box",
        "The paper's promotion boxes inside the body (Znews 'Tủ sách' notebox, sponsored boxes): "
        "they advertise the paper or a partner, they are not the story.",
        ".notebox, .box-promo, .promo-box, .sponsored, .box-sponsor, .ads-native, .sponsor-box",
    ),
    Rule(
        "related-cards",
        "Embedded cards of other articles (linked title + summary) inside the body: Znews "
        "table.article > .inner-article, 'Đọc thêm' boxes.",
        ".inner-article, table.article, .relate-listnews, .box-readmore, .read-more-box",
    ),
    Rule(
        "video-embed",
        "Embedded video/player boxes: no article text, only player UI.",
        "figure.video, .video-player, .jwplayer, .VCSortableInPreviewMode[type='VideoStream'], "
        "div[data-type='video']",
    ),
)

# The papers' own names and datelines come from their specs (one place per publisher), so a
# publisher added to the registry is covered by the rules below without touching this file.
_PAPER_NAMES = "|".join(
    sorted({re.escape(name) for p in publishers.PUBLISHERS.values() for name in p.known_names}, key=len)[::-1]
)
_DATELINES = "|".join(p.dateline for p in publishers.PUBLISHERS.values() if p.dateline)

TEXT_RULES: tuple[Rule, ...] = (
    Rule(
        "text-google-news",
        "The Google News follow line, also when only 'Theo dõi Báo Nghệ An trên' (any paper) is text.",
        text=_pattern(
            rf"^theo dõi (?:{_PAPER_NAMES}|chúng tôi)\b.{{0,40}}$"
            r"|^theo dõi\b.{0,50}\btrên(?: google news)?$"
        ),
        max_chars=80,
    ),
    Rule(
        "text-audio-time",
        "Audio player leftovers: the clock ('0:00/0:00', '0:00') and the voice names ('Nữ miền Bắc').",
        text=_pattern(
            r"^(?:(?:nghe\s+(?:bài\s+viết|đọc\s+bài|bài\s+báo)|đọc\s+bài|nghe)\s*:?\s*)?"
            r"(?:(?:\d{1,2}:\d{2}(?:\s*/\s*\d{1,2}:\d{2})?\s*)+|"
            r"(?:(?:giọng\s+)?(?:nam|nữ)\s+miền\s+(?:bắc|trung|nam)\s*)+)$"
        ),
        max_chars=80,
    ),
    Rule(
        "text-related-heading",
        "A lone related-articles heading left in the body, or a 'Xem thêm: <title>' line.",
        text=_pattern(
            r"^(?:(?:tin liên quan|tin cùng chuyên mục|bài liên quan|tin mới(?: nhất)?|tin khác|"
            r"đọc nhiều(?: nhất)?|tin nổi bật|tin xem nhiều|"
            r"đọc thêm|xem thêm)\s*:?|(?:xem thêm|đọc thêm|tin liên quan)\s*[:>»]\s*.{5,200})$"
        ),
        max_chars=220,
    ),
    Rule(
        "text-share",
        "Share-bar words.",
        text=_pattern(
            r"^(?:(?:chia sẻ|facebook|zalo|twitter|copy link|sao chép liên kết|in bài(?: viết)?|"
            r"gửi bài)\s*)+$"
        ),
        max_chars=80,
    ),
    Rule(
        "text-tags-label",
        "'Từ khóa:' / 'Tags:' lines: tags are a field, not text (a sentence starting 'Chủ đề của…' is).",
        text=_pattern(r"^(?:từ khóa|từ khoá|tags?|chủ đề)\s*(?::.*)?$"),
        max_chars=200,
    ),
    Rule(
        "text-widgets",
        "Side widget titles that slip into the body (map of Vinh, hồ sơ, weather, gold, lunar calendar); "
        "only the bare titles or a weather readout, never a sentence about the weather.",
        text=_pattern(
            r"^(?:bản đồ hành chính thành phố vinh.{0,60}|tiến độ giải quyết hồ sơ.{0,40}|"
            r"(?:thời tiết|giá vàng|lịch âm|lịch âm dương|lịch vạn niên)"
            r"(?:\s+(?:hôm nay|vinh|nghệ an))?\s*:?|"
            r"thời tiết\W{0,3}\w+(?:\s\w+){0,3}\s*\d+\s*°\s*c.{0,40})$"
        ),
        max_chars=120,
    ),
    Rule(
        "text-foreign-sapo",
        "Another article's '(Baonghean.vn) - …' sapo (any registered paper's dateline) from a related "
        "box; the page's own sapo is taken out before these rules run.",
        text=_pattern(rf"^\(\s*(?:{_DATELINES})(?:\s*\.\s*vn)?\s*\)\s*[-–—]"),
        max_chars=2000,
        # A generic page can be mostly a box of other sapos: the guard would keep exactly those.
        guarded=False,
    ),
    Rule(
        "text-footer",
        "Footer lines: copyright, licence, editor-in-chief (an address line can be article text).",
        text=_pattern(r"^(?:bản quyền thuộc về|©|copyright|giấy phép số|tổng biên tập\s*:)"),
        max_chars=200,
    ),
)

ALL_RULES: tuple[Rule, ...] = SELECTOR_RULES + TEXT_RULES

# Guard: a removal is refused when it would take away more than this share of the body text …
GUARD_SHARE = 0.6
# … and at least this many characters (short bodies of one boilerplate line may lose it).
GUARD_MIN_CHARS = 300


@dataclass
class RuleLog:
    """What every rule did on one page: removed (rule id -> what) and refused removals.

    Removed elements are kept as they are (detached from the page) and only turned into preview
    text when --explain asks: most callers never look.
    """

    removed: dict[str, list[HtmlElement | str]] = field(default_factory=dict)
    refused: list[tuple[str, str]] = field(default_factory=list)

    def record(self, rule: Rule, item: HtmlElement | str) -> None:
        self.removed.setdefault(rule.id, []).append(item)

    def texts(self, rule_id: str) -> list[str]:
        return [
            item[:80] if isinstance(item, str) else preview(item) for item in self.removed.get(rule_id, [])
        ]

    @property
    def fired(self) -> set[str]:
        return set(self.removed)


def _outermost(elements: list[HtmlElement]) -> list[HtmlElement]:
    chosen: list[HtmlElement] = []
    for element in elements:
        if not any(is_inside(element, other) for other in chosen):
            chosen = [other for other in chosen if not is_inside(other, element)]
            chosen.append(element)
    return chosen


def preview(element: HtmlElement, limit: int = 80) -> str:
    """The start of an element's text, for --explain, without reading all of a long list."""
    pieces: list[str] = []
    size = 0
    for piece in iter_text(element):
        pieces.append(piece)
        size += len(piece)
        if size > 4 * limit:
            break
    return clean_text(" ".join(pieces))[:limit]  # spaced: buttons and links read apart


def apply_selector_rules(
    container: HtmlElement,
    body: HtmlElement | None,
    log: RuleLog,
    rules: tuple[Rule, ...] = SELECTOR_RULES,
    index: PageIndex | None = None,
) -> None:
    """Remove what the selector rules match inside ``container``, guarding the body."""
    plain = tuple(
        (rule.id, rule.selector)
        for rule in rules
        if rule.selector and rule.text is None and not rule.min_links
    )
    matcher = matcher_for(plain)
    # Every plain selector rule at once, over the elements of the page that may match.
    hits = matcher.run(container, index.elements if index is not None else None)
    body_chars: int | None = None  # body text length, read once when a rule first touches the body
    for rule in rules:
        assert rule.selector is not None
        if rule.text is not None:
            allowed = {tag.strip() for tag in rule.selector.split(",")}
            matches = heading_boxes(container, rule.text, allowed, rule.requires)
        elif rule.min_links:
            tags = [tag.strip() for tag in rule.selector.split(",")]
            matches = link_blocks(body, tags, rule.min_links, rule.min_link_share) if body is not None else []
        elif rule.id in matcher.unsupported:
            matches = _outermost(select_indexed(container, rule.selector, index))
        else:
            # Hits were collected before earlier rules removed things: keep those still in place.
            matches = _outermost([el for el in hits.get(rule.id, []) if is_inside(el, container)])
        matches = [el for el in matches if el is not container]
        if body is not None and any(is_inside(body, el) for el in matches):
            # A wrapper of the body matched (a class reused by a redesign): never remove the body.
            log.refused.append((rule.id, "it would remove the whole article body"))
            matches = [el for el in matches if not is_inside(body, el)]
        if not matches:
            continue
        inside = [el for el in matches if body is not None and is_inside(el, body)]
        if inside and body_chars is None:
            body_chars = len(text_of(body))
        lost = sum(len(text_of(el)) for el in inside)
        if inside and body_chars and lost > GUARD_SHARE * body_chars and lost >= GUARD_MIN_CHARS:
            log.refused.append((rule.id, f"it would remove {lost} of {body_chars} body characters"))
            continue
        for element in matches:
            log.record(rule, element)
            remove(element)
        if inside and body_chars is not None:
            body_chars -= lost


def apply_text_rules(paragraphs: list[str], log: RuleLog, rules: tuple[Rule, ...] = TEXT_RULES) -> list[str]:
    """Drop boilerplate paragraphs, guarding against a rule that would take most of the body."""
    for rule in rules:
        assert rule.text is not None
        pattern = rule.text
        hits = [i for i, p in enumerate(paragraphs) if len(p) <= rule.max_chars and pattern.search(p)]
        if not hits:
            continue
        total = sum(len(p) for p in paragraphs)
        lost = sum(len(paragraphs[i]) for i in hits)
        if rule.guarded and lost > GUARD_SHARE * total and lost >= GUARD_MIN_CHARS:
            log.refused.append((rule.id, f"it would remove {lost} of {total} body characters"))
            continue
        for i in hits:
            log.record(rule, paragraphs[i])
        drop = set(hits)
        paragraphs = [p for i, p in enumerate(paragraphs) if i not in drop]
    return paragraphs
