"""The client's network, the unit of per-address limits, kept only as a keyed daily hash.

An IPv4 address is its own network; IPv6 counts per /64, the block one household or one
mobile phone gets. Behind a reverse proxy the address comes from X-Forwarded-For, and only
when the direct peer is one of the trusted proxies (otherwise anyone could write the header).
"""

import hashlib
import hmac
import ipaddress
from collections.abc import Sequence

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPV6_PREFIX = 64


def parse_networks(text: str) -> tuple[IPNetwork, ...]:
    """Comma-separated addresses or CIDR blocks, e.g. "127.0.0.1, 10.0.0.0/8, ::1"."""
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip()
    )


def client_address(
    peer: str | None, forwarded_for: str | None, trusted: Sequence[IPNetwork]
) -> str:
    """The address of the client: the peer, or the nearest untrusted hop it forwarded for.

    X-Forwarded-For lists hops left to right, each proxy appending the one it heard from; the
    rightmost entry that is not a trusted proxy is the first the attacker cannot forge.
    """
    address = peer or ""
    if not forwarded_for or not _within(address, trusted):
        return address
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        address = hop
        if not _within(hop, trusted):
            break
    return address


def network_of(address: str) -> str:
    """The network an address counts in: "a.b.c.d/32" or the IPv6 /64 (non-addresses as is)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 32 if ip.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def network_hash(address: str, day_key: bytes) -> str:
    """The address's network as stored and counted: HMAC-SHA256 under the day's key, hex."""
    return hmac.new(day_key, network_of(address).encode("utf-8"), hashlib.sha256).hexdigest()


def _within(address: str, networks: Sequence[IPNetwork]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)
