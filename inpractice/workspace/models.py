"""Models of the analyst workspace app."""
