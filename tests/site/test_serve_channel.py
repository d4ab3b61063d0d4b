"""The reload channel's test of whether its page is still open (journeymap/site/serve_http.py), on real sockets.

Under load, a server stopping with a page open could find the channel's socket already closed; select()
then raised on its descriptor (-1) and a traceback reached the terminal. A closed socket is a page gone.
"""

from __future__ import annotations

import socket
from types import SimpleNamespace

from journeymap.site.serve_http import Handler


def _page_open(connection: socket.socket) -> bool:
    return Handler._page_open(SimpleNamespace(connection=connection))  # type: ignore[arg-type]


def test_a_page_that_sends_nothing_is_open() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        assert _page_open(ours)


def test_a_page_that_hung_up_is_gone() -> None:
    ours, theirs = socket.socketpair()
    theirs.close()
    with ours:
        assert not _page_open(ours)


def test_a_socket_closed_under_the_channel_is_a_page_gone_not_a_traceback() -> None:
    ours, theirs = socket.socketpair()
    ours.close()  # fileno() is now -1: select() raises ValueError on it
    with theirs:
        assert ours.fileno() == -1
        assert not _page_open(ours)
