"""Framework-free analysis core: plain data in, plain data out. Imports nothing from Django."""
