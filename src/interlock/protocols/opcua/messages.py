"""Typed service messages: what a decoded OPC UA service request or response says
(OPC 10000-4, section 5 services; OPC 10000-6, 5.2 encodings).

Only what inventory, detection and the dissect view use is kept: node ids as their
string form, attribute ids, written values, method calls, endpoints and application
descriptions (identity evidence), the kind of user identity. A password is never kept:
only the fact that one travelled, and whether in clear.
"""

from __future__ import annotations

from typing import NamedTuple

from interlock.protocols.opcua.binary import NodeId
from interlock.protocols.opcua.variant import Variant

Info = tuple[tuple[str, object], ...]
"""Scalar facts of a message in wire order (``("session_name", "s1")``), JSON-friendly."""


class ReadItem(NamedTuple):
    """A node and attribute to read (ReadValueId), or to monitor."""

    node: str
    attribute: int


class WriteItem(NamedTuple):
    node: str
    attribute: int
    value: Variant
    index_range: str | None


class CallItem(NamedTuple):
    object_id: str
    method_id: str
    argument_count: int
    arguments: tuple[Variant, ...]
    """The input arguments (the first MAX_KEPT of them)."""


class BrowseItem(NamedTuple):
    node: str
    direction: int
    """0 forward, 1 inverse, 2 both."""


class ValueItem(NamedTuple):
    """A result value (Read results, Call output arguments) with its status code."""

    value: Variant
    status: int


class Application(NamedTuple):
    """An ApplicationDescription: who a client or server says it is."""

    uri: str | None
    product_uri: str | None
    name: str
    type: int
    """0 server, 1 client, 2 client and server, 3 discovery server."""
    discovery_urls: tuple[str, ...]


class Endpoint(NamedTuple):
    """An EndpointDescription (GetEndpoints, CreateSession): how a server can be reached."""

    url: str | None
    security_mode: int
    """1 None, 2 Sign, 3 SignAndEncrypt (0 invalid)."""
    policy_uri: str | None
    server: Application
    token_types: tuple[int, ...]
    """User token types offered: 0 anonymous, 1 user name, 2 certificate, 3 issued."""
    security_level: int
    certificate_sha1: str
    """SHA-1 of the server certificate (hex), "" when none."""


class IdentityToken(NamedTuple):
    """The user identity of ActivateSession; never the password itself."""

    kind: str
    """anonymous, username, x509, issued, or unknown."""
    policy_id: str | None
    user_name: str | None
    password_present: bool
    password_cleartext: bool
    """A password sent without an encryption algorithm (readable on the wire when the
    channel's security mode is None)."""
    certificate_sha1: str


class ServiceMessage(NamedTuple):
    """One service request or response, decoded from its (reassembled) body."""

    type_id: NodeId
    name: str
    """``ReadRequest``, ``ServiceFault``... or ``Unknown`` for an id not in the standard."""
    request_handle: int
    timestamp: int
    """100 ns ticks since 1601-01-01 (UTC), as on the wire."""
    auth_token: str
    """The session's authentication token (requests; "" in responses)."""
    service_result: int
    """The response header's status code; -1 for requests."""
    items: tuple[object, ...] = ()
    info: Info = ()
    anomalies: tuple[str, ...] = ()

    @property
    def is_response(self) -> bool:
        return self.name.endswith("Response") or self.name == "ServiceFault"

    @property
    def service(self) -> str:
        """The service's name: ``Read`` for ReadRequest and ReadResponse."""
        return self.name.removesuffix("Request").removesuffix("Response")

    def get(self, key: str, default: object = None) -> object:
        for name, value in self.info:
            if name == key:
                return value
        return default
