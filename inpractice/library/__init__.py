"""Library of practice."""
