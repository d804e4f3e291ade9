"""The `demo` management command: what it prints, that it runs once, and the errors a person can
fix. The analysis and the case studies are stubbed here (tests/library and the command-line tests
run them for real); loading the call is not."""

from __future__ import annotations

import re
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

import inpractice.demo.management.commands.demo as demo_command
from inpractice.accounts.roles import has_role
from inpractice.demo.steps import DEMO_ADMIN, DEMO_ROLES, demo_staff_account
from inpractice.intake.models import CallForEvidence
from inpractice.schools.importer import RegisterImportError, import_register


def _demo(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class _Run:
    pk = 7
    counts = {"passages": 1398}


def test_demo_loads_analyses_publishes_and_prints_a_sign_in_once(db, monkeypatch):
    steps: list[str] = []
    monkeypatch.setattr(
        demo_command, "analyse_demo_once", lambda progress: steps.append("analyse") or _Run()
    )
    monkeypatch.setattr(
        demo_command,
        "publish_demo_edition",
        lambda progress: steps.append("edition") or SimpleNamespace(number=1),
    )
    monkeypatch.setattr(
        demo_command, "publish_demo_case_studies", lambda progress: steps.append("publish") or 24
    )
    out, err = _demo()
    assert steps == ["analyse", "edition", "publish"]
    assert "  report edition 1 published\n" in out
    assert out.startswith("Loaded the demo call 'demo': Inclusion in practice")
    assert "  submissions:                            165\n" in out
    assert "  analysis run 7: 1398 passages coded\n" in out
    assert "  case studies published in the library:  24\n" in out
    sign_in = re.search(r"Staff sign-in for the demo: (\S+) / (\S+) \(shown once; reset it", out)
    assert sign_in and sign_in.group(1) == DEMO_ADMIN
    assert "Writing the submissions ..." in err  # progress goes to stderr
    user = get_user_model().objects.get(username=DEMO_ADMIN)
    assert user.check_password(sign_in.group(2))
    assert all(has_role(user, role) for role in DEMO_ROLES)

    # A second run changes nothing and shows no password.
    monkeypatch.setattr(demo_command, "analyse_demo_once", lambda progress: None)
    monkeypatch.setattr(demo_command, "publish_demo_edition", lambda progress: None)
    monkeypatch.setattr(demo_command, "publish_demo_case_studies", lambda progress: 0)
    out, _err = _demo()
    assert out == (
        "The demo call 'demo' is already loaded (165 submissions; 22,000 open schools in the "
        "register). Nothing changed.\n"
    )


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda tmp_path: tmp_path / "missing.csv", "does not exist"),
        (lambda tmp_path: tmp_path, "is a directory"),
    ],
)
def test_a_register_file_that_cannot_be_read_is_a_usage_error(db, tmp_path, make, problem):
    path = make(tmp_path)
    with pytest.raises(CommandError) as raised:
        _demo("--schools", str(path))
    assert str(raised.value) == f"Invalid value for '--schools': File {str(path)!r} {problem}."
    assert raised.value.returncode == 2
    assert not CallForEvidence.objects.filter(slug="demo").exists()


def test_a_bad_gias_file_gives_the_importers_message_and_loads_nothing(db, tmp_path):
    bad = tmp_path / "schools.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(RegisterImportError) as expected:
        import_register(bad)
    with pytest.raises(CommandError) as raised:
        _demo("--schools", str(bad))
    assert str(raised.value) == str(expected.value)
    assert raised.value.returncode == 1
    assert not CallForEvidence.objects.filter(slug="demo").exists()


def test_no_demo_sign_in_in_production(db, settings):
    settings.PRODUCTION = True
    assert demo_staff_account() is None
    assert not get_user_model().objects.filter(username=DEMO_ADMIN).exists()
