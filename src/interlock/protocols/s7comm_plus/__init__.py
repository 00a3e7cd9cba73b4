"""S7comm-plus (protocol id 0x72), carried like S7comm in COTP DT TPDUs on TCP 102."""

from interlock.protocols.s7comm_plus.frame import S7pFragment, parse_fragment

__all__ = ["S7pFragment", "parse_fragment"]
