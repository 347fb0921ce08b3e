"""The client's network as a keyed hash that changes every day; the address is never kept.

A network is an IPv4 address or an IPv6 /64 (what one household or office usually gets).
Behind a reverse proxy the address comes from X-Forwarded-For, but only when the direct peer
is a proxy listed in GEOAPP_TRUSTED_PROXIES; anyone else could write that header.
"""

import hashlib
import hmac
import ipaddress
from datetime import date

IPV6_PREFIX = 64


def client_network(request_client_host: str, forwarded_for: str | None, trusted: list[str]) -> str:
    """The network of the client as a string such as "203.0.113.7/32" or "2001:db8::/64"."""
    proxies = [ipaddress.ip_network(p, strict=False) for p in trusted]
    host = request_client_host
    if forwarded_for and _listed(host, proxies):
        # The rightmost hop that is not one of our proxies is the client as our proxy saw it.
        for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
            host = hop
            if not _listed(hop, proxies):
                break
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host  # not an IP (a test client, a Unix socket): the name is its own network
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is None:
            return str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False))
        address = address.ipv4_mapped
    return f"{address}/32"


def network_hash(network: str, secret: bytes, day: date) -> str:
    """The network under a keyed hash that rotates daily (HMAC-SHA256 over day and network)."""
    message = f"{day.isoformat()}|{network}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def _listed(host: str, proxies: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in proxy for proxy in proxies)
