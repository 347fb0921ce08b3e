"""Each benchmark writes its own section of bench/README.md, between markers, so that one run
refreshes its figures without touching the others'."""

import re
import statistics
from pathlib import Path

README = Path(__file__).with_name("README.md")


def write_section(name: str, markdown: str, readme: Path = README) -> None:
    """Replace (or append) the section `name` of the README with `markdown`."""
    begin, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{begin}\n{markdown.strip()}\n{end}"
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")


def median(values: list[float]) -> float:
    """The median, the figure every benchmark quotes (the machines are noisy)."""
    return statistics.median(values)
