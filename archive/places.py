"""Places an article mentions, found in its text with the gazetteer (archive/gazetteer.py) and context rules.

The text is matched with diacritics and case (NFC, tone marks put in one place so "Thanh Hoá" and
"Thanh Hóa" are one name): a lower-case "vinh" (glory) or "nam" never matches. Words are looked up as
n-grams (up to the longest name) in one dict, so an article costs a few dict look-ups per word.

Rules (docs/archive.md, "Places"):

1. An administrative prefix decides the level: "xã, phường, thị trấn, đặc khu X" is a commune; "huyện,
   quận, thị xã X" a pre-2025 district; "tỉnh X" a province; "thành phố, TP. X" a province or a
   pre-2025 city. Names listed after a prefix ("các xã Hưng Tây, Hưng Yên Bắc và Hưng Trung") share it.
2. Without a prefix only provinces and pre-2025 districts (and a 2025 commune that bears a district's
   name, such as Hưng Nguyên) are taken; commune names without a prefix are too often streets, people
   and common words.
3. A bare name is not a place when a person title (ông, chị, đồng chí...), a surname or middle name
   (Nguyễn, Văn, Thị...) or a street word (đường, phố) comes before it. A one-word bare name ("Vinh")
   is not taken at the start of a sentence or next to another capitalised word.
4. A name that several units bear is resolved by place: first units in a pre-2025 district the text
   names, then in a province the text names, then in the publisher's home province (Nghệ An for
   baonghean), then anywhere; the first of these that holds exactly one unit wins, two or more leave
   the mention out (ambiguous).
5. Era: when a pre-2025 and a 2025 unit bear the name in one place ("huyện Hưng Nguyên" then, "xã Hưng
   Nguyên" now), an article published before 1 July 2025 gets the old unit, a later one the new. A
   province whose name lives on is always the 2025 province.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from archive.gazetteer import Gazetteer, Place

# Text beyond this is not read: the longest real articles are ~100k characters; a runaway page is cut here.
MAX_TEXT_CHARS = 300_000
# The day the 2025 units took effect (Resolution 202/2025/QH15): older articles use the old ones.
REFORM_DATE = "2025-07-01"
RULES_VERSION = "1"

# oà/oá/oả/oã/oạ, oè..., uỳ... written with the mark on the second vowel -> on the first (Hoà -> Hòa).
_TONE_PAIRS = {
    f"{a}{m}": f"{unicodedata.normalize('NFC', b + t)}{c}"
    for a, b, c in (("o", "o", "a"), ("o", "o", "e"), ("u", "u", "y"), ("O", "O", "a"), ("U", "U", "y"))
    for t, m in (
        ("\u0300", unicodedata.normalize("NFC", c + "\u0300")),
        ("\u0301", unicodedata.normalize("NFC", c + "\u0301")),
        ("\u0309", unicodedata.normalize("NFC", c + "\u0309")),
        ("\u0303", unicodedata.normalize("NFC", c + "\u0303")),
        ("\u0323", unicodedata.normalize("NFC", c + "\u0323")),
    )
}
_TONE_RE = re.compile("|".join(map(re.escape, _TONE_PAIRS)))
_WORD = re.compile(r"\w+")

_PREFIXES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("xã",): ("commune",),
    ("phường",): ("commune",),
    ("thị", "trấn"): ("commune",),
    ("đặc", "khu"): ("commune",),
    ("huyện",): ("district",),
    ("quận",): ("district",),
    ("thị", "xã"): ("district",),
    ("tx",): ("district",),
    ("tỉnh",): ("province",),
    ("thành", "phố"): ("province", "district"),
    ("tp",): ("province", "district"),
}
# Words before a name that make it a person: titles and kin ("đồng chí X", "Chủ tịch X": the word
# before X is "chí", "tịch").
_PERSON = frozenset(
    {"ông", "bà", "anh", "chị", "em", "cô", "chú", "bác", "cụ", "thầy", "cháu", "bạn", "con", "vợ"}
    | {"chồng", "mẹ", "bố", "cha", "chí", "tướng", "sĩ", "tịch"}
)
_STREET = frozenset({"đường", "phố", "lộ", "ngõ", "hẻm", "kiệt"})
# Surnames and middle names: "Nguyễn Thanh Chương" is a man, "Thanh Chương" a district.
_NAME_PARTS = frozenset(
    {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"}
    | {"Ngô", "Dương", "Lý", "Đinh", "Lương", "Trịnh", "Đào", "Cao", "Văn", "Thị", "Đình", "Hữu"}
    | {"Công", "Bá", "Khắc", "Sỹ", "Sĩ"}
)
_SENTENCE_END = set(".!?…:;\"“”'(–—-\n")
_LIST_GAP = re.compile(r"^(,\s*|\s+và\s+|,\s*và\s+|\s*;\s*)$")


def canonical(text: str) -> str:
    """NFC with tone marks on the first vowel of oa/oe/uy; same length as the NFC text."""
    return _TONE_RE.sub(lambda m: _TONE_PAIRS[m.group()], unicodedata.normalize("NFC", text))


@dataclass
class Mention:
    place: Place
    start: int
    prefix: str  # the prefix as written, lower case ("xã", "tp"), "list" when inherited, "" when bare


@dataclass
class Matcher:
    gazetteer: Gazetteer
    by_words: dict[tuple[str, ...], list[Place]] = field(default_factory=dict)
    bare: dict[tuple[str, ...], list[Place]] = field(default_factory=dict)
    longest: int = 1

    @classmethod
    def build(cls, gazetteer: Gazetteer) -> Matcher:
        matcher = cls(gazetteer)
        district_names = {(p.province, p.name) for p in gazetteer.places.values() if p.level == "district"}
        district_names |= {
            (gazetteer.places[i].province, name) for name, ids in gazetteer.aliases.items() for i in ids
        }
        for place in gazetteer.places.values():
            words = tuple(_WORD.findall(canonical(place.name)))
            if not words or not place.name[:1].isupper():
                continue  # "1 Bảo Lộc", "é Tòng": not written as such in running text
            matcher.by_words.setdefault(words, []).append(place)
            matcher.longest = max(matcher.longest, len(words))
            twin = (
                place.level == "commune"
                and place.era == "2025"
                and (place.province, place.name) in district_names
            )
            if place.level in ("province", "district") or twin:
                matcher.bare.setdefault(words, []).append(place)
        return matcher

    def find(self, text: str, published_at: str | None = None, home: str | None = None) -> list[Mention]:
        """Every place mention in ``text``; ``home`` is the publisher's home province (2025 name)."""
        text = canonical(text[:MAX_TEXT_CHARS])
        tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        raw = self._scan(text, tokens)
        context = _Context.of(raw, home)
        era = "pre-2025" if published_at and published_at[:10] < REFORM_DATE else "2025"
        mentions = []
        for start, prefix, candidates in raw:
            place = context.resolve(candidates, era)
            if place is not None:
                mentions.append(Mention(place, start, prefix))
        return mentions

    def _scan(self, text: str, tokens: list[tuple[int, int, str]]) -> list[tuple[int, str, list[Place]]]:
        found: list[tuple[int, str, list[Place]]] = []
        last_prefix, last_end = "", -1
        i = 0
        while i < len(tokens):
            hit = self._longest_at(text, tokens, i)
            if hit is None:
                i += 1
                continue
            n, places = hit
            start, end = tokens[i][0], tokens[i + n - 1][1]
            levels, prefix = _prefix_before(text, tokens, i)
            if not levels and last_prefix and _LIST_GAP.match(text[last_end:start]):
                levels, prefix = _PREFIXES_BY_LEVEL[last_prefix], "list"
            candidates = [p for p in places if p.level in levels] if levels else []
            if candidates:
                last_prefix = _level_key(levels)
            else:  # bare, a list item of another level ("huyện Nghi Lộc, Nghệ An"), or a unit the
                # gazetteer lacks at that level ("thị xã Cửa Lò", merged into Vinh before 2025)
                prefix = ""
                candidates = list(self.bare.get(tuple(t[2] for t in tokens[i : i + n]), []))
                if candidates and not _bare_ok(text, tokens, i, n):
                    candidates = []
                last_prefix = ""
            if candidates:
                found.append((start, prefix, _province_or_city(candidates, prefix)))
            last_end = end
            i += n
        return found

    def _longest_at(
        self, text: str, tokens: list[tuple[int, int, str]], i: int
    ) -> tuple[int, list[Place]] | None:
        if not tokens[i][2][:1].isupper():
            return None
        for n in range(min(self.longest, len(tokens) - i), 0, -1):
            key = tuple(t[2] for t in tokens[i : i + n])
            places = self.by_words.get(key) or self.bare.get(key)
            if not places:
                continue
            written = " ".join(text[tokens[i][0] : tokens[i + n - 1][1]].split())
            if written in (" ".join(key), canonical(places[0].name)):
                return n, places
        return None


