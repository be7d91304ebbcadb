"""The generic fallback finds short articles and articles its first read missed (issue 11 item 3).

Measured on trafilatura's evaluation set (docs/benchmarks-extract.md): these rules took vnnews from
0.9201 to above trafilatura's own F1 there, with Zyte's benchmark unchanged.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from extraction import extract_explained
from extraction.article import NotAnArticleError

PAGES = Path(__file__).parent / "pages"
NOTE = (
    "M:Wer rutscht als nächstes aus auf dem Glatteis? Ich: Ich wette, dass du als nächstes ausrutschst."
    " M: Gewonnen!"
)


def blog_note(head: str) -> str:
    """A WordPress blog's one-line post (weselpower.wordpress.com, trafilatura's set): 110 characters."""
    return (
        f"<html><head><title>Monstergespräche #1 | Blog</title>{head}</head><body>"
        "<div id='page'><header><a href='/'>Blog</a><nav><a href='/a'>Über</a> <a href='/b'>Archiv</a></nav>"
        "</header><div id='main'><article class='post'><h1 class='entry-title'>Monstergespräche #1</h1>"
        f"<div class='entry-content'><p>{NOTE}</p></div>"
        "<footer>Teilen Sie dies mit: <a href='/share'>Twitter</a></footer>"
        "</article></div></div></body></html>"
    )


DECLARED = (
    '<meta property="og:type" content="article">'
    '<meta property="article:published_time" content="2009-12-23T07:16:15+00:00">'
)


def test_a_short_page_that_declares_itself_an_article_is_kept() -> None:
    article, _ = extract_explained(blog_note(DECLARED), url="https://blog.example.org/2009/12/23/monster-1/")
    assert article.title == "Monstergespräche #1"
    assert article.paragraphs == [NOTE]
    assert article.published_at == "2009-12-23T14:16:15+07:00"


@pytest.mark.parametrize(
    "head",
    [
        "",  # no metadata: a short page is more likely a listing or an error page
        '<meta property="og:type" content="website">',
        '<meta property="og:type" content="article">',  # no publication time: not shown as one article
    ],
)
def test_a_short_page_that_does_not_declare_an_article_is_still_refused(head: str) -> None:
    with pytest.raises(NotAnArticleError, match="too little body text"):
        extract_explained(blog_note(head), url="https://blog.example.org/2009/12/23/monster-1/")


def test_a_paragraph_flowing_around_its_image_is_text_not_a_caption() -> None:
    """ohneq.de (trafilatura's set): <p><img class="alignleft">Hi! Mein Name ist …</p> is the first
    paragraph; a caption after a <br> in italics stays a caption."""
    first = "Hi! Mein Name ist Johannes aka ohneQ. Mir macht es sehr viel Spaß, Podcasts zu produzieren."
    rest = [
        "Meine Freunde und ich sprechen jede Woche über Filme, Serien und Spiele, die uns gefallen haben.",
        "Wer mitmachen will, schreibt mir einfach eine Nachricht über das Kontaktformular auf dieser Seite.",
    ]
    html = (
        "<html><head><title>Johannes | ohneQ</title></head><body><div class='content'><h1>Johannes</h1>"
        f"<p><img class='alignleft' src='/johannes.png' alt='ohneQ'>{first}</p>"
        + "".join(f"<p>{line}</p>" for line in rest)
        + "<p><img src='/studio.jpg'><br><em>Das Studio im Keller</em></p>"
        + "".join(f"<p>{line} Noch ein Satz.</p>" for line in rest)
        + "</div></body></html>"
    )
    article, _ = extract_explained(html, url="https://ohneq.example.de/ohneq/johannes/")
    assert article.paragraphs[0] == first
    assert "Das Studio im Keller" not in article.text
    assert [(image.url, image.caption) for image in article.images] == [
        ("/johannes.png", None),
        ("/studio.jpg", "Das Studio im Keller"),
    ]


def read(name: str) -> str:
    return gzip.decompress((PAGES / name).read_bytes()).decode("utf-8")


def test_a_page_whose_region_holds_only_menu_words_is_read_with_the_fallback_extractors() -> None:
    url = (
        "https://www.rnz.de/nachrichten_artikel,-zz-dpa-Schlaglichter-Frank-Witzel-erhaelt-Deutschen"
        "-Buchpreis-2015-_arid,133484.html"
    )
    article, explanation = extract_explained(read("rnz-buchpreis.html.gz"), url=url)
    assert "fallback extractors" in explanation.sources["paragraphs"]
    assert article.title == "Frank Witzel erhält Deutschen Buchpreis 2015"
    assert len(article.paragraphs) == 1
    assert article.paragraphs[0].startswith(
        "Frankfurt/Main (dpa) - Für einen Roman über die alte Bundesrepublik"
    )
    assert article.paragraphs[0].endswith("gilt als wichtigste Auszeichnung der Branche.")
    assert "Politik" not in article.text and "RSS" not in article.text  # the menu words the region gave


def test_a_short_text_about_something_else_than_the_headline_is_read_again() -> None:
    url = "https://www.chemie.de/news/1178836/empa-spin-off-revolutioniert-die-messung-von-luftschadstoffen.html"
    article, explanation = extract_explained(read("chemie-empa-spinoff.html.gz"), url=url)
    assert "fallback extractors" in explanation.sources["paragraphs"]
    assert article.paragraphs[0].startswith("Das im Februar 2018 als Spin-off der Empa gegründete Start-up")
    assert "Mehrere Quantenkaskadenlaser in einem Gerät vereint" in article.paragraphs  # a subheading
    assert article.paragraphs[-1].startswith("Und im Oktober verlieh Innosuisse")
    # The teaser of another story the first read kept (the plastics treaty talks in Uruguay).
    assert "Plastikverschmutzung" not in article.text
