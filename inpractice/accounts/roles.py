"""Staff roles as Django groups, and the checks views use to enforce them on the server."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email

ROLES = {
    "programme-admin": "Programme admin",
    "analyst": "Analyst",
    "lead-analyst": "Lead analyst",
    "moderator": "Moderator",
}


class StaffAccountError(ValueError):
    pass


def has_role(user, *roles: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    names = {ROLES[r] for r in roles}
    return user.groups.filter(name__in=names).exists()


def role_required(*roles: str):
    """Sign-in first (redirect), then the role (403): the server decides, never the page."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def add_staff(email: str, role: str, password: str) -> bool:
    """Create (True) or update (False) a staff account with a role; the username is the email."""
    if role not in ROLES:
        raise StaffAccountError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    try:
        validate_email(email)
    except ValidationError:
        raise StaffAccountError(f"{email!r} is not a valid email address") from None
    User = get_user_model()
    user = User.objects.filter(username__iexact=email).first()
    candidate = user or User(username=email.lower(), email=email.lower())
    validate_password(password, candidate)
    created = user is None
    candidate.set_password(password)
    candidate.is_staff = False  # no Django admin: staff pages check roles instead
    candidate.save()
    group, _ = Group.objects.get_or_create(name=ROLES[role])
    candidate.groups.add(group)
    return created
