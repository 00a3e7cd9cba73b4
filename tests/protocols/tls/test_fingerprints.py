"""JA3/JA3S and JA4/JA4S, checked against the FoxIO specification's worked example and the
JA3 definition (Salesforce)."""

from __future__ import annotations

import hashlib

from interlock.protocols.tls.fingerprints import ja3, ja3_string, ja3s_string, ja4, ja4s
from interlock.protocols.tls.hello import parse_client_hello, parse_server_hello
from protocols.tls.builders import alpn, groups, point_formats, server_hello, sigalgs, sni, versions
from protocols.tls.builders import client_hello as hello_message

# The example of FoxIO's JA4 technical details: 15 ciphers, 16 extensions, ALPN h2.
SPEC_CIPHERS = (
    0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013, 0xC014,
    0x009C, 0x009D, 0x002F, 0x0035,
)  # fmt: skip
SPEC_EXTENSIONS = (
    0x001B, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002D, 0x000D, 0x0005, 0x0023, 0x0012,
    0x002B, 0xFF01, 0x000B, 0x000A, 0x0015,
)  # fmt: skip
SPEC_SIGALGS = (0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601)


def _spec_hello(grease: bool) -> bytes:
    data = {
        0x0000: sni("example.com")[1],
        0x0010: alpn(b"h2")[1],
        0x000D: sigalgs(*SPEC_SIGALGS)[1],
        0x002B: versions(0x0304, 0x0303)[1],
    }
    extensions = tuple((t, data.get(t, b"")) for t in SPEC_EXTENSIONS)
    suites = SPEC_CIPHERS
    if grease:
        extensions = ((0x2A2A, b""), *extensions, (0xDADA, b"\x00"))
        suites = (0x8A8A, *suites)
    return hello_message(suites, extensions)


def test_ja4_of_the_specification_example() -> None:
    h = parse_client_hello(_spec_hello(False)[4:])
    assert ja4(h) == "t13d1516h2_8daaf6152771_e5627efa2ab1"


def test_grease_changes_no_fingerprint() -> None:
    plain = parse_client_hello(_spec_hello(False)[4:])
    greased = parse_client_hello(_spec_hello(True)[4:])
    assert ja4(greased) == ja4(plain)
    assert ja3(greased) == ja3(plain)


def test_ja4_without_sni_alpn_or_signature_algorithms() -> None:
    h = parse_client_hello(hello_message((0xC02F,), ((0x0017, b""),), version=0x0303)[4:])
    expected_c = hashlib.sha256(b"0017").hexdigest()[:12]
    expected_b = hashlib.sha256(b"c02f").hexdigest()[:12]
    assert ja4(h) == f"t12i010100_{expected_b}_{expected_c}"
    bare = parse_client_hello(hello_message((), ())[4:])
    assert ja4(bare, datagram=True) == "d12i000000_000000000000_000000000000"


def test_ja4_alpn_characters_follow_the_hex_rule() -> None:
    def first_last(value: bytes) -> str:
        h = parse_client_hello(hello_message(extensions=(alpn(value),))[4:])
        return ja4(h).split("_")[0][-2:]

    assert first_last(b"http/1.1") == "h1"
    assert first_last(b"h") == "hh"
    assert first_last(b"\xab\xcd") == "ad"
    assert first_last(b"\x30\xab") == "3b"
    assert first_last(b"\x30\xab\xcd\x31") == "01"


def test_ja3_is_the_md5_of_the_classic_string() -> None:
    extensions = (sni("a.example"), groups(0x0A0A, 0x001D, 0x0017), point_formats(0, 1, 2))
    h = parse_client_hello(hello_message((0x0A0A, 0xC02F, 0x009C), extensions)[4:])
    assert ja3_string(h) == "771,49199-156,0-10-11,29-23,0-1-2"
    assert ja3(h) == hashlib.md5(b"771,49199-156,0-10-11,29-23,0-1-2").hexdigest()


def test_server_fingerprints() -> None:
    h = parse_server_hello(server_hello(0xC02F, ((0xFF01, b"\x00"), (0x000B, b"\x01\x00")))[4:])
    assert ja3s_string(h) == "771,49199,65281-11"
    expected = hashlib.sha256(b"ff01,000b").hexdigest()[:12]
    assert ja4s(h) == f"t120200_c02f_{expected}"
    h13 = parse_server_hello(server_hello(0x1301, ((43, b"\x03\x04"), alpn(b"h2")))[4:])
    assert ja4s(h13).startswith("t1302h2_1301_")
