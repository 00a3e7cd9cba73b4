"""ClientHello and ServerHello decoding, extensions, GREASE and post-quantum groups."""

from __future__ import annotations

from interlock.protocols.tls.hello import parse_client_hello, parse_server_hello
from interlock.protocols.tls.vocabulary import group_name, is_grease, is_post_quantum, version_name
from protocols.tls.builders import (
    alpn,
    groups,
    key_shares,
    point_formats,
    server_hello,
    sigalgs,
    sni,
    versions,
)
from protocols.tls.builders import client_hello as hello_message

GREASE = 0x3A3A


def test_a_modern_client_hello_is_fully_decoded() -> None:
    extensions = (
        (GREASE, b""),
        sni("hmi.plant.example"),
        alpn(b"h2", b"http/1.1"),
        groups(GREASE, 0x11EC, 0x6399, 0x001D, 0x0017),
        key_shares((GREASE, 1), (0x11EC, 1216), (0x001D, 32)),
        versions(GREASE, 0x0304, 0x0303),
        sigalgs(0x0403, 0x0804, 0x0401),
        point_formats(0),
    )
    message = hello_message((GREASE, 0x1301, 0x1302), extensions, session_id=b"\x01" * 32)
    h = parse_client_hello(message[4:])
    assert h.anomalies == ()
    assert h.version == 0x0303 and len(h.random) == 32 and h.session_id == b"\x01" * 32
    assert h.cipher_suites == (GREASE, 0x1301, 0x1302)
    assert h.compression_methods == (0,)
    assert h.extension_types == (GREASE, 0, 16, 10, 51, 43, 13, 11)
    assert h.server_name == "hmi.plant.example"
    assert h.alpn == ("h2", "http/1.1") and h.alpn_first == b"h2"
    assert h.supported_groups == (GREASE, 0x11EC, 0x6399, 0x001D, 0x0017)
    assert h.key_share_groups == (GREASE, 0x11EC, 0x001D)
    assert h.key_share_lengths == (1, 1216, 32)
    assert h.supported_versions == (GREASE, 0x0304, 0x0303)
    assert h.signature_algorithms == (0x0403, 0x0804, 0x0401)
    assert h.ec_point_formats == (0,)


def test_grease_and_post_quantum_groups_are_recognized() -> None:
    assert all(is_grease(0x0A0A + 0x1010 * i) for i in range(16))
    assert not is_grease(0x0A1A) and not is_grease(0x1301)
    assert group_name(0x11EC) == "X25519MLKEM768"
    assert group_name(0x6399) == "X25519Kyber768Draft00"
    assert group_name(0x4A4A) == "GREASE"
    assert is_post_quantum(0x11EC) and is_post_quantum(0x0201) and not is_post_quantum(0x001D)
    assert version_name(0x7F1C) == "TLS 1.3 (draft 28)" and version_name(0x0304) == "TLS 1.3"


def test_a_server_hello_says_what_was_chosen() -> None:
    message = server_hello(0x1302, ((43, b"\x03\x04"), (51, b"\x11\xec\x00\x04abcd"), alpn(b"h2")))
    h = parse_server_hello(message[4:])
    assert h.anomalies == ()
    assert h.cipher_suite == 0x1302 and h.selected_version == 0x0304
    assert h.negotiated_version == 0x0304
    assert h.key_share_group == 0x11EC and h.alpn == "h2"
    assert not h.is_hello_retry_request


def test_a_hello_retry_request_is_recognized_by_its_random() -> None:
    message = server_hello(0x1301, ((43, b"\x03\x04"), (51, b"\x00\x18")), retry=True)
    h = parse_server_hello(message[4:])
    assert h.is_hello_retry_request and h.key_share_group == 0x0018 and h.anomalies == ()


def test_a_tls12_server_hello_has_no_selected_version() -> None:
    h = parse_server_hello(server_hello(0xC02F)[4:])
    assert h.selected_version == -1 and h.negotiated_version == 0x0303 and h.extension_types == ()


def test_cut_hellos_and_bad_extensions_are_anomalies() -> None:
    message = hello_message(extensions=(sni("a.example"),))
    assert parse_client_hello(message[4:20]).anomalies == ("tls.bad_hello",)
    broken = hello_message(extensions=((0, b"\x00\x09\x00"),))
    assert parse_client_hello(broken[4:]).anomalies == ("tls.bad_extension",)
    dangling = message[4:] + b"\x00"
    assert parse_client_hello(dangling).anomalies == ("tls.bad_extension",)
    assert parse_server_hello(b"\x03").anomalies == ("tls.bad_hello",)


def test_invalid_utf8_names_are_replaced_not_raised() -> None:
    h = parse_client_hello(hello_message(extensions=((0, b"\x00\x05\x00\x00\x02\xff\xfe"),))[4:])
    assert h.server_name == "\ufffd\ufffd"
