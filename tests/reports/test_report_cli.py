"""`inpractice report` run as a user runs it, on the demo call in its own SQLite file.

The expected snapshot is counted here straight from the database with SQL, independently of
the code under test.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from lxml import html as lxml_html

from tests.cli import environment, run

from .pdf import assert_tagged_pdf


def expected_snapshot(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        (call_id, codebook) = con.execute(
            "SELECT id, codebook FROM intake_callforevidence WHERE slug = 'demo'"
        ).fetchone()
        submitted = "SELECT id FROM intake_submission WHERE call_id = ? AND status = 'submitted'"

        def distinct_urns(org_types: tuple[str, ...] | None) -> int:
            sql = (
                "SELECT COUNT(DISTINCT c.urn) FROM intake_coveredschool c "
                "JOIN intake_submission s ON s.id = c.submission_id "
                "WHERE s.call_id = ? AND s.status = 'submitted'"
            )
            args: list = [call_id]
            if org_types:
                sql += f" AND s.organisation_type IN ({','.join('?' * len(org_types))})"
                args += list(org_types)
            return con.execute(sql, args).fetchone()[0]

        return {
            "submissions": len(con.execute(submitted, [call_id]).fetchall()),
            "trusts": distinct_urns(("trust",)),
            "las_and_providers": distinct_urns(("local_authority", "send_provider")),
            "total": distinct_urns(None),
            "principles": len(json.loads(codebook)["codes"]),
        }
    finally:
        con.close()


def private_text(db: Path) -> list[str]:
    con = sqlite3.connect(db)
    try:
        rows = con.execute(
            "SELECT respondent_email, respondent_name, answers FROM intake_submission"
        ).fetchall()
    finally:
        con.close()
    found = []
    for email, name, answers in rows:
        found += [email, name]
        practice = json.loads(answers or "{}").get("practice", "")
        if len(practice) > 80:
            found.append(practice[:80])
    return [text for text in found if text]


def approved_quotes(db: Path) -> list[str]:
    """The words of every quote approved for the report (redacted where a lead redacted them)."""
    con = sqlite3.connect(db)
    try:
        rows = con.execute(
            "SELECT text, redacted_text FROM workspace_quotereview WHERE status = 'approved'"
        ).fetchall()
    finally:
        con.close()
    return [redacted or text for text, redacted in rows if (redacted or text)]


def set_run_status(db: Path, status: str) -> None:
    con = sqlite3.connect(db)
    with con:
        con.execute("UPDATE coding_analysisrun SET status = ?", [status])
    con.close()


def test_report_of_the_demo_call(demo_database, tmp_path):
    out = tmp_path / "report"
    cli_env = demo_database.copy(tmp_path)
    db = Path(cli_env["DATABASE_URL"].removeprefix("sqlite:///"))
    # `inpractice demo` analyses the call; without a succeeded run there is nothing to report
    set_run_status(db, "failed")
    early = run(cli_env, "report", "--call", "demo", "--out", str(out))
    assert early.returncode == 1
    assert "has not been analysed yet" in early.stderr
    assert "inpractice analyse --call demo" in early.stderr
    assert "Traceback" not in early.stderr and not out.exists()

    # (`inpractice analyse` itself is tested in tests/test_cli.py; the demo's run will do here.)
    set_run_status(db, "succeeded")
    result = run(cli_env, "report", "--call", "demo", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Writing the tagged PDF" in result.stderr
    summary = json.loads(result.stdout)
    assert Path(summary["html"]) == out / "report.html"
    assert {"figures", "html", "pdf", "total"} <= set(summary["seconds"])

    expected = expected_snapshot(db)
    page = (out / "report.html").read_text(encoding="utf-8")
    doc = lxml_html.fromstring(page)
    numbers = [n.text_content() for n in doc.xpath('//*[@class="app-snapshot__number"]')]
    assert numbers == [
        f"{expected['submissions']:,}",
        f"{expected['trusts']:,}",
        f"{expected['las_and_providers']:,}",
        f"{expected['total']:,}",
        f"{expected['principles']:,}",
    ]
    # the region and phase tables add up to the unique schools (issue 14: 8,393 against 8,396)
    for caption in ("Regions: data table", "Phases: data table"):
        table = doc.xpath(f'//table[caption[normalize-space()="{caption}"]]')[0]
        all_row = table.xpath(".//tfoot//td")[0].text_content().strip()
        assert all_row == f"{expected['total']:,}", (caption, all_row)
    # the same name for a region in the chart as in the table
    assert "Yorkshire and The Humber" in " ".join(doc.xpath("//svg//tspan/text()"))
    assert "Yorkshire &" not in page
    # the stylesheets it links are written beside it, so it opens from disk
    for href in doc.xpath("//link[@rel='stylesheet']/@href"):
        assert (out / href).is_file(), href
    # No contact details, and no submission's words except in quotes a person approved (the demo
    # approves some, as its analysts would: reports/demo_text.py).
    approved = approved_quotes(db)
    for text in private_text(db):
        if text in page:
            assert any(text in quote for quote in approved), text
    assert_tagged_pdf((out / "report.pdf").read_bytes())


def test_report_of_an_unknown_call_is_a_clear_error(demo_database, tmp_path):
    cli_env = environment(f"sqlite:///{demo_database.path}", tmp_path / "var")
    result = run(cli_env, "report", "--call", "nope", "--out", str(tmp_path / "x"))
    assert result.returncode == 1
    assert "there is no call with the slug 'nope'" in result.stderr
    assert "Traceback" not in result.stderr
