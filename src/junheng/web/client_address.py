"""The client's address: the peer's, or — only when the peer is one of our trusted
reverse proxies (``JUNHENG_TRUSTED_PROXIES``, addresses or CIDRs) — the address the
proxy put in ``Forwarded`` (RFC 7239) or ``X-Forwarded-For``.

The header is read from the right: each trusted proxy appends the address it got the
request from, so the first address from the right that is not a trusted proxy is the
client. Anything left of it was written by the client itself and is not believed.
A request not from a trusted proxy keeps its peer address whatever headers it sends.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

from junheng.core.errors import InvalidRequestError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_FOR = re.compile(r'for\s*=\s*("?)([^;,"]*)\1', re.IGNORECASE)


def parse_trusted(text: str | None) -> tuple[Network, ...]:
    """``"127.0.0.1, 10.0.0.0/8"`` → networks; a bad entry stops the start with its text."""
    out = []
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            out.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise InvalidRequestError(
                f"JUNHENG_TRUSTED_PROXIES 中的「{part}」不是 IP 地址或网段（例如 127.0.0.1 或 10.0.0.0/8）") from None
    return tuple(out)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip().strip('"')
    if text.startswith("["):  # Forwarded: for="[2001:db8::1]:4711"
        text = text[1:].split("]")[0]
    elif text.count(":") == 1:  # 192.0.2.1:4711
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address: object, trusted: Iterable[Network]) -> bool:
    return address is not None and any(address in net for net in trusted)  # type: ignore[operator]


def forwarded_chain(headers: Iterable[tuple[bytes, bytes]]) -> list[str]:
    """The addresses the proxies reported, left (client) to right (last proxy).
    ``Forwarded`` wins over ``X-Forwarded-For`` when both are present."""
    forwarded, xff = [], []
    for name, value in headers:
        name = name.lower()
        if name == b"forwarded":
            forwarded += [m.group(2) for m in _FOR.finditer(value.decode("latin-1"))]
        elif name == b"x-forwarded-for":
            xff += [p.strip() for p in value.decode("latin-1").split(",") if p.strip()]
    return forwarded or xff


def client_address(peer: str | None, headers: Iterable[tuple[bytes, bytes]],
                   trusted: tuple[Network, ...]) -> str:
    if not peer:
        return "unknown"
    if not trusted or not _trusted(_address(peer), trusted):
        return peer
    chain = forwarded_chain(headers)
    for hop in reversed(chain):
        address = _address(hop)
        if address is None:
            return peer  # garbage from a client (unknown, obfuscated ids): keep what we know
        if not _trusted(address, trusted):
            return str(address)
    return str(_address(chain[0])) if chain else peer
