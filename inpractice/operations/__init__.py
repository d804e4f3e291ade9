"""Running the service: serving with gunicorn, backing up and restoring the database, and the
cache table every migration leaves behind. No models of its own."""
