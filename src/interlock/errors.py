"""One error tree for Interlock, split by who is at fault.

    InterlockError                 code: str, stable, mapped to exit status by the CLI
    ├── CaptureError               the capture file or interface (exit 2)
    │   ├── CaptureFormatError     not a pcap/pcapng file, or an unsupported variant
    │   └── CaptureTruncated       the file ends or breaks inside a record
    ├── UsageError                 the caller asked for something impossible (exit 2)
    ├── ConfigError(ValueError)    a configuration value is wrong (exit 2)
    └── StoreError                 the inventory store is damaged, newer, or unwritable (exit 2)

Malformed *traffic* is never an exception: it becomes anomaly codes on the units that
carry it (see ``interlock.model.Unit.anomalies``).
"""

from __future__ import annotations


class InterlockError(Exception):
    code = "interlock.error"
    exit_status = 1


class CaptureError(InterlockError):
    code = "capture.error"
    exit_status = 2


class CaptureFormatError(CaptureError):
    code = "capture.format"


class CaptureTruncated(CaptureError):
    code = "capture.truncated"


class UsageError(InterlockError):
    code = "usage"
    exit_status = 2


class ConfigError(InterlockError, ValueError):
    code = "config"
    exit_status = 2


class StoreError(InterlockError):
    code = "store"
    exit_status = 2
