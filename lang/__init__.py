"""Tabellion language front end: text in, checked program out."""
