"""Text from a map, made safe to show on a terminal or in a log: what a hostile branch writes is shown, never obeyed.

A name, an id or a file name in a pull request can hold characters a terminal acts on instead of
showing: an escape sequence (`\\x1b[2K\\x1b[1A` erases the line above, so a finding vanishes from the
reviewer's screen), a carriage return (the rest of the line overwrites its start), a newline (a forged
line that looks like journeymap's own), or a bidirectional override (`\\u202e` shows the text after it
reversed, so what a reviewer reads is not what is written: "Trojan Source"). `printable` writes each of
them as the escape Python would, so the reviewer sees that it is there and what it is.

Call it on each piece of map text at the point it is written to a terminal or a log (check's text and
GitHub formats, diff's text, serve's log lines), not on a whole output: the output's own newlines and
colours are journeymap's, and stay. For JSON, `json_printable` does the same inside a JSON document
without changing the data a JSON reader gets.
"""

from __future__ import annotations

import re

#: Unicode's bidirectional formatting characters: the embeddings and overrides (U+202A–U+202E), the
#: isolates (U+2066–U+2069) and the marks (U+200E LRM, U+200F RLM, U+061C ALM)
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
#: DEL, the C1 controls (U+0080–U+009F: U+009B is a one-byte CSI) and the bidirectional characters: what
#: json.dumps(ensure_ascii=False) leaves raw (it escapes C0 itself)
_UNSAFE_IN_JSON = re.compile(f"[\x7f-\x9f{_BIDI}]")
#: and the C0 controls but tab: newline too, or, for text of several lines, newline kept
_UNSAFE = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f{_BIDI}]")
_UNSAFE_BUT_NEWLINE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")


def printable(text: str, *, lines: bool = False) -> str:
    """`text` with every character a terminal would act on written as its escape: `\\x1b`, `\\r`, `\\u202e`.

    A tab is kept (it only moves the cursor on). A newline is escaped too (`\\n`): a finding, a log line
    or a path is one line, and a newline in it would forge the next; pass `lines=True` for text that is
    rightly several lines (a diff's body), whose newlines then stay. A backslash stays as written: the
    text is for reading, and `C:\\maps` should read as it is.
    """
    return (_UNSAFE_BUT_NEWLINE if lines else _UNSAFE).sub(_escape, text)


def json_printable(document: str) -> str:
    """A JSON document (as json.dumps writes it) with DEL, C1 and bidirectional characters as `\\u` escapes.

    The data is unchanged: a JSON reader decodes `\\u202e` to the character itself, exactly as written in
    the map. Only a person who reads the JSON on a terminal (`check --format json | less`) is spared them.
    These characters can only stand inside a JSON string, where a `\\u` escape means the same.
    """
    return _UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", document)


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    named = {"\n": "\\n", "\r": "\\r"}.get(character)
    if named:
        return named
    code = ord(character)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
