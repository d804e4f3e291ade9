#!/usr/bin/env python
"""Django's own command-line utility for inpractice (`inpractice manage ...` does the same)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inpractice.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
