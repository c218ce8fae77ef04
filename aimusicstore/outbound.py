"""Outbound HTTP to addresses a member gave us (preview URLs, webhook endpoints), safe from SSRF.

The one place that decides whether we may connect somewhere:
- every address the host resolves to must be public: no loopback, private, link-local, multicast or
  reserved range (`allowed_networks` widens this, and only tests pass any);
- we connect to the address we checked (the socket is pinned to it), so DNS cannot answer
  differently between the check and the connection (DNS rebinding);
- TLS still verifies the certificate against the host name.
Callers add their own rules on top (schemes, host allow-lists, redirects, size caps).
"""

import http.client
import ipaddress
import socket
import ssl


class Unsafe(Exception):
    """The target may not be reached; str() is the reason, fit to show the person who gave the URL."""


def _networks(allowed_networks):
    return [ipaddress.ip_network(n) for n in allowed_networks or ()]


def is_public(address, allowed_networks=()):
    """True for a globally routable address (or one inside `allowed_networks`)."""
    address = ipaddress.ip_address(str(address).split("%")[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast or any(address in n for n in _networks(allowed_networks))


def public_address(host, port, allowed_networks=()):
    """The first address of `host`, after checking that every address it resolves to is public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Unsafe(f"the host {host} could not be found") from error
    addresses = []
    for info in infos:
        address = info[4][0]
        if not is_public(address, allowed_networks):
            raise Unsafe(f"the host {host} points to a private or loopback address, which we never connect to")
        addresses.append(address)
    if not addresses:
        raise Unsafe(f"the host {host} could not be found")
    return addresses[0]


def pinned_connection(scheme, host, port, address, timeout):
    """An http.client connection to `host` that connects to the checked `address` only."""
    if scheme == "https":
        context = ssl.create_default_context()

        class Pinned(http.client.HTTPSConnection):
            def connect(self):
                raw = socket.create_connection((address, port), timeout)
                self.sock = context.wrap_socket(raw, server_hostname=host)

        return Pinned(host, port, timeout=timeout, context=context)

    class PinnedPlain(http.client.HTTPConnection):
        def connect(self):
            self.sock = socket.create_connection((address, port), timeout)

    return PinnedPlain(host, port, timeout=timeout)
