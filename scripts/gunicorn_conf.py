"""gunicorn settings for ``scripts/serve.py``: no ``Server`` banner.

gunicorn writes ``Server: gunicorn`` on every response and has no setting to leave it out;
naming the server software and its version only helps an attacker pick an exploit. This
configuration file (loaded by the master before it forks its workers) drops that line.
"""

from __future__ import annotations

from gunicorn.http import wsgi

_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(self: wsgi.Response) -> list[str]:
    return [line for line in _default_headers(self) if not line.startswith("Server:")]


wsgi.Response.default_headers = _default_headers_without_server  # type: ignore[method-assign]