_PREFIXES_BY_LEVEL = {
    "commune": ("commune",),
    "district": ("district",),
    "province": ("province",),
    "province+district": ("province", "district"),
}


def _level_key(levels: tuple[str, ...]) -> str:
    return "+".join(levels)


def _prefix_before(text: str, tokens: list[tuple[int, int, str]], i: int) -> tuple[tuple[str, ...], str]:
    """The levels an administrative prefix right before token ``i`` allows, and the prefix as written
    (lower case); ((), "") when there is none."""
    for size in (2, 1):
        if i < size:
            continue
        words = tuple(t[2].lower() for t in tokens[i - size : i])
        levels = _PREFIXES.get(words)
        if levels is None:
            continue
        gap = text[tokens[i - 1][1] : tokens[i][0]]
        inner = all(text[tokens[k][1] : tokens[k + 1][0]] == " " for k in range(i - size, i - 1))
        if inner and (gap == " " or (gap.strip() == "." and len(gap) <= 2)):
            return levels, " ".join(words)
    return (), ""


def _province_or_city(candidates: list[Place], prefix: str) -> list[Place]:
    """A province and a city of one name (Hà Tĩnh, Thanh Hóa): bare, the province; "thành phố X", the
    province only when it is a centrally governed city (Hà Nội, Huế), else the city."""
    provinces = [p for p in candidates if p.level == "province"]
    if not provinces or len(provinces) == len(candidates):
        return candidates
    if prefix in ("thành phố", "tp"):
        cities = [p for p in provinces if p.unit_type == "Thành phố"]
        return cities or [p for p in candidates if p.level != "province"]
    return provinces if prefix == "" else candidates


