"""The gazetteer: Vietnam's administrative units, 2025 and pre-2025, with coordinates.

Everything comes from the files that the ``vietnamadminunits`` package (MIT licence, a dependency in
pyproject.toml) ships: nothing is typed in here and nothing is downloaded.

- ``data/dataset.db`` table ``admin_units``: the 2025 units, 34 provinces and 3,321 communes (xã, phường,
  đặc khu), with the coordinates of each province and commune (``provinceLat/Lon``, ``wardLat/Lon``).
- ``data/dataset.db`` table ``admin_units_legacy``: the 63 provinces, their districts and 10,040 communes
  before 2025, with coordinates at each level, and district aliases (towns merged away before 2025, such
  as Cửa Lò into Vinh).
- ``data/converter_2025.json``: which 2025 province each old province became, and which 2025 commune each
  old commune became (a commune split between several takes the one the package marks as default).

The package is located without importing it (its ``__init__`` pulls in shapely and geopy, which the
archive does not need). ``load()`` builds the gazetteer once per process (about half a second).
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import json
import sqlite3
import unicodedata
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "vietnamadminunits"
# Old district-level aliases are stored folded with their type ("thixacualo"); these prefixes are cut off
# before the accented name is looked up among the gazetteer's own names.
_ALIAS_PREFIXES = ("thanhpho", "thixa", "huyen", "quan", "tp", "tx", "h")


@dataclass(frozen=True)
class Place:
    id: str  # "vn2025:p40", "vn2025:c16681", "vn63:p40", "vn63:d412", "vn63:c16663"
    name: str  # short name as written in text: "Nghệ An", "Thành Vinh", "Hưng Nguyên"
    full_name: str  # with its type: "Tỉnh Nghệ An", "Phường Thành Vinh", "Huyện Hưng Nguyên"
    level: str  # province, district, commune
    unit_type: str  # Tỉnh, Thành phố, Huyện, Quận, Thị xã, Xã, Phường, Thị trấn, Đặc khu
    era: str  # "2025" (units since 1 July 2025) or "pre-2025"
    province: str  # the 2025 province it lies in (short name)
    old_province: str | None  # the pre-2025 province, for pre-2025 units
    district: str | None  # the pre-2025 district, for pre-2025 communes
    lat: float | None
    lon: float | None
    successor_id: str | None  # pre-2025 units: the 2025 unit it became (province for districts)


@dataclass
class Gazetteer:
    version: str
    places: dict[str, Place]
    aliases: dict[str, list[str]]  # extra names -> place ids (recovered accented district aliases)


def _package_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {PACKAGE} package is not installed (a vnnews dependency)")
    return Path(next(iter(spec.submodule_search_locations)))


def _nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


def _key(text: str) -> str:
    """The package's folded key: lower case, no diacritics, no spaces ("Cửa Lò" -> "cualo")."""
    folded = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(ch for ch in folded if ch.isalnum() and not unicodedata.combining(ch))


