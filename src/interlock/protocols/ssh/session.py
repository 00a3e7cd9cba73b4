"""One SSH connection: each side's identification and KEXINIT, paired once both
KEXINITs are seen (either side may send first), and whether NEWKEYS has switched a
direction to encrypted. Bounded: two banners, two KEXINITs, a few flags.
"""

from __future__ import annotations

from typing import NamedTuple

from interlock.protocols.remote_access.common import SeenRequest, Step
from interlock.protocols.ssh.kexinit import KexInit
from interlock.protocols.ssh.packets import MSG_NEWKEYS, SshBanner, SshPacket, SshUnit


class SshSide(NamedTuple):
    """What one side said in cleartext: its identification and its KEXINIT."""

    banner: SshBanner | None
    kexinit: KexInit
    frame: int
    ts: float


class KexSeen(NamedTuple):
    """Returned for a KEXINIT: who sent it and, once both sides have, the pair."""

    client: bool
    pair: tuple[SshSide, SshSide] | None


class SshSession:
    __slots__ = ("banners", "kexinits", "newkeys", "paired")

    def __init__(self) -> None:
        self.banners: list[SshBanner | None] = [None, None]
        self.kexinits: list[SshSide | None] = [None, None]
        self.newkeys = [False, False]
        self.paired = False

    def observe(self, unit: SshUnit, is_request: bool, frame: int, ts: float) -> KexSeen | None:
        side = 0 if is_request else 1
        if isinstance(unit, SshBanner):
            if unit.proto_version is not None and self.banners[side] is None:
                self.banners[side] = unit
            return None
        if not isinstance(unit, SshPacket):
            return None
        if unit.message_code == MSG_NEWKEYS:
            self.newkeys[side] = True
            return None
        if unit.kexinit is None:
            return None
        if self.kexinits[side] is None:
            self.kexinits[side] = SshSide(self.banners[side], unit.kexinit, frame, ts)
        client, server = self.kexinits
        if client is None or server is None or self.paired:
            return KexSeen(is_request, None)
        self.paired = True
        return KexSeen(is_request, (client, server))


def pair_view(seen: KexSeen | None) -> tuple[Step, SeenRequest] | None:
    """The transaction's two sides, on the unit that completed the KEXINIT pair."""
    if seen is None or seen.pair is None:
        return None
    client, server = seen.pair
    return Step(0, server), SeenRequest(client.frame, client.ts, Step(0, client))
