"""Models of the library of practice app."""
