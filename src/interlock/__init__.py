"""Interlock: passive OT/ICS visibility and physics-first enforcement."""

__version__ = "0.1.0"
__all__ = ["__version__"]