def _bare_ok(text: str, tokens: list[tuple[int, int, str]], i: int, n: int) -> bool:
    before = tokens[i - 1][2] if i > 0 else ""
    gap_before = text[tokens[i - 1][1] : tokens[i][0]] if i > 0 else ""
    person = before.lower() in _PERSON or before.lower() in _STREET or before in _NAME_PARTS
    if person and gap_before.strip() == "":
        return False
    at_start = i == 0 or bool(set(gap_before) & _SENTENCE_END)
    first = tokens[i][2]
    if at_start and first.lower() in _PERSON:
        return False  # "Anh Sơn cho biết": a man called Sơn, or the district; left out
    if n == 1:
        if at_start:
            return False
        if gap_before == " " and before[:1].isupper():
            return False
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if after and text[tokens[i][1] : after[0]] == " " and after[2][:1].isupper():
            return False
    return True


@dataclass
class _Context:
    provinces: set[str]
    districts: set[tuple[str, str]]  # (2025 province, district name)
    home: str | None

    @classmethod
    def of(cls, raw: list[tuple[int, str, list[Place]]], home: str | None) -> _Context:
        provinces: set[str] = set()
        districts: set[tuple[str, str]] = set()
        for _start, _prefix, candidates in raw:
            named = {p.province for p in candidates if p.level == "province"}
            if len(named) == 1:
                provinces |= named
            district = {(p.province, p.name) for p in candidates if p.level == "district"}
            if len(district) == 1:
                districts |= district
        return cls(provinces, districts, home)

    def resolve(self, candidates: list[Place], era: str) -> Place | None:
        tiers = (
            lambda p: p.district is not None and (p.province, p.district) in self.districts,
            lambda p: p.province in self.provinces,
            lambda p: p.province == self.home,
            lambda p: True,
        )
        for tier in tiers:
            subset = [p for p in candidates if tier(p)]
            if not subset:
                continue
            return _one(subset, era)
        return None


def _one(places: list[Place], era: str) -> Place | None:
    """The one unit meant among ``places`` (all in the same tier), or None when ambiguous."""
    if all(p.level == "province" for p in places):
        # A province whose name lives on is the 2025 province; a dissolved one stays pre-2025.
        places = [p for p in places if p.era == "2025"] or places
    if len(places) == 1:
        return places[0]
    preferred = [p for p in places if p.era == era]
    return preferred[0] if len(preferred) == 1 else None


def count(mentions: list[Mention]) -> list[tuple[Place, int, int]]:
    """(place, mentions, first offset) per place, in order of first mention."""
    counts = Counter(m.place.id for m in mentions)
    first: dict[str, Mention] = {}
    for mention in mentions:
        first.setdefault(mention.place.id, mention)
    return [(m.place, counts[pid], m.start) for pid, m in first.items()]


_LEVEL_ORDER = {"commune": 0, "district": 1, "province": 2}


def main_place(counted: list[tuple[Place, int, int]]) -> str | None:
    """The id of the place an article is about, for the map: the most specific level, then the most
    mentioned, then the first mentioned; only places with coordinates."""
    located = [c for c in counted if c[0].lat is not None and c[0].lon is not None]
    if not located:
        return None
    return min(located, key=lambda c: (_LEVEL_ORDER[c[0].level], -c[1], c[2]))[0].id
