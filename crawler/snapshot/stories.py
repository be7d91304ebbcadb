"""The demo corpus: invented stories, each one coherent article, for the snapshot sites of any publisher.

    from crawler.snapshot.stories import stories
    for story in stories("baonghean", 300, date(2025, 1, 1), date(2026, 1, 31), seed=1):
        story["title"], story["lead"], story["paragraphs"], story["images"], story["published"], ...

Every story comes from one template (story_texts.py, wire_texts.py) whose slots are filled once, so
its title, sapo, body, subheading and captions speak of the same event in the same place with the
same numbers. Nothing is real news: the stories are written for the demo, the bylines are invented,
the wire service "Bản tin chung" does not exist; the places are real (the gazetteer finds them).

What the archive's tools find in a demo archive, by construction:

- Places: local stories name a place of the publisher's home province ("huyện Diễn Châu" before
  1 July 2025, "xã Diễn Châu" after: the units in force at the story's date) and the province.
- Term trends: topics are seasonal (lúa đông xuân in spring, mưa lũ in autumn ...) and "chuyển đổi
  số" is written more often month after month, with a peak in October.
- Near-duplicates: one story in twenty is a wire story run twice by the paper (stories 3 and 4 of
  each twenty: the copy a few hours after the original, "(cập nhật)" added to its title), and story
  number k is the same wire edition in every publisher's corpus built with the same seed, count and
  days: the reprints and the wire copy. No two other stories are near-duplicates: the n-th story of
  a topic takes a new place and one of the paragraph choices of ``codes`` (any two differ in at least
  two blocks of text), never the same pair twice (``place_and_variant``).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from crawler.snapshot.story_texts import LOCAL, SECTIONS, Topic
from crawler.snapshot.wire_texts import WIRE, WIRE_SOURCE
from extraction.dates import VN_TZ as TZ

REFORM = date(2025, 7, 1)  # 2025 units replace the districts (Resolution 202/2025/QH15)


def codes(blocks: int) -> tuple[int, ...]:
    """Variant choices for a story of ``blocks`` two-way blocks (its lead and paragraphs): the even-weight
    words of that many bits, so any two choices differ in at least two blocks (8 for 4 blocks, 16 for 5)."""
    return tuple(word for word in range(1 << blocks) if bin(word).count("1") % 2 == 0)


# In each run of this many stories, one wire story run twice (positions 3 and 4). Wire editions of a topic
# differ pairwise in two blocks for the first eight of each topic: 20 x 8 x 3 topics > 400 stories.
WIRE_EVERY = 20
# A wire edition's figures are as of this long before its reprint: never a month the original, run a
# few hours to a day or two earlier, had not reached.
WIRE_AS_OF = timedelta(days=7)
DIGITAL_PEAK_MONTH = 10  # "chuyển đổi số" peaks in October (the national digital transformation day)


@dataclass(frozen=True)
class Place:
    before: str  # as written before the 2025 reform: "huyện Diễn Châu"
    after: str  # as written since: "xã Diễn Châu"

    def written(self, day: date) -> str:
        return self.before if day < REFORM else self.after


def _places(pairs: str) -> tuple[Place, ...]:
    """ "huyện Diễn Châu>xã Diễn Châu; …" -> Places (every name checked against the gazetteer in tests)."""
    return tuple(Place(*part.strip().split(">")) for part in pairs.split(";"))


PROVINCES = {
    "Nghệ An": _places(
        "huyện Diễn Châu>xã Diễn Châu; huyện Quỳnh Lưu>xã Quỳnh Lưu; huyện Yên Thành>xã Yên Thành;"
        "huyện Đô Lương>xã Đô Lương; huyện Nam Đàn>xã Nam Đàn; huyện Hưng Nguyên>xã Hưng Nguyên;"
        "huyện Nghi Lộc>xã Nghi Lộc; huyện Anh Sơn>xã Anh Sơn; huyện Con Cuông>xã Con Cuông;"
        "huyện Tương Dương>xã Tương Dương; huyện Quế Phong>xã Quế Phong; huyện Quỳ Châu>xã Quỳ Châu;"
        "huyện Quỳ Hợp>xã Quỳ Hợp; huyện Nghĩa Đàn>xã Nghĩa Đàn; huyện Tân Kỳ>xã Tân Kỳ;"
        "thị xã Thái Hòa>phường Thái Hòa; thị xã Hoàng Mai>phường Hoàng Mai;"
        "thành phố Vinh>phường Thành Vinh"
    ),
    "Hà Tĩnh": _places(
        "huyện Hương Sơn>xã Hương Sơn; huyện Đức Thọ>xã Đức Thọ; huyện Vũ Quang>xã Vũ Quang;"
        "huyện Nghi Xuân>xã Nghi Xuân; huyện Can Lộc>xã Can Lộc; huyện Hương Khê>xã Hương Khê;"
        "huyện Thạch Hà>xã Thạch Hà; huyện Cẩm Xuyên>xã Cẩm Xuyên"
    ),
    "Thanh Hóa": _places(
        "huyện Hoằng Hóa>xã Hoằng Hóa; huyện Hậu Lộc>xã Hậu Lộc; huyện Nga Sơn>xã Nga Sơn;"
        "huyện Thọ Xuân>xã Thọ Xuân; huyện Ngọc Lặc>xã Ngọc Lặc; huyện Yên Định>xã Yên Định;"
        "huyện Triệu Sơn>xã Triệu Sơn; huyện Bá Thước>xã Bá Thước; thị xã Bỉm Sơn>phường Bỉm Sơn;"
        "thành phố Sầm Sơn>phường Sầm Sơn"
    ),
}
# The home province of a publisher's local stories; another key gets Nghệ An unless told otherwise.
HOMES = {"baonghean": "Nghệ An", "baohatinh": "Hà Tĩnh", "baothanhhoa": "Thanh Hóa"}
# Invented bylines (no paper's real journalists: the texts are not theirs).
BYLINES = ("Hoài An", "Minh Khuê", "Trà Giang", "Đức Mạnh", "Thu Lam", "Bảo Ngọc", "Văn Tùng", "Kim Oanh")


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")  # Vietnamese thousands: 1.250


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _weight(topic: Topic, day: date, first_day: date) -> float:
    """How often a topic is written on a day: seasonal topics only in their months, digital transformation
    more each month (the term trend a demo chart shows) and most in October."""
    weight = 1.0 if not topic.months else (6.0 if day.month in topic.months else 0.0)
    if topic.key == "chuyen-doi-so":
        months = (day.year - first_day.year) * 12 + day.month - first_day.month
        weight = 0.2 + 0.15 * max(0, months) + (1.5 if day.month == DIGITAL_PEAK_MONTH else 0.0)
    return weight


class Corpus:
    """Stories one after another (newest first), each given its publication time."""

    def __init__(
        self, publisher: str, seed: int = 0, province: str | None = None, wire: bool = True, skip: int = 0
    ) -> None:
        self.publisher = publisher
        self.wire = wire  # False: local stories only (a small side corpus never echoes the main one's wire)
        self.seed = seed
        self.province = province or HOMES.get(publisher, "Nghệ An")
        self.places = PROVINCES[self.province]
        self.first_day: date | None = None  # the trend's month zero: the oldest day asked for
        self._seen: Counter[str] = Counter()  # stories of each topic so far: picks place and variant
        # A side corpus (link-only, media stories) starts ``skip`` stories into every topic, so its
        # place and paragraph choices are never those of the main corpus's first ``skip`` of a topic:
        # two corpora starting at 0 would both open a topic with the same place in the same words.
        for topic in LOCAL:
            self._seen[topic.key] = skip
        self._index = 0
        self._editions: dict[int, tuple[Topic, int, datetime]] = {}  # wire edition -> topic, variant, as of

    def story(self, published: datetime, first_day: date | None = None) -> dict[str, Any]:
        """The next story, published at ``published`` (newest first: the next one is older or equal)."""
        index, self._index = self._index, self._index + 1
        rng = random.Random(f"{self.seed}:{self.publisher}:{index}")
        position = index % WIRE_EVERY
        if self.wire and position in (3, 4):
            edition = index // WIRE_EVERY
            return self._wire(edition, published.astimezone(TZ).date(), published, reprint=position == 3)
        day = published.astimezone(TZ).date()
        start = first_day or self.first_day or day - timedelta(days=365)
        weights = [_weight(topic, day, start) for topic in LOCAL]
        topic = rng.choices(LOCAL, weights)[0]
        seen = self._seen[topic.key]
        self._seen[topic.key] += 1
        variants = codes(1 + len(topic.paragraphs))
        where, variant = place_and_variant(seen, len(self.places), len(variants))
        place = self.places[(where + LOCAL.index(topic)) % len(self.places)]
        written = place.written(day)
        values = {
            "noi": written,
            "Noi": _cap(written),
            "ten": bare_name(written),
            "tinh": self.province,
        }
        story = _fill(topic, variants[variant], rng, published, values)
        authors = rng.sample(BYLINES, 1 + (index % 4 == 0))
        story.update(
            key=f"{self.publisher}:{topic.key}:{index}",
            place=written,
            places=[written, f"tỉnh {self.province}"],
            authors=authors,
            source=None,
            wire=None,
            reprint=False,
        )
        return story

    def _wire(self, edition: int, day: date, published: datetime, reprint: bool) -> dict[str, Any]:
        """Wire edition ``edition``: the same text in every corpus of the same seed and time grid (the
        edition's topic and variant depend only on the seed, the day and the editions before it)."""
        if edition not in self._editions:  # the reprint comes first (newest first), then its original
            season = [t for t in WIRE if not t.months or day.month in t.months]
            topic = season[edition % len(season)]
            variants = codes(1 + len(topic.paragraphs))
            # The edition's figures are "as of" a week before its reprint, the same for every copy: a
            # copy's own date would put "tháng 11" in the reprint and "tháng 10" in an original run the
            # day before, across a month's end, and the two would no longer be word for word.
            as_of = published - WIRE_AS_OF
            self._editions[edition] = (
                topic,
                variants[self._seen["wire:" + topic.key] % len(variants)],
                as_of,
            )
            self._seen["wire:" + topic.key] += 1
        topic, code, as_of = self._editions[edition]
        rng = random.Random(f"{self.seed}:wire:{edition}")
        story = _fill(topic, code, rng, published, {}, as_of=as_of)
        story["paragraphs"].append(f"Theo {WIRE_SOURCE}")
        if reprint:  # run again a few hours later, word for word under a marked title
            story["title"] = f"{story['title']} (cập nhật)"
        story.update(
            key=f"{self.publisher}:{topic.key}:wire-{edition}{'-reprint' if reprint else ''}",
            place=None,
            places=[],
            authors=[],
            source=WIRE_SOURCE,
            wire=f"wire-{self.seed}-{edition}",
            reprint=reprint,
        )
        return story


def place_and_variant(seen: int, places: int, variants: int) -> tuple[int, int]:
    """The place and paragraph choice of a topic's story number ``seen``: a new place each time and a
    new choice most times, and never the same pair twice in ``places * variants`` stories (a place
    told twice in the same words, numbers aside, would be a near-duplicate)."""
    turn, where = divmod(seen, places)
    step = places + 1 if (places + 1) % 2 else places + 2  # odd: coprime with the power-of-two variants
    return where, (turn * step + where) % variants


def bare_name(written: str) -> str:
    """ "huyện Diễn Châu" -> "Diễn Châu", "thành phố Vinh" -> "Vinh"."""
    for prefix in ("thành phố ", "thị xã ", "huyện ", "phường ", "xã "):
        if written.startswith(prefix):
            return written[len(prefix) :]
    return written


def _fill(
    topic: Topic,
    code: int,
    rng: random.Random,
    published: datetime,
    values: dict[str, str],
    as_of: datetime | None = None,
) -> dict:
    """The story of ``topic`` published at ``published``; its month and year ("tháng {thang}/{nam}")
    are those of ``as_of`` (default: the publication)."""
    local = published.astimezone(TZ)
    dated = (as_of or published).astimezone(TZ)
    (low_a, high_a), (low_b, high_b) = topic.numbers
    slots = {
        **values,
        "a": _number(rng.randint(low_a, high_a)),
        "b": _number(rng.randint(low_b, high_b)),
        "thang": str(dated.month),
        "nam": str(dated.year),
    }

    blocks = 1 + len(topic.paragraphs)  # bit blocks-1 picks the lead, the lower bits the paragraphs

    def pick(options: tuple[str, ...], bit: int) -> str:
        return options[((code >> bit) & 1) % len(options)]

    def fill(text: str) -> str:
        return _cap(text.format(**slots))

    paragraphs = [fill(pick(options, blocks - 2 - i)) for i, options in enumerate(topic.paragraphs)]
    caption = topic.captions[code % len(topic.captions)]
    return {
        "topic": topic.key,
        "marker": topic.marker,
        "title": fill(topic.titles[rng.randrange(len(topic.titles))]),
        "lead": fill(pick(topic.leads, blocks - 1)),
        "subheading": fill(topic.subheads[rng.randrange(len(topic.subheads))]),
        "paragraphs": paragraphs,
        "images": [{"file": f"{topic.image}.svg", "caption": fill(caption), "credit": "Ảnh minh họa"}],
        "section": topic.section,
        "section_name": SECTIONS[topic.section],
        "tags": list(topic.tags),
        "published": local.isoformat(timespec="seconds"),
    }


def stories(
    publisher_key: str,
    count: int,
    first_day: date,
    last_day: date,
    seed: int = 0,
    province: str | None = None,
) -> list[dict[str, Any]]:
    """``count`` stories evenly spread from ``last_day`` (newest, first) back to ``first_day``, as plain
    dicts: key, topic, marker, title, lead, subheading, paragraphs, images ({file, caption, credit}: the
    file is a placeholder of crawler/snapshot/placeholders.py), section, section_name, tags, authors,
    source (the wire service or None), place, places, wire (the edition, shared by every copy), reprint,
    published (ISO 8601, +07:00). The same arguments always give the same stories."""
    corpus = Corpus(publisher_key, seed, province)
    corpus.first_day = first_day
    return list(_spread(corpus, count, first_day, last_day))


def _spread(corpus: Corpus, count: int, first_day: date, last_day: date) -> Iterator[dict[str, Any]]:
    newest = datetime.combine(last_day, time(21, 30), TZ)
    oldest = datetime.combine(first_day, time(6, 0), TZ)
    step = (newest - oldest) / max(1, count - 1)
    for k in range(count):
        published = newest - k * step
        if k % WIRE_EVERY == 3 and k + 1 < count:  # the reprint: hours after the original, still in order
            published = newest - (k + 1) * step + min(timedelta(hours=3), step)
        yield corpus.story(published.replace(microsecond=0))
