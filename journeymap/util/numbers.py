"""Numbers as people and spreadsheets write them: `1,200`, `1 200`, `12%`.

The schema reads them to suggest the plain number a map file needs, and metrics import to take a
spreadsheet's figures: one reading, so a figure the import takes is the one the schema would suggest.
"""

from __future__ import annotations


def read_number(text: str) -> tuple[float, bool] | None:
    """The number in `text` and whether it is written as a percentage (`12%` reads as (12.0, True)), or None
    for text that is no number. Thousands separators (`,`, spaces, a no-break space, `_`) are dropped; `inf`
    and `nan` read as float() reads them, for the caller to refuse."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", "").replace("_", "")
    try:
        return float(cleaned.rstrip("%")), cleaned.endswith("%")
    except ValueError:
        return None
