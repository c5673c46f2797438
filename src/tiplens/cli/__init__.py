"""Thin Typer commands: parse, call the library, print. One module per pillar."""
