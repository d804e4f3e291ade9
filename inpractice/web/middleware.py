"""Static files: whitenoise, plus GOV.UK Frontend's fonts and images at /assets/.

GOV.UK Frontend's ready-built CSS refers to its fonts and crest under `/assets/` (the Design
System's default asset path), so they are served from the npm package there rather than
re-declaring them in our own CSS.
"""

from __future__ import annotations

from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    def __init__(self, get_response=None, settings=settings):
        super().__init__(get_response, settings=settings)
        assets = settings.NODE_MODULES / "govuk-frontend" / "dist" / "govuk" / "assets"
        self.add_files(str(assets), prefix="assets/")
