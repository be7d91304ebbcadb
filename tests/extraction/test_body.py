"""The body walker: reading order, figures and captions, tables, quotes, loose text."""

from __future__ import annotations

import lxml.html

from extraction.article import Image
from extraction.body import walk_body
from extraction.dom import parse

LONG = "Người dân vùng chè Bích Hào mạnh dạn phát triển cây chè nhờ có nơi tiêu thụ ổn định quanh năm."


def walk(html: str) -> tuple[list[str], list[Image]]:
    blocks = walk_body(lxml.html.fragment_fromstring(html, create_parent="div"))
    return blocks.paragraphs, blocks.images


def test_image_paragraph_with_italic_caption_inside() -> None:
    paragraphs, images = walk(
        f'<p>{LONG}</p><p style="text-align:center"><img src="https://x/a.jpg" alt="tên tệp.jpg"><br>'
        "<em>Cây chè. Ảnh: Thành Cường</em></p><p>Đoạn sau.</p>"
    )
    assert paragraphs == [LONG, "Đoạn sau."]
    assert images == [Image("https://x/a.jpg", "Cây chè.", "Thành Cường")]


def test_bare_image_then_italic_caption_block() -> None:
    paragraphs, images = walk(
        '<p><img src="https://x/a.jpg"></p><p><em>Toàn cảnh hội nghị</em></p><p>Nội dung tiếp theo.</p>'
    )
    assert paragraphs == ["Nội dung tiếp theo."]
    assert images == [Image("https://x/a.jpg", "Toàn cảnh hội nghị", None)]


def test_italic_paragraph_without_image_is_text() -> None:
    paragraphs, images = walk("<p>Mở đầu.</p><p><em>Một câu trích in nghiêng.</em></p>")
    assert paragraphs == ["Mở đầu.", "Một câu trích in nghiêng."]
    assert images == []


def test_lazy_image_prefers_real_source_and_skips_data_uri() -> None:
    _, images = walk(
        '<figure><img src="data:image/gif;base64,R0lGOD" data-src="https://x/real.jpg">'
        "<figcaption>Chú thích. Ảnh minh họa</figcaption></figure>"
    )
    assert images == [Image("https://x/real.jpg", "Chú thích.", None)]


def test_tables_quotes_and_single_cell_boxes() -> None:
    paragraphs, _ = walk(
        "<table><tr><td>Doanh thu</td><td>20 tỷ</td></tr><tr><td>Diện tích</td><td>40 ha</td></tr></table>"
        "<blockquote><p>“Câu nói một.”</p><p>Câu nói hai.</p></blockquote>"
        "<table><tr><td><p>Ghi chú thứ nhất.</p><p>Ghi chú thứ hai.</p></td></tr></table>"
    )
    assert paragraphs == [
        "Doanh thu | 20 tỷ",
        "Diện tích | 40 ha",
        "“Câu nói một.”",
        "Câu nói hai.",
        "Ghi chú thứ nhất.",
        "Ghi chú thứ hai.",
    ]


def test_loose_text_split_on_line_breaks_and_inline_markup_kept_together() -> None:
    paragraphs, _ = walk(
        "Dòng một của <b>Nghệ</b> An.<br>Dòng hai,<i> nghiêng</i>.<div>Khối.</div>* Mục tin."
    )
    assert paragraphs == ["Dòng một của Nghệ An.", "Dòng hai, nghiêng.", "Khối.", "Mục tin."]


def test_subheadings_are_their_own_entries() -> None:
    paragraphs, _ = walk("<h2>Tiêu đề phụ</h2><p><strong>6 NHIỆM VỤ TRỌNG TÂM</strong></p><p>Nội dung.</p>")
    assert paragraphs == ["Tiêu đề phụ", "6 NHIỆM VỤ TRỌNG TÂM", "Nội dung."]


def test_scripts_styles_and_players_are_never_text() -> None:
    paragraphs, _ = walk("<p>Chữ.</p><script>var a = 1;</script><style>p{}</style><iframe>x</iframe>")
    assert paragraphs == ["Chữ."]


def test_a_block_of_several_images_is_not_one_figure() -> None:
    paragraphs, images = walk(
        '<div class="photo-story"><figure><img src="https://x/1.jpg"><figcaption>Một. Ảnh: A</figcaption>'
        '</figure><p>Đoạn giữa.</p><figure><img src="https://x/2.jpg"><figcaption>Hai.</figcaption></figure></div>'
    )
    assert paragraphs == ["Đoạn giữa."]
    assert images == [Image("https://x/1.jpg", "Một.", "A"), Image("https://x/2.jpg", "Hai.", None)]


def test_gallery_figure_with_one_caption() -> None:
    paragraphs, images = walk(
        '<figure class="gallery"><img src="https://x/1.jpg"><img src="https://x/2.jpg">'
        "<figcaption>Toàn cảnh. Ảnh: B</figcaption></figure><p>Sau.</p>"
    )
    assert paragraphs == ["Sau."]
    assert [image.url for image in images] == ["https://x/1.jpg", "https://x/2.jpg"]


def test_comments_and_processing_instructions_keep_the_text_around_them() -> None:
    paragraphs, _ = walk("<p>Nghệ<!-- x --> An<?php echo 1; ?> hôm nay<script>var a;</script>.</p>")
    assert paragraphs == ["Nghệ An hôm nay."]


def test_pathologically_nested_body_is_read_flat() -> None:
    html = "<div>" * 700 + "<p>Đoạn sâu.</p>" + "</div>" * 700 + "<p>Đoạn nông.</p>"
    root = parse(f"<html><body><div id='body'>{html}</div></body></html>")
    blocks = walk_body(root.xpath("//div[@id='body']")[0])
    assert blocks.paragraphs == ["Đoạn sâu.", "Đoạn nông."]
