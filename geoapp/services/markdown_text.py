"""Text into Markdown as data: user text is escaped, our own markup is marked as such.

A Jinja2 environment whose every `{{ value }}` passes through `as_markdown`: a plain `str`
comes out escaped, so a title such as `<img src=x onerror=…>` or `[x](javascript:…)` is shown
as those characters by any Markdown viewer; `Code` becomes a code span; only `Markdown`, which
our code builds from constants, is written as it is.
"""

import re
from pathlib import Path
from typing import Any

import jinja2

SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#$!])")
"""Characters that can start Markdown or HTML (CommonMark, GFM tables and math)."""
LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")


class Markdown(str):
    """Markup our code wrote from constants: written as it is."""


class Code(str):
    """Shown as a code span: literal in every Markdown viewer, whatever it holds."""


def escape(text: str) -> str:
    """`text` as Markdown that shows exactly these characters, on one line."""
    return SPECIAL.sub(r"\\\1", LINE_BREAK.sub(" ", text))


def code_span(text: str) -> str:
    """`text` in a code span whose fence is longer than any backtick run inside it."""
    text = LINE_BREAK.sub(" ", text)
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def as_markdown(value: Any) -> str:
    """How one template value is written (Jinja2's `finalize`)."""
    if isinstance(value, Markdown):
        return value
    if isinstance(value, Code):
        return code_span(value)
    return escape(str(value))


def environment(folder: Path) -> jinja2.Environment:
    """Templates from `folder` (our files, never user text) that take values only as data."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        finalize=as_markdown,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
