"""Optional single sign-on with an organisation's OpenID Connect provider (mozilla-django-oidc).

Switched on by the OIDC_* settings (see docs/security.md). The provider says who the person is;
OIDC_ROLE_MAP says which of its group or role claim values give which staff role here. A person
whose claims map to no role is refused, and each sign-in makes the person's roles here match the
provider's, so removing someone from a group at the provider removes their access at next sign-in.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .roles import ROLES


def parse_role_map(text: str) -> dict[str, str]:
    """'claim-value=role,other=role' → {claim value: role}; unknown roles are a setup error."""
    mapping: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        value, sep, role = item.rpartition("=")
        value, role = value.strip(), role.strip()
        if not sep or not value:
            raise ImproperlyConfigured(
                f"OIDC_ROLE_MAP item {item!r} should look like 'claim-value=role'"
            )
        if role not in ROLES:
            raise ImproperlyConfigured(
                f"OIDC_ROLE_MAP gives unknown role {role!r}; choose one of {', '.join(ROLES)}"
            )
        mapping[value] = role
    return mapping


def roles_from_claims(claims: dict, claim: str, mapping: dict[str, str]) -> set[str]:
    raw = claims.get(claim) or []
    if isinstance(raw, str):
        raw = raw.replace(",", " ").split()
    return {mapping[str(v)] for v in raw if str(v) in mapping}


class StaffOIDCBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role_map = parse_role_map(settings.OIDC_ROLE_MAP)

    def _roles(self, claims: dict) -> set[str]:
        return roles_from_claims(claims, settings.OIDC_ROLE_CLAIM, self.role_map)

    def verify_claims(self, claims: dict) -> bool:
        return bool(super().verify_claims(claims) and claims.get("email") and self._roles(claims))

    def filter_users_by_claims(self, claims: dict):
        email = (claims.get("email") or "").strip().lower()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(username__iexact=email)

    def create_user(self, claims: dict):
        email = claims["email"].strip().lower()
        user = self.UserModel(username=email, email=email, is_staff=False)
        user.set_unusable_password()
        user.save()
        self._apply_roles(user, claims)
        return user

    def update_user(self, user, claims: dict):
        self._apply_roles(user, claims)
        return user

    def _apply_roles(self, user, claims: dict) -> None:
        wanted = {Group.objects.get_or_create(name=ROLES[r])[0] for r in self._roles(claims)}
        staff_groups = user.groups.filter(name__in=ROLES.values())
        user.groups.remove(*[g for g in staff_groups if g not in wanted])
        user.groups.add(*wanted)
