"""Tabellion runtime: engine, state, chain, CLI."""
