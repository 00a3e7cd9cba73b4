"""Command-line interface (the edge: typer and rich live only here)."""
