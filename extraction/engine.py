"""One captured page in, one clean article out.

Parse once; decide whether the page is an article; pick the site template by markup fingerprint
(capture date breaks ties); extract; fall back to the generic extractor when no template fits.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urljoin, urlsplit

from extraction import dates, limits, publishers
from extraction.article import Article, ExtractionError, ExtractionFailed, NotAnArticleError, NotHtmlError
from extraction.dom import HtmlElement, PageIndex, indexed, parse
from extraction.explain import Explanation
from extraction.formats import page_format
from extraction.generic import NAME as GENERIC
from extraction.generic import extract_generic
from extraction.metadata import PageMeta, read_meta
from extraction.normalize import site_name_variants
from extraction.pagekind import declares_article, listing_reason, markup_reason, url_reason
from extraction.publishers import Publisher
from extraction.publishers.spec import is_local_copy
from extraction.templates import Fields, Template, templates_of
from extraction.templates.cms import FAMILIES

MIN_GENERIC_CHARS = 200  # less text (lead + body) than this and a page with no template is not an article
# A page that declares itself one article (og:type article or a JSON-LD Article, with its publication
# time) may be short: a blog note, a brief. Listings, tag and error pages do not declare that, so the
# floor above still keeps them out. Below this much text even a declared article shows nothing to keep.
MIN_DECLARED_CHARS = 40


def _page_url(page: PageMeta, url: str | None) -> str | None:
    """The canonical link when present (resolved against the fetch URL), else the given URL, else og:url."""
    canonical = page.canonical
    if canonical:
        return urljoin(url, canonical) if url else canonical
    if url:
        return url
    og_url, _ = page.meta("og:url")
    return og_url


def _publisher_for(url: str | None, page: PageMeta) -> Publisher | None:
    """The publisher owning the URL. Without a URL, or on a local copy (127.0.0.1, localhost), the one
    the page names as its site (og:site_name, JSON-LD publisher, a " - Báo Nghệ An" title suffix). A
    page of another domain is never a known publisher's, whatever it says about itself."""
    if url:
        owner = publishers.for_url(url)
        if owner is not None:
            return owner
        if not is_local_copy(url):
            return None
    ld_publisher = page.ld("publisher")
    names = [page.meta("og:site_name")[0] or "", page.meta("application-name")[0] or ""]
    if isinstance(ld_publisher, dict) and isinstance(ld_publisher.get("name"), str):
        names.append(ld_publisher["name"])
    names = [name.strip().lower() for name in names if name]
    title = page.html_title.lower()
    for publisher in publishers.PUBLISHERS.values():
        known = publisher.known_names
        if any(name in known for name in names) or any(title.endswith(f" - {n}") for n in known):
            return publisher
    return None


def site_domain(url: str | None) -> str:
    """The publisher key of a site no spec knows: its host without "www." / "m." ("baolaocai.vn")."""
    host = (urlsplit(url).hostname or "").lower() if url else ""
    for prefix in ("www.", "m.", "amp."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix) :]
            break
    return host or "unknown"


def _id_less_reason(url: str | None, owner: Publisher | None) -> str | None:
    """No template matched and the publisher's own URL carries no article id: a topic, tag or tool page."""
    if url and owner is not None and owner.identify(url)[1] is None:
        return f"URL {urlsplit(url).path!r} has no article id (a topic, tag or utility page)"
    return None


def _live_at(templates: tuple[Template, ...], captured_at: datetime | None) -> Template | None:
    """The template whose era was live on the capture day: the first ``valid_until`` after it."""
    if captured_at is None:
        return None
    day = dates.to_iso(captured_at)[:10]
    live = [template for template in templates if day < template.valid_until]
    return min(live, key=lambda template: template.valid_until) if live else None


def choose_template(
    root: HtmlElement,
    templates: tuple[Template, ...],
    captured_at: datetime | None,
    explanation: Explanation,
    index: PageIndex | None = None,
) -> Template | None:
    index = index or PageIndex(root)
    scored: list[tuple[int, Template, str]] = []
    for template in templates:
        found = template.matched_features(root, index)
        reason = ", ".join(found) if len(found) >= template.min_features else None
        explanation.candidates.append((template.name, reason))
        if reason:
            scored.append((len(found), template, reason))
    if not scored:
        return None
    best = max(score for score, _, _ in scored)
    top = [(template, reason) for score, template, reason in scored if score == best]
    live = _live_at(templates, captured_at)
    if len(top) > 1 and live is not None:
        by_date = [(t, r) for t, r in top if t is live]
        if by_date:
            explanation.reason = (
                f"markup fits {len(top)} eras equally; capture date says {live.era}: {by_date[0][1]}"
            )
            return by_date[0][0]
    template, reason = top[0]
    explanation.reason = f"markup fingerprint: {reason}"
    return template


def _article(
    fields: Fields, url: str | None, publisher: Publisher | None, parser: str, kind: str = "article"
) -> Article:
    # The article's identity is decided here, once (the archive stores ``Article.ref`` as it is).
    canonical, ref = publisher.identify(url) if (publisher and url) else (url or "", None)
    return Article(
        publisher=publisher.key if publisher else site_domain(canonical),
        url=canonical,
        title=fields.title,
        lead=fields.lead,
        authors=fields.authors,
        published_at=fields.published_at,
        modified_at=fields.modified_at,
        section=fields.section,
        tags=fields.tags,
        images=fields.images,
        paragraphs=fields.paragraphs,
        source=fields.source,
        language=publisher.language if publisher else "vi",
        parser=parser,
        article_id=ref.article_id if ref else None,
        id_scheme=ref.scheme if ref else None,
        format=kind,
    )


