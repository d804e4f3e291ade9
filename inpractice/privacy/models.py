"""Models of the privacy and audit app."""
