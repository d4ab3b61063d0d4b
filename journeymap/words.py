"""Counted nouns in what journeymap writes: "1 error", "2 errors", in the terminal and on the site."""

from __future__ import annotations


def plural(count: int, word: str, words: str = "") -> str:
    """`count` and the word in the number it needs; `words` where adding an s is wrong."""
    return f"{count} {word if count == 1 else words or word + 's'}"
