"""Privacy and audit."""
