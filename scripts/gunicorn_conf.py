"""gunicorn settings for ``scripts/serve.py``: no ``Server`` banner; the garbage collector's
full passes kept off the request path (below).

gunicorn writes ``Server: gunicorn`` on every response and has no setting to leave it out;
naming the server software and its version only helps an attacker pick an exploit. This
configuration file (loaded by the master before it forks its workers) drops that line.
"""

from __future__ import annotations

import gc
import itertools

from gunicorn.http import wsgi

_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(self: wsgi.Response) -> list[str]:
    return [line for line in _default_headers(self) if not line.startswith("Server:")]


wsgi.Response.default_headers = _default_headers_without_server  # type: ignore[method-assign]


# --- the garbage collector's full passes off the request path ----------------------------------
# A loaded worker holds ≈ 165,000 objects tracked by the cyclic garbage collector (Django, DRF,
# the URLconf, templates, translations). Every few dozen requests the collector's oldest
# generation is examined in full: ≈ 50–100 ms of CPU in the middle of whichever request
# allocated last, which is most of a search's 100 ms budget and showed as the p95 of search
# and intake runs (docs/benchmarks.md). Objects that live as long as the worker are moved to
# the permanent generation (``gc.freeze``) once they exist: after the application is loaded and
# its views imported, and again after the first requests have filled the lazy caches (compiled
# templates, serializers' fields, translation catalogs). Reference counting still frees them;
# only a cycle among frozen objects would never be collected, and ``gc.collect`` runs first so
# no garbage is frozen.
REFREEZE_AFTER = frozenset({50, 500})
_served = itertools.count(1)


def _freeze() -> None:
    gc.collect()
    gc.freeze()


def post_worker_init(worker: object) -> None:
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 - imports every view, serializer and form now
    _freeze()


def post_request(worker: object, req: object, environ: object, resp: object) -> None:
    if next(_served) in REFREEZE_AFTER:  # next() on a count is atomic under the GIL
        _freeze()
