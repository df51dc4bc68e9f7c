"""The user guide (docs/user-guide/README.md) rendered as a page at /help/.

A small Markdown reader for the subset the guide is written in: headings (with GitHub-style
anchors, so ``/help/#案件办理`` opens that section), paragraphs, ordered and unordered lists
(one level of nesting), fenced code, inline code, bold and links. Text is escaped first; only
the markup generated here is HTML.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.html import escape

GUIDE = Path(settings.BASE_DIR) / "docs" / "user-guide" / "README.md"

_LIST_ITEM = re.compile(r"^(?P<indent> *)(?P<marker>[-*]|\d+\.) +(?P<text>.*)$")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def slug(text: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    kept = "".join(ch for ch in text.strip().lower() if ch.isalnum() or ch in " -_")
    return kept.replace(" ", "-")


def _href(url: str) -> str:
    if url.startswith(("#", "http://", "https://")):
        return url
    return "#"  # links to other repository files are not served here


def inline(text: str) -> str:
    """Escape ``text``, then render `code`, **bold** and [links](#anchor)."""
    parts = re.split(r"(`[^`]*`)", text)
    out = []
    for part in parts:
        if part.startswith("`") and part.endswith("`") and len(part) >= 2:
            out.append(f"<code>{escape(part[1:-1])}</code>")
            continue
        html = str(escape(part))
        html = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html)
        html = _LINK.sub(lambda m: f'<a href="{escape(_href(m.group(2)))}">{m.group(1)}</a>', html)
        out.append(html)
    return "".join(out)


def render(markdown: str) -> tuple[str, list[tuple[str, str]]]:
    """The HTML of ``markdown`` and its second-level headings (anchor, title)."""
    html: list[str] = []
    toc: list[tuple[str, str]] = []
    paragraph: list[str] = []
    lists: list[tuple[str, int]] = []  # open list tags with their indent
    in_code = False

    def close_paragraph() -> None:
        if paragraph:
            html.append(f"<p>{inline(' '.join(paragraph))}</p>")
            paragraph.clear()

    def close_lists(indent: int = -1) -> None:
        while lists and lists[-1][1] > indent:
            tag, _ = lists.pop()
            html.append(f"</li></{tag}>")

    for line in markdown.splitlines():
        if line.startswith("```"):
            close_paragraph()
            if in_code:
                html.append("</code></pre>")
            else:
                close_lists()
                html.append("<pre><code>")
            in_code = not in_code
            continue
        if in_code:
            html.append(escape(line) + "\n")
            continue
        if not line.strip():
            close_paragraph()
            continue
        heading = re.match(r"^(#{1,4}) +(.*)$", line)
        if heading:
            close_paragraph()
            close_lists()
            level, title = len(heading.group(1)), heading.group(2).strip()
            anchor = slug(title)
            if level == 2:
                toc.append((anchor, title))
            html.append(f'<h{level} id="{escape(anchor)}">{inline(title)}</h{level}>')
            continue
        item = _LIST_ITEM.match(line)
        if item:
            close_paragraph()
            indent = len(item.group("indent"))
            tag = "ol" if item.group("marker")[0].isdigit() else "ul"
            if lists and lists[-1][1] == indent:
                html.append("</li>")
            elif lists and lists[-1][1] > indent:
                close_lists(indent)
                if lists:
                    html.append("</li>")
            if not lists or lists[-1][1] < indent:
                html.append(f"<{tag}>")
                lists.append((tag, indent))
            html.append(f"<li>{inline(item.group('text'))}")
            continue
        if lists and line.startswith(" "):
            html.append(" " + inline(line.strip()))
            continue
        close_lists()
        paragraph.append(line.strip())
    close_paragraph()
    close_lists()
    if in_code:
        html.append("</code></pre>")
    return "".join(html), toc


@cache
def user_guide() -> tuple[str, list[tuple[str, str]]]:
    """The rendered guide (read once per process)."""
    return render(GUIDE.read_text(encoding="utf-8"))
