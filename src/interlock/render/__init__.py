"""Renderers: the engine's results shaped for people or for other tools."""
