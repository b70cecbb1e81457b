"""Every relative link in the README and docs/ leads somewhere: the file is in the repository, and an #anchor names
a heading of the page it points to.  The README stays a front door."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "packaging" / "README.md"]
MAX_README_LINES = 220  # the front door: a newcomer reads it in a few minutes; the depth is in docs/

FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$", re.MULTILINE | re.DOTALL)
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
CODE_SPAN = re.compile(r"(`+).+?\1", re.DOTALL)
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")  # [text](target "title")
DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)  # [name]: target
HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
HTML_ANCHOR = re.compile(r"<a\s[^>]*\b(?:id|name)=\"([^\"]+)\"", re.IGNORECASE)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")  # https:, mailto:, ... : not checked here


def prose(text: str) -> str:
    """``text`` without what Markdown does not read as links: fenced code, HTML comments, code spans."""
    text = FENCE.sub("", text)
    text = COMMENT.sub("", text)
    return CODE_SPAN.sub("", text)


def links(text: str) -> list[str]:
    """The link targets of a Markdown page, in order: inline links, images and reference definitions."""
    body = prose(text)
    return LINK.findall(body) + DEFINITION.findall(body)


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: its text, lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading: its text
    text = re.sub(r"<[^>]+>", "", text).replace("`", "").replace("*", "")
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


def anchors(text: str) -> set[str]:
    """Every anchor a page offers: its headings' slugs (repeats numbered -1, -2, ...) and HTML ids."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for heading in HEADING.findall(FENCE.sub("", COMMENT.sub("", text))):
        base = slug(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        found.add(base if n == 0 else f"{base}-{n}")
    return found | set(HTML_ANCHOR.findall(text))


def problems(page: Path, text: str) -> list[str]:
    """What is wrong with the relative links of ``page``, whose content is ``text``: one line each."""
    out = []
    for target in links(text):
        if not target or SCHEME.match(target) or target.startswith("//"):
            continue
        path_part, _, anchor = target.partition("#")
        where = (page.parent / unquote(path_part)).resolve() if path_part else page
        if not where.is_relative_to(ROOT):
            out.append(f"{target}: outside the repository")
            continue
        if path_part and not where.exists():
            out.append(f"{target}: no such file")
            continue
        if anchor and where.suffix == ".md":
            content = where.read_text(encoding="utf-8") if path_part else text
            if unquote(anchor).lower() not in anchors(content):
                out.append(f"{target}: no heading #{anchor} in {where.relative_to(ROOT)}")
    return out


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file_and_heading(page):
    assert problems(page, page.read_text(encoding="utf-8")) == []


def test_the_readme_stays_a_front_door():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_README_LINES, f"README.md has {lines} lines; move the depth to docs/"


def test_a_broken_link_or_anchor_is_caught():
    page = ROOT / "docs" / "example.md"
    text = (
        "# Title\n\nSee [the figures](figures.md#the-model), [this page](#title) and the [code](../digitgame/).\n"
        "Broken: [gone](nowhere.md), [no heading](figures.md#no-such-heading), [here](#nothing), "
        "[away](../../elsewhere.md).\n\n```sh\n[not a link](in-a-code-block.md)\n```\n`[nor](this.md)`\n"
    )
    assert problems(page, text) == [
        "nowhere.md: no such file",
        "figures.md#no-such-heading: no heading #no-such-heading in docs/figures.md",
        "#nothing: no heading #nothing in docs/example.md",
        "../../elsewhere.md: outside the repository",
    ]


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ('"Not sure": the confidence rule', "not-sure-the-confidence-rule"),
        ("Reading a drawing, and teaching's costs", "reading-a-drawing-and-teachings-costs"),
        ("The `predict` command — one line per file", "the-predict-command--one-line-per-file"),
    ],
)
def test_headings_get_githubs_anchors(heading, anchor):
    assert slug(heading) == anchor
