"""Reference data vendored for the report, with the script that derived it (see README.md)."""
