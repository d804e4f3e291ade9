"""Models of the insights report app."""
