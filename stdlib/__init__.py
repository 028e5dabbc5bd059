"""Contracts written in Tabellion, shipped as package data."""
