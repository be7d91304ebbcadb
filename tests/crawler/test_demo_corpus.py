"""The demo corpus (crawler/snapshot/stories.py): every story one coherent article, real places,
wire copy shared between publishers, and no near-duplicates but the reprints."""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pytest

from archive import gazetteer
from archive.neardup import THRESHOLD, signature
from crawler.snapshot.stories import PROVINCES, WIRE_EVERY, Corpus, bare_name, stories
from crawler.snapshot.story_texts import LOCAL, SECTIONS
from crawler.snapshot.wire_texts import WIRE
from extraction.dates import VN_TZ
from extraction.text import fold

MARKERS = {topic.key: fold(topic.marker) for topic in LOCAL + WIRE}


def says(text: str, phrase: str) -> bool:
    """``phrase`` (folded) as whole words of ``text``: "mua lu" (mưa lũ) is not in "thu mua lúa"."""
    return re.search(rf"(?<!\w){re.escape(fold(phrase))}(?!\w)", fold(text)) is not None


def body_text(story: dict[str, Any]) -> str:
    return " ".join(story["paragraphs"])


def assert_coherent(
    title: str, lead: str, body: str, captions: list[str], topic: str, place: str | None, name: str
) -> None:
    """One story: its topic's marker in the title, the sapo, the body and every caption; its place in
    the title, the sapo and the body; no other topic's marker anywhere in it."""
    marker = MARKERS[topic]
    for part, text in [("title", title), ("lead", lead), ("body", body)] + [("caption", c) for c in captions]:
        assert says(text, marker), f"{name}: {part} does not speak of {marker!r}: {text!r}"
    if place is not None:
        for part, text in (("title", title), ("lead", lead), ("body", body)):
            assert says(text, bare_name(place)), f"{name}: {part} is not about {place}: {text!r}"
        assert says(" ".join([lead, body, *captions]), place), name
    whole = " ".join([title, lead, body, *captions])
    others = [m for key, m in MARKERS.items() if key != topic and says(whole, m)]
    assert not others, f"{name} speaks of other stories' {others}"


def test_markers_are_unique_and_sections_known() -> None:
    assert len(set(MARKERS.values())) == len(MARKERS)
    for topic in LOCAL + WIRE:
        assert topic.section in SECTIONS
        texts = [*topic.titles, *topic.leads, *topic.captions]
        assert all(says(text, topic.marker) for text in texts), topic.key


@pytest.mark.parametrize("publisher", ["baonghean", "baohatinh", "baothanhhoa", "somewhere-else"])
def test_every_story_is_one_coherent_story(publisher: str) -> None:
    corpus = stories(publisher, 300, date(2025, 1, 1), date(2026, 1, 31), seed=3)
    assert len(corpus) == 300 and len({s["key"] for s in corpus}) == 300
    for story in corpus:
        captions = [image["caption"] for image in story["images"]]
        assert_coherent(
            story["title"],
            story["lead"],
            body_text(story),
            captions,
            story["topic"],
            story["place"],
            story["key"],
        )
        assert story["published"].endswith("+07:00") and story["section"] in SECTIONS
        assert (story["wire"] is None) == bool(story["authors"]) == (story["source"] is None)
    published = [s["published"] for s in corpus]
    assert published == sorted(published, reverse=True), "newest first"
    assert published[-1][:10] == "2025-01-01" and published[0][:10] == "2026-01-31"


def test_places_are_real_units_of_their_date() -> None:
    places = gazetteer.load().places.values()
    old = {(p.full_name.lower(), p.old_province) for p in places if p.level == "district"}
    new = {(p.full_name.lower(), p.province) for p in places if p.level == "commune" and p.era == "2025"}
    for province, units in PROVINCES.items():
        for unit in units:
            assert (unit.before.lower(), province) in old, unit.before
            assert (unit.after.lower(), province) in new, unit.after
    corpus = stories("baonghean", 200, date(2025, 3, 1), date(2025, 10, 31), seed=1)
    for story in corpus:
        if story["place"]:
            reformed = story["published"] >= "2025-07-01"
            assert story["place"].startswith(("xã ", "phường ")) == reformed, story["key"]


def test_same_seed_same_stories_and_wire_copy_shared_between_publishers() -> None:
    args = (120, date(2025, 6, 1), date(2026, 5, 31))
    one, again = stories("baonghean", *args, seed=5), stories("baonghean", *args, seed=5)
    assert one == again
    other = stories("baohatinh", *args, seed=5)
    for a, b in zip(one, other, strict=True):
        if a["wire"]:
            assert (a["wire"], a["title"], a["lead"], a["paragraphs"]) == (
                b["wire"],
                b["title"],
                b["lead"],
                b["paragraphs"],
            )
        else:
            assert a["place"] != b["place"] and a["title"] != b["title"]
    reprints = [s for s in one if s["reprint"]]
    assert len(reprints) == 120 // WIRE_EVERY
    assert stories("baonghean", *args, seed=6) != one


def test_a_reprint_is_word_for_word_across_a_months_end() -> None:
    # The demo's time grid (crawler/snapshot/build.py) can put a month's end between a reprint and its
    # original, a day apart: the copies must still be word for word (near-duplicates, test_demo_archive).
    corpus = Corpus("baonghean", seed=5)
    night = datetime(2026, 11, 1, 0, 30, tzinfo=VN_TZ)
    before = 2 * WIRE_EVERY + 3  # the third wire edition (rice exports): its figures are dated
    times = [night + timedelta(hours=3 * (before - k)) for k in range(before)]
    *_, reprint, original = [corpus.story(moment) for moment in [*times, night, night - timedelta(days=1)]]
    assert reprint["reprint"] and reprint["wire"] == original["wire"]
    assert reprint["published"][:7] != original["published"][:7]
    assert "tháng" in " ".join([original["lead"], *original["paragraphs"]])  # a dated text: the case
    assert (reprint["lead"], reprint["paragraphs"]) == (original["lead"], original["paragraphs"])
    assert reprint["title"] == f"{original['title']} (cập nhật)"


def test_only_wire_copies_are_near_duplicates() -> None:
    """The archive's own MinHash (archive/neardup.py) over two publishers' corpora: pairs at or above its
    threshold are exactly the copies of one wire edition, and every copy of one is found."""
    corpus = [
        *stories("baonghean", 300, date(2025, 1, 1), date(2026, 1, 31), seed=2),
        *stories("baohatinh", 300, date(2025, 1, 1), date(2026, 1, 31), seed=2),
    ]
    signatures = [signature(fold(" ".join([s["title"], s["lead"], body_text(s)]))) for s in corpus]
    assert all(sig is not None for sig in signatures)
    for i, j in itertools.combinations(range(len(corpus)), 2):
        similar = float(np.mean(signatures[i] == signatures[j])) >= THRESHOLD
        same = corpus[i]["wire"] is not None and corpus[i]["wire"] == corpus[j]["wire"]
        assert similar == same, (corpus[i]["key"], corpus[j]["key"])
