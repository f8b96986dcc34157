"""HTML → blocks: the page's own content as a person reads it, without the site around it.

1. The content root: `<main>` (or `role="main"`), else the one `<article>`, else the element holding the first
   `<h1>` that is not site chrome, else `<body>`.
2. Site chrome is dropped: `nav`, `header`/`footer` outside an article, `aside` outside the content, forms and
   search, dialogs (cookie banners), elements whose role is navigation/banner/contentinfo/search, and elements
   whose class or id names chrome (cookie, breadcrumb, skip link, menu, share, …). `hidden` and
   `aria-hidden="true"` elements are dropped too.
3. The root is walked into blocks: `h1`–`h6` headings, paragraphs, list items, definition lists as
   "term: definition" items, tables as rows with their header cells (a `caption` is the paragraph before them).

Title: the first `<h1>` of the content, else `<title>` without the site's name after " | ", else `og:title`.
"""
from __future__ import annotations

import re

from ingest.blocks import Element, clean_inline

CHROME_TAGS = {"nav", "form", "script", "style", "noscript", "template", "iframe", "svg", "button", "input", "select",
               "textarea", "label", "dialog", "menu", "object", "embed", "canvas", "video", "audio", "map", "head"}
CHROME_ROLES = {"navigation", "banner", "contentinfo", "search", "dialog", "alertdialog", "menu", "menubar", "toolbar",
                "complementary", "tablist"}
# Class or id words of site chrome. Matched as whole words of the attribute (split at spaces, "-" and "_"),
# so "header" does not match "subheader" and "nav" does not match "canvas".
CHROME_WORDS = {"cookie", "cookies", "consent", "gdpr", "breadcrumb", "breadcrumbs", "crumbs", "skip", "skiplink",
                "skip-link", "nav", "navbar", "navigation", "menu", "megamenu", "sidebar", "sidenav", "side-nav",
                "subnav", "toolbar", "share", "sharing", "social", "print", "banner", "masthead", "topbar",
                "site-header", "site-footer", "site-search", "searchbox", "search-form", "pagination", "pager",
                "related-links", "feedback", "rating", "newsletter", "tracking", "footer", "header"}
# Words that are chrome only outside the content root (an article's own header holds its title).
OUTSIDE_ONLY = {"footer", "header", "banner", "masthead", "sidebar"}
BLOCK_TAGS = {"p", "div", "section", "article", "main", "header", "footer", "aside", "ul", "ol", "li", "dl", "dt", "dd",
              "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "blockquote", "pre", "figure",
              "figcaption", "address", "details", "summary", "fieldset", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
              "center", "body", "html"}
HEADING = re.compile(r"^h([1-6])$")
# Links that are page furniture wherever they stand: skip links, feedback, sharing, printing.
CHROME_HREF = re.compile(r"^#(?:main|content|innehall)|(?:^|[/?&=._-])(?:feedback|tyck-?till|share|sharer|dela-sidan|"
                         r"print|skriv-?ut)(?:$|[/?&=._-])", re.I)
MAX_DEPTH = 200


def _words(value: str) -> set[str]:
    value = (value or "").lower()
    parts = set(re.split(r"[\s_]+", value))
    for p in list(parts):
        parts.update(p.split("-"))
        # "site-header", "side-nav" as a whole, and BEM blocks ("site-header__logo" -> "site-header")
        parts.add(p.split("__")[0])
    return {p for p in parts if p}


def _is_chrome(el, inside_root: bool) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in CHROME_TAGS:
        return True
    if not inside_root and tag in ("header", "footer", "aside"):
        return True
    role = (el.get("role") or "").lower()
    if role in CHROME_ROLES and not (inside_root and role == "complementary"):
        return True
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true":
        return True
    words = _words(el.get("class", "")) | _words(el.get("id", ""))
    hits = words & CHROME_WORDS
    if inside_root:
        hits -= OUTSIDE_ONLY
    if hits and tag not in ("main", "article", "body", "html"):
        return True
    if tag == "a" and CHROME_HREF.search(el.get("href") or ""):
        return True
    return False


def _content_root(doc):
    body = doc.find(".//body")
    if body is None:
        body = doc
    for xpath in (".//main", ".//*[@role='main']"):
        found = [e for e in doc.iterfind(xpath)]
        if found:
            return max(found, key=lambda e: len(e.text_content() or ""))
    articles = [e for e in doc.iterfind(".//article")]
    if len(articles) == 1:
        return articles[0]
    for h1 in doc.iterfind(".//h1"):
        if any(_is_chrome(a, False) for a in h1.iterancestors()):
            continue
        # the nearest ancestor that holds substantially more than the heading: the article around it
        for anc in h1.iterancestors():
            if anc.tag in ("body", "html"):
                break
            if len(anc.text_content() or "") > 10 * max(len(h1.text_content() or ""), 40):
                return anc
        break
    return body


