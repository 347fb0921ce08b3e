"""The client network: which address counts, how it is grouped, and that only a hash is kept."""

import ipaddress
from datetime import date

from geoapp.security.networks import client_address, network_hash, network_of, parse_networks
from geoapp.security.server_keys import ServerKeys

PROXIES = parse_networks("127.0.0.1, 10.0.0.0/8, ::1")


def test_the_peer_is_the_client_unless_it_is_a_trusted_proxy() -> None:
    assert client_address("203.0.113.7", "198.51.100.1", PROXIES) == "203.0.113.7"
    assert client_address("203.0.113.7", None, PROXIES) == "203.0.113.7"
    assert client_address("127.0.0.1", "198.51.100.1", PROXIES) == "198.51.100.1"


def test_forwarded_for_is_read_from_the_right_past_trusted_hops() -> None:
    # The client wrote a fake first entry; the proxies appended what they heard.
    forwarded = "6.6.6.6, 198.51.100.1, 10.1.2.3"
    assert client_address("127.0.0.1", forwarded, PROXIES) == "198.51.100.1"
    assert client_address("::1", "10.0.0.1, 10.0.0.2", PROXIES) == "10.0.0.1"


def test_ipv6_counts_per_64_and_mapped_ipv4_as_ipv4() -> None:
    assert network_of("2001:db8:1:2:aaaa::1") == network_of("2001:db8:1:2:ffff::9")
    assert network_of("2001:db8:1:3::1") != network_of("2001:db8:1:2::1")
    assert network_of("::ffff:203.0.113.7") == network_of("203.0.113.7") == "203.0.113.7/32"
    assert network_of("testclient") == "testclient"


def test_the_network_hash_changes_every_day_and_hides_the_address() -> None:
    keys = ServerKeys(b"geheim")
    monday = network_hash("203.0.113.7", keys.network(date(2026, 3, 2)))
    tuesday = network_hash("203.0.113.7", keys.network(date(2026, 3, 3)))
    assert monday != tuesday
    assert monday == network_hash("203.0.113.7", keys.network(date(2026, 3, 2)))
    assert "203.0.113.7" not in monday and len(monday) == 64
    other_server = network_hash("203.0.113.7", ServerKeys(b"anders").network(date(2026, 3, 2)))
    assert other_server != monday


def test_trusted_proxies_parse_addresses_and_blocks() -> None:
    assert parse_networks("") == ()
    assert ipaddress.ip_address("10.9.8.7") in parse_networks("10.0.0.0/8")[0]
