"""The service TypeId table matches the OPC UA NodeSet (asyncua's copy of it)."""

from __future__ import annotations

from asyncua.ua.object_ids import ObjectIds

from interlock.protocols.opcua.discovery import (
    ANONYMOUS_TOKEN,
    ISSUED_TOKEN,
    USERNAME_TOKEN,
    X509_TOKEN,
)
from interlock.protocols.opcua.service_types import SERVICE_TYPES


def test_every_service_id_is_the_nodeset_one() -> None:
    for type_id, name in SERVICE_TYPES.items():
        assert getattr(ObjectIds, name + "_Encoding_DefaultBinary") == type_id
    assert len(SERVICE_TYPES) == 79


def test_identity_token_ids() -> None:
    assert ObjectIds.AnonymousIdentityToken_Encoding_DefaultBinary == ANONYMOUS_TOKEN
    assert ObjectIds.UserNameIdentityToken_Encoding_DefaultBinary == USERNAME_TOKEN
    assert ObjectIds.X509IdentityToken_Encoding_DefaultBinary == X509_TOKEN
    assert ObjectIds.IssuedIdentityToken_Encoding_DefaultBinary == ISSUED_TOKEN