class _Walker:
    def __init__(self, root):
        self.root = root
        self.elements: list[Element] = []
        self.buffer: list[str] = []
        self.first_h1 = ""

    # -- inline text -------------------------------------------------------------------------------
    def flush(self, kind: str = "para"):
        text = clean_inline("".join(self.buffer))
        self.buffer = []
        if text and re.search(r"\w", text):
            self.elements.append(Element(kind, text))

    def inline_text(self, el) -> str:
        """The text of an element, chrome inside it dropped, line breaks as spaces."""
        parts: list[str] = []
        self._inline(el, parts, 0)
        return clean_inline("".join(parts))

    def _inline(self, el, parts: list[str], depth: int):
        if depth > MAX_DEPTH or not isinstance(el.tag, str) or _is_chrome(el, True):
            if el.tail and depth:
                parts.append(el.tail)
            return
        if el.tag == "br" or el.tag in BLOCK_TAGS:
            parts.append(" ")
        if el.text:
            parts.append(el.text)
        for child in el:
            self._inline(child, parts, depth + 1)
        if el.tag in BLOCK_TAGS:
            parts.append(" ")
        if el.tail and depth:
            parts.append(el.tail)

    # -- blocks ------------------------------------------------------------------------------------
    def walk(self, el, depth: int = 0):
        if depth > MAX_DEPTH:
            return
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag:                         # a comment or processing instruction: only its tail is text
            if el.tail:
                self.buffer.append(el.tail)
            return
        if el is not self.root and _is_chrome(el, True):
            if el.tail:
                self.buffer.append(el.tail)
            return
        m = HEADING.match(tag)
        if m:
            self.flush()
            text = self.inline_text(el)
            if text:
                self.elements.append(Element("heading", text, level=int(m.group(1))))
                if m.group(1) == "1" and not self.first_h1:
                    self.first_h1 = text
        elif tag == "li":
            self.flush()
            self._list_item(el, depth)
        elif tag == "dl":
            self.flush()
            self._definitions(el)
        elif tag == "table":
            self.flush()
            self._table(el, depth)
        elif tag == "br":
            self.buffer.append("\n")
        elif tag == "hr":
            self.flush()
        elif tag in BLOCK_TAGS:
            self.flush()
            if el.text:
                self.buffer.append(el.text)
            for child in el:
                self.walk(child, depth + 1)
            self.flush()
        else:                               # inline: its text and its children's, in order
            if el.text:
                self.buffer.append(el.text)
            for child in el:
                self.walk(child, depth + 1)
        if el is not self.root and el.tail:
            self.buffer.append(el.tail)

    def _list_item(self, li, depth: int):
        nested = [c for c in li if isinstance(c.tag, str) and c.tag in ("ul", "ol", "dl", "table")]
        parts: list[str] = []
        if li.text:
            parts.append(li.text)
        for child in li:
            if child in nested:
                if child.tail:
                    parts.append(child.tail)
                continue
            self._inline(child, parts, 1)
        text = clean_inline("".join(parts))
        if text:
            self.elements.append(Element("item", text))
        for child in nested:
            self.walk(child, depth + 1)

    def _definitions(self, dl):
        term = ""
        for child in dl.iter("dt", "dd"):
            if _is_chrome(child, True):
                continue
            text = self.inline_text(child)
            if child.tag == "dt":
                if term:
                    self.elements.append(Element("item", term))
                term = text
            elif text:
                label = term.rstrip(":")
                self.elements.append(Element("item", f"{label}: {text}" if label else text))
                term = ""
        if term:
            self.elements.append(Element("item", term))

    def _table(self, table, depth: int):
        rows = []
        for tr in table.iter("tr"):
            # only this table's rows, not a nested table's
            if next((a for a in tr.iterancestors("table")), None) is not table:
                continue
            cells = []
            for cell in tr:
                if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                    continue
                try:
                    span = max(1, min(int(cell.get("colspan", "1")), 50))
                except ValueError:
                    span = 1
                text = self.inline_text(cell)
                cells.append((cell.tag, text))
                cells.extend(("td", "") for _ in range(span - 1))
            parent = tr.getparent()
            in_head = parent is not None and parent.tag == "thead"
            if any(t for _, t in cells):
                rows.append((in_head, cells))
        caption = table.find("caption")
        if caption is not None:
            text = self.inline_text(caption)
            if text:
                self.elements.append(Element("para", text))
        if not rows:
            return
        width = max(len(c) for _, c in rows)
        if width == 1 or len(rows) == 1 and width <= 2:     # a layout table: read its cells as text
            for _, cells in rows:
                for _, text in cells:
                    if text:
                        self.elements.append(Element("para", text))
            return
        header: list[str] = []
        body = []
        for in_head, cells in rows:
            if not body and (in_head or all(tag == "th" for tag, t in cells if t)):
                texts = [t for _, t in cells]
                header = texts if not header else [f"{a} {b}".strip() for a, b in zip(header, texts)]
                continue
            body.append([t for _, t in cells])
        for cells in body:
            self.elements.append(Element("row", cells=cells, header=header))


def read_html(markup: str) -> tuple[list[Element], str]:
    """(elements, title) of an HTML page's own content."""
    import lxml.html

    if not markup.strip():
        return [], ""
    try:
        doc = lxml.html.document_fromstring(markup)
    except Exception:                       # lxml raises on documents it cannot make anything of
        return [], ""
    head_title = ""
    t = doc.find(".//title")
    if t is not None:
        head_title = clean_inline(t.text_content() or "")
    og = doc.find(".//meta[@property='og:title']")
    root = _content_root(doc)
    walker = _Walker(root)
    walker.walk(root)
    walker.flush()
    title = walker.first_h1
    if not title and head_title:
        title = head_title.split(" | ")[0].strip()
    if not title and og is not None:
        title = clean_inline(og.get("content", ""))
    return walker.elements, title
