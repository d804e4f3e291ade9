"""Analyst workspace."""