@functools.cache
def load() -> Gazetteer:
    root = _package_dir() / "data"
    version = f"{PACKAGE} {importlib.metadata.version(PACKAGE)}"
    conn = sqlite3.connect(f"file:{root / 'dataset.db'}?mode=ro", uri=True)
    try:
        new_rows = conn.execute(
            """SELECT provinceCode, provinceShort, province, provinceLat, provinceLon, provinceKey,
                      wardCode, wardShort, ward, wardType, wardLat, wardLon, wardKey FROM admin_units"""
        ).fetchall()
        old_rows = conn.execute(
            """SELECT provinceCode, provinceShort, province, provinceLat, provinceLon, provinceKey,
                      districtCode, districtShort, district, districtType, districtLat, districtLon,
                      districtKey, districtAlias, wardCode, wardShort, ward, wardType, wardLat, wardLon,
                      wardKey
               FROM admin_units_legacy"""
        ).fetchall()
    finally:
        conn.close()
    converter = json.loads((root / "converter_2025.json").read_text(encoding="utf-8"))
    places: dict[str, Place] = {}
    new_province_by_key: dict[str, str] = {}
    new_ward_by_key: dict[tuple[str, str], str] = {}
    for pcode, pshort, pfull, plat, plon, pkey, wcode, wshort, wfull, wtype, wlat, wlon, wkey in new_rows:
        pid = f"vn2025:p{pcode}"
        new_province_by_key[pkey] = pid
        places.setdefault(
            pid,
            Place(pid, _nfc(pshort), _nfc(pfull), "province", _nfc(pfull)[: -len(_nfc(pshort))].strip(),
                  "2025", _nfc(pshort), None, None, plat, plon, None),
        )  # fmt: skip
        cid = f"vn2025:c{wcode}"
        new_ward_by_key[(pkey, wkey)] = cid
        places[cid] = Place(
            cid, _nfc(wshort), _nfc(wfull), "commune", _nfc(wtype), "2025", _nfc(pshort), None, None,
            wlat if wlat is not None else plat, wlon if wlon is not None else plon, None,
        )  # fmt: skip
    old_province_successor = {
        old: new_province_by_key[new] for new, olds in converter["DICT_PROVINCE"].items() for old in olds
    }
    old_ward_successor: dict[str, str] = {}
    for new_pkey, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, olds in wards.items():
            target = new_ward_by_key.get((new_pkey, new_wkey))
            for old in olds:
                if target:
                    old_ward_successor[old] = target
    divided = converter["DICT_PROVINCE_WARD_DIVIDED"]
    aliases: dict[str, list[str]] = {}
    district_alias_keys: dict[str, str] = {}
    for row in old_rows:
        (pcode, pshort, pfull, plat, plon, pkey, dcode, dshort, dfull, dtype, dlat, dlon, dkey, dalias,
         wcode, wshort, wfull, wtype, wlat, wlon, wkey) = row  # fmt: skip
        new_pid = old_province_successor.get(pkey)
        new_province = places[new_pid].name if new_pid else _nfc(pshort)
        pid = f"vn63:p{pcode}"
        places.setdefault(
            pid,
            Place(pid, _nfc(pshort), _nfc(pfull), "province", _nfc(pfull)[: -len(_nfc(pshort))].strip(),
                  "pre-2025", new_province, _nfc(pshort), None, plat, plon, new_pid),
        )  # fmt: skip
        did = f"vn63:d{dcode}"
        if did not in places:
            places[did] = Place(
                did, _nfc(dshort), _nfc(dfull), "district", _nfc(dtype), "pre-2025", new_province,
                _nfc(pshort), None, dlat if dlat is not None else plat,
                dlon if dlon is not None else plon, new_pid,
            )  # fmt: skip
            for alias in json.loads(dalias or "[]"):
                for prefix in _ALIAS_PREFIXES:
                    if alias.startswith(prefix) and len(alias) > len(prefix) + 2:
                        district_alias_keys.setdefault(alias[len(prefix) :], did)
        if not wcode:
            continue
        old_key = f"{pkey}_{dkey}_{wkey}"
        successor = old_ward_successor.get(old_key)
        if successor is None and old_key in divided:
            default = next((n for n in divided[old_key] if n.get("isDefaultNewWard")), divided[old_key][0])
            new_pkey = next((k for k, v in converter["DICT_PROVINCE"].items() if pkey in v), None)
            successor = new_ward_by_key.get((new_pkey or "", default["newWardKey"]))
        cid = f"vn63:c{wcode}"
        places[cid] = Place(
            cid, _nfc(wshort), _nfc(wfull), "commune", _nfc(wtype), "pre-2025", new_province, _nfc(pshort),
            _nfc(dshort), wlat if wlat is not None else dlat, wlon if wlon is not None else dlon, successor,
        )  # fmt: skip
    # Aliases are stored folded only; their accented form is any gazetteer name with the same key
    # ("cualo" -> "Cửa Lò", the 2025 phường) that is not the district's own name.
    names_by_key: dict[str, str] = {}
    for place in places.values():
        names_by_key.setdefault(_key(place.name), place.name)
    for alias_key, did in district_alias_keys.items():
        name = names_by_key.get(alias_key)
        if name and name != places[did].name:
            aliases.setdefault(name, []).append(did)
    return Gazetteer(version, places, aliases)
