"""The report's style sheet: readable on screen, and A4 pages when printed.

On screen the page is at most 1,200 px wide and every table fits it (fixed layout,
wrapping cells), so there is no horizontal scrolling at 1,280 px. In print each
section starts on a new A4 page with numbered pages, and figures and table rows are
not split across pages.
"""

from __future__ import annotations

SCREEN = """
body { font-family: "DejaVu Sans", sans-serif; margin: 1.5em auto; max-width: 1200px;
       padding: 0 1em; color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; } h2 { border-bottom: 2px solid #ccc; padding-bottom: 0.2em; }
table { border-collapse: collapse; font-size: 0.85em; width: 100%; table-layout: fixed;
        margin: 0.5em 0 1em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.4em; text-align: right;
         overflow-wrap: anywhere; vertical-align: top; }
th { background: #f0f0f0; } th small { font-weight: normal; color: #555; }
td.name, th.name { text-align: left; }
table.compact td.name, table.details td.name { width: 24%; }
tr.group th { text-align: left; background: #e4ecf4; }
td.best { background: #dff0d8; font-weight: bold; }
.recommended { font-weight: bold; color: #1b5e20; }
.interval { color: #666; font-size: 0.85em; }
figure { margin: 1em 0; } img { max-width: 100%; height: auto; }
figcaption { font-size: 0.85em; color: #444; }
.note { color: #8a6d3b; background: #fcf8e3; padding: 0.4em; }
.assumptions { border: 1px solid #bbb; background: #fafafa; padding: 0.3em 0.6em; }
dl.plans dt { font-weight: bold; margin-top: 0.6em; } dl.plans dd { margin-left: 1.2em; }
code { font-size: 0.85em; overflow-wrap: anywhere; }
"""


def print_css(page_word: str) -> str:
    """A4 pages numbered "<page_word> n / N", one section per page start."""
    return f"""
@page {{ size: A4; margin: 16mm 14mm 18mm;
  @bottom-center {{ content: "{page_word} " counter(page) " / " counter(pages);
                    font-size: 9pt; color: #555; }} }}
@media print {{
  body {{ max-width: none; margin: 0; padding: 0; font-size: 10pt; }}
  section {{ break-before: page; }}
  section:first-of-type {{ break-before: auto; }}
  h2, h3, h4 {{ break-after: avoid; }}
  figure, tr, .assumptions tr {{ break-inside: avoid; }}
  img {{ max-height: 240mm; object-fit: contain; }}
  a {{ color: inherit; text-decoration: none; }}
}}
"""


def css(page_word: str) -> str:
    """Return the complete style sheet; ``page_word`` is "Page" in the report's language."""
    return SCREEN + print_css(page_word.replace('"', ""))
