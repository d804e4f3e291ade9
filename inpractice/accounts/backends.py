"""django-axes' throttling backend, for sign-ins that come from a web request.

Every web sign-in passes the request to `authenticate()` (Django's login form does), and that
is where throttling is needed. In-process sign-ins without a request (the test client's
`login()`, a shell) have no client address to count, so this backend steps aside for them
instead of raising; Django's ModelBackend then checks the password as usual.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class WebSignInThrottle(AxesStandaloneBackend):
    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
