"""Insights report."""
