"""Counted nouns in what journeymap writes: "1 error", "2 errors", "1.5 days", in the terminal and on the site."""

from __future__ import annotations


def plural(count: float, word: str, words: str = "") -> str:
    """`count` and the word in the number it needs; `words` where adding an s is wrong."""
    shown = f"{count:g}" if isinstance(count, float) else str(count)
    return f"{shown} {word if count == 1 else words or word + 's'}"
