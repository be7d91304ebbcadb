"""Placeholder pictures for the demo stories: tiny SVG files the snapshot server serves itself.

A demo story has no photograph; a link to a real CDN would show a broken image (offline) or a real
photo of something else (online). Each placeholder is a flat colour with a simple shape and the words
"Ảnh minh họa - demo vnnews", under 1 KB, written into the snapshot at ``/demo-images/<name>.svg``.
Pages name them by an absolute URL on the server that will serve them (``image_base``), since the
archive stores image URLs as the page gives them and Datasette's reading view shows only http(s) ones.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

FOLDER = "demo-images"
# name: (background, foreground, what the picture stands for)
THEMES = {
    "dong-ruong": ("#cfe8b0", "#4f7d1f", "Đồng ruộng"),
    "hoi-nghi": ("#d9d4f2", "#4b3f8f", "Dịch vụ công"),
    "truong-hoc": ("#f8e7a8", "#8a6d00", "Trường học"),
    "mua-lu": ("#b9d3ea", "#23527c", "Mưa lũ"),
    "y-te": ("#c4ece6", "#1d6f63", "Y tế"),
    "le-hoi": ("#f6c9c0", "#9c2f1c", "Ngày Tết"),
    "the-thao": ("#fbd8b0", "#a3520b", "Thể thao"),
    "giao-thong": ("#dcdcdc", "#444444", "Giao thông"),
    "cho-que": ("#ecdcc6", "#7a5230", "Sản phẩm quê"),
    "kinh-te": ("#d6e4f0", "#2e4a66", "Kinh tế"),
    "thoi-tiet": ("#e3ecf5", "#3d5a80", "Thời tiết"),
    # The real sample articles' photos are not bundled: their pages show this instead (see photos_replaced).
    "anh-goc": ("#eeeeee", "#666666", "Ảnh gốc không kèm theo"),
}
SAMPLE_PHOTO = "anh-goc.svg"
# Photo hosts of the real pages in crawler/snapshot/data (E3, E2 and E1 eras): pictures offline copies
# cannot show (no internet) and must not fetch (the demo never leaves 127.0.0.1).
_PHOTO = re.compile(
    rb"https?://(?:bna\.1cdn\.vn|image2\.baonghean\.vn|photo-cms-baonghean\.zadn\.vn)/[^\s\"'<>()]+?"
    rb"\.(?:jpe?g|png|gif|webp)",
    re.IGNORECASE,
)


def svg(name: str) -> str:
    background, foreground, label = THEMES[name]
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="533" viewBox="0 0 800 533">'
        f'<rect width="800" height="533" fill="{background}"/>'
        f'<circle cx="400" cy="210" r="90" fill="none" stroke="{foreground}" stroke-width="10"/>'
        f'<path d="M250 440 L360 320 L430 390 L500 330 L560 440 Z" fill="{foreground}" opacity="0.5"/>'
        f'<text x="400" y="500" font-family="sans-serif" font-size="30" fill="{foreground}" '
        f'text-anchor="middle">{escape(label)} · Ảnh minh họa - demo vnnews</text></svg>\n'
    )


def write_all(site: Path) -> list[str]:
    """Write every placeholder under ``site``; their URL paths."""
    folder = site / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for name in THEMES:
        (folder / f"{name}.svg").write_text(svg(name), encoding="utf-8")
    return [f"/{FOLDER}/{name}.svg" for name in THEMES]


def photos_replaced(page: bytes, image_base: str) -> bytes:
    """A real sample page as the snapshot serves it: every photo URL of the paper's image hosts points to
    the "original photo not included" placeholder; its text, URL and everything else stay as captured."""
    return _PHOTO.sub(url(image_base, SAMPLE_PHOTO).encode(), page)


def url(image_base: str, file: str) -> str:
    return f"{image_base.rstrip('/')}/{FOLDER}/{file}"