def _reject_non_articles(
    root: HtmlElement, page: PageMeta, index: PageIndex, url: str | None, page_url: str | None
) -> None:
    """NotAnArticleError when the markup or a URL says this is no article (404, utility, listing, media)."""
    reason = markup_reason(root, page, index)
    if reason:
        raise NotAnArticleError(reason)
    owner = publishers.for_url(page_url) if page_url else None
    # The fetched URL counts as much as the canonical link: a /en/ mirror or a /video/ page points its
    # canonical link at the Vietnamese article, but it is not that article. A local copy of the site
    # (127.0.0.1) serves the same paths: its paths are judged by the canonical link's site.
    for candidate in dict.fromkeys(u for u in (url, page_url) if u):
        site = publishers.for_url(candidate) or owner
        reason = url_reason(site.canonical_url(candidate), site) if site else None
        if reason:
            raise NotAnArticleError(reason)


def _candidate_templates(publisher: Publisher | None) -> tuple[Template, ...]:
    """A known publisher's own era templates only; any other page may be claimed by a CMS family
    template (never by another publisher's era)."""
    return templates_of(publisher) if publisher is not None else FAMILIES


def _generic_article(
    root: HtmlElement,
    page: PageMeta,
    page_url: str | None,
    publisher: Publisher | None,
    explanation: Explanation,
    index: PageIndex | None = None,
    kind: str = "article",
) -> Article:
    owner = publishers.for_url(page_url) if page_url else None
    reason = listing_reason(root) or _id_less_reason(page_url, owner)
    if reason:
        raise NotAnArticleError(reason)
    explanation.parser = GENERIC
    explanation.reason = explanation.reason or "no site template recognised the markup"
    fields = extract_generic(root, page, explanation, index)
    text_chars = len(fields.lead or "") + sum(len(p) for p in fields.paragraphs)
    floor = MIN_DECLARED_CHARS if declares_article(page) else MIN_GENERIC_CHARS
    if not fields.title or text_chars < floor:
        raise NotAnArticleError("no article found: no title or too little body text")
    return _article(fields, page_url, publisher, GENERIC, kind)


def _extract(
    html: bytes | str, url: str | None, captured_at: str | datetime | None
) -> tuple[Article, Explanation]:
    root = parse(html)
    index = PageIndex(root)
    with indexed(index):  # CSS queries on this page answered from one pass over it (dom.select)
        return _extract_page(html, root, index, url, captured_at)


def _extract_page(
    html: bytes | str,
    root: HtmlElement,
    index: PageIndex,
    url: str | None,
    captured_at: str | datetime | None,
) -> tuple[Article, Explanation]:
    explanation = Explanation()
    page = read_meta(root)
    page_url = _page_url(page, url)
    if page_url:  # "vnexpress.net" / "vnexpress" in an author field is the site, not a person
        page.site_names |= site_name_variants(site_domain(page_url))
    _reject_non_articles(root, page, index, url, page_url)
    publisher = _publisher_for(page_url, page)
    captured = dates.parse_captured_at(captured_at)
    # The canonical URL first (it names the article), then the fetched one (a copy at 127.0.0.1).
    kind, why = page_format([page_url, url], publisher or publishers.for_url(url or ""), page)
    if kind != "article":
        explanation.notes.append(f"format {kind}: {why}")
    template = choose_template(root, _candidate_templates(publisher), captured, explanation, index)
    if template is not None:
        explanation.parser = template.name
        fields = template.extract(root, page, explanation, index)
        # A photo story may have no paragraphs at all: its captions and lead are the article.
        if fields.title and (fields.paragraphs or fields.images or fields.lead):
            article = _article(fields, page_url, publisher, template.name, kind)
            limits.check_article(article)
            return article, explanation
        explanation.notes.append(f"{template.name} found no title or no body; trying the generic extractor")
        root = parse(html)  # the template's rules changed the tree: start generic from a fresh one
    article = _generic_article(root, page, page_url, publisher, explanation, index, kind)
    limits.check_article(article)
    return article, explanation


def extract_explained(
    html: bytes | str, url: str | None = None, captured_at: str | datetime | None = None
) -> tuple[Article, Explanation]:
    """The article and how it was found. Raises only NotHtmlError or NotAnArticleError."""
    try:
        return _extract(html, url, captured_at)
    except (NotHtmlError, NotAnArticleError):
        raise
    except ExtractionError as error:
        raise NotAnArticleError(error.reason) from None
    except RecursionError as error:
        raise ExtractionFailed("markup nested too deeply to read") from error
    except Exception as error:  # the contract: any input gives an article or one of the two errors
        raise ExtractionFailed(f"could not extract an article ({type(error).__name__}: {error})") from error


def extract(html: bytes | str, url: str | None = None, captured_at: str | datetime | None = None) -> Article:
    """One page in, one article out (see docs/extraction.md)."""
    return extract_explained(html, url, captured_at)[0]
