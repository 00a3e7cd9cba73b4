"""Modbus/TCP (Modbus Application Protocol v1.1b3, Messaging on TCP/IP v1.0b)."""

from interlock.protocols.modbus.mbap import ModbusADU, encode_adu, parse_adu

__all__ = ["ModbusADU", "encode_adu", "parse_adu"]
