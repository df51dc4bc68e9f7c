"""Server-side request forgery guard: which webhook URLs may be called.

Link-local addresses (169.254.0.0/16 — where cloud metadata services live — and fe80::/10)
are refused always. Loopback, private and other non-global addresses are refused unless
``WEBHOOKS_ALLOW_PRIVATE`` is true. The check runs when an endpoint is saved and again
before every request (the name may resolve elsewhere by then).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yaojian.webhooks import conf

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _resolve(host: str, port: int) -> list[Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise ValidationError(
            _("The address %(host)s cannot be resolved."),
            code="unresolvable",
            params={"host": host},
        ) from error
    addresses: list[Address] = []
    for info in infos:
        raw = str(info[4][0]).split("%", 1)[0]
        addresses.append(ipaddress.ip_address(raw))
    return addresses


def _unmapped(address: Address) -> Address:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def check_url(url: str) -> None:
    """Raise ``ValidationError`` when ``url`` is not an allowed webhook target."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValidationError(
            _("Enter an http or https address with a host name."), code="invalid_scheme"
        )
    if parts.username or parts.password:
        raise ValidationError(
            _("Put credentials in the signing secret, not in the address."), code="credentials"
        )
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise ValidationError(_("The port is not valid."), code="invalid_port") from error
    for address in map(_unmapped, _resolve(parts.hostname, port)):
        if address.is_link_local or address.is_multicast or address.is_unspecified:
            raise ValidationError(
                _("Link-local and metadata addresses (such as 169.254.169.254) are never allowed."),
                code="link_local",
            )
        if not address.is_global and not conf.allow_private():
            raise ValidationError(
                _("Loopback and private network addresses are not allowed on this server."),
                code="private",
            )
