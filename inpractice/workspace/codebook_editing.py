"""Editing a call's working codebook: pure changes on codebook data, and saving them as versions.

The first half is plain functions over the codebook's JSON form (a dict with `codes`, each code a
dict that may have `children`): each returns a new, validated codebook and never changes its input,
so the web pages, the CLI and tests share one definition of "merge" or "split". The second half
reads and saves `CodebookVersion` rows: every change is a new version with a note, so the history
is whole and any older version can be shown again.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

from django.db import transaction

from inpractice.analysis.codebook import CODE_ID, Codebook, CodebookError, codebook_from_dict

Codes = list[dict[str, Any]]


class CodebookEditError(ValueError):
    """A change that cannot be made, with a message a lead analyst can act on."""


class CodebookConflict(CodebookEditError):
    """The codebook changed since the form was drawn: show the newer one instead of overwriting."""


# -- reading codebook data --------------------------------------------------------------------


def walk(
    codes: Codes, parent: str | None = None, depth: int = 0
) -> Iterator[tuple[dict, str | None, int]]:
    """Every code with its parent id and depth, parents before children."""
    for code in codes:
        yield code, parent, depth
        yield from walk(code.get("children") or [], code["id"], depth + 1)


def find(codebook: dict, code_id: str) -> tuple[Codes, int, dict]:
    """The list that holds a code, its index there, and the code; a clear error when absent."""

    def search(codes: Codes):
        for i, code in enumerate(codes):
            if code.get("id") == code_id:
                return codes, i, code
            found = search(code.get("children") or [])
            if found:
                return found
        return None

    found = search(codebook.get("codes") or [])
    if found is None:
        raise CodebookEditError(f"There is no code {code_id!r} in the working codebook")
    return found


def code_ids(codebook: dict) -> list[str]:
    return [code["id"] for code, _, _ in walk(codebook.get("codes") or [])]


def subtree_ids(code: dict) -> set[str]:
    return {c["id"] for c, _, _ in walk([code])}


def top_level_of(codebook: dict) -> dict[str, str]:
    """Each code id mapped to the id of its top-level code (a top-level code maps to itself)."""
    out: dict[str, str] = {}
    for top in codebook.get("codes") or []:
        for code, _, _ in walk([top]):
            out[code["id"]] = top["id"]
    return out


def code_names(codebook: dict) -> dict[str, str]:
    return {
        code["id"]: code.get("name", code["id"]) for code, _, _ in walk(codebook.get("codes") or [])
    }


def validate(codebook: dict) -> Codebook:
    """The codebook as the analysis core reads it, or a `CodebookEditError` saying what is wrong."""
    try:
        return codebook_from_dict(codebook)
    except CodebookError as exc:
        raise CodebookEditError(f"The codebook would not be valid: {exc}") from exc


def new_code_id(codebook: dict, name: str, parent_id: str | None = None) -> str:
    """A free id made from a name, under a parent's id when given (e.g. `p1.family-voice`)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "code"
    base = f"{parent_id}.{slug}" if parent_id else slug
    base = base[:60]
    taken = set(code_ids(codebook))
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def _check_id(codebook: dict, code_id: str) -> None:
    if not CODE_ID.match(code_id):
        raise CodebookEditError(
            "Code id must be 1 to 64 lower-case letters, digits, full stops, hyphens or underscores"
        )
    if code_id in code_ids(codebook):
        raise CodebookEditError(f"Code id {code_id!r} is already used; choose another id")


def _new_code(
    codebook: dict, code_id: str, name: str, description: str, parent: str | None
) -> dict:
    name, description = name.strip(), description.strip()
    if not name:
        raise CodebookEditError("Enter a name for the code")
    code_id = code_id.strip() or new_code_id(codebook, name, parent)
    _check_id(codebook, code_id)
    return {"id": code_id, "name": name, "description": description}


# -- changes (each returns a new, validated codebook) -----------------------------------------


def edit_code(codebook: dict, code_id: str, name: str, description: str) -> dict:
    """Rename a code and change its description; its id (what codings point at) stays."""
    if not name.strip():
        raise CodebookEditError("Enter a name for the code")
    out = copy.deepcopy(codebook)
    _, _, code = find(out, code_id)
    code["name"], code["description"] = name.strip(), description.strip()
    validate(out)
    return out


def add_code(
    codebook: dict,
    name: str,
    description: str = "",
    code_id: str = "",
    parent_id: str | None = None,
) -> tuple[dict, str]:
    """Add a top-level code, or a sub-code under `parent_id`; returns the codebook and new id."""
    out = copy.deepcopy(codebook)
    code = _new_code(out, code_id, name, description, parent_id)
    if parent_id:
        _, _, parent = find(out, parent_id)
        parent.setdefault("children", []).append(code)
    else:
        out.setdefault("codes", []).append(code)
    validate(out)
    return out, code["id"]


def merge_codes(codebook: dict, keep_id: str, merge_id: str) -> dict:
    """Fold `merge_id` into `keep_id`: its examples and sub-codes move to the kept code.

    The caller re-points people's codings of the merged code (and of nothing else: its sub-codes
    keep their ids under their new parent).
    """
    if keep_id == merge_id:
        raise CodebookEditError("Choose two different codes to merge")
    out = copy.deepcopy(codebook)
    _, _, keep = find(out, keep_id)
    holder, index, gone = find(out, merge_id)
    if keep_id in subtree_ids(gone):
        raise CodebookEditError(
            f"{keep_id!r} is a sub-code of {merge_id!r}: merge the other way round instead"
        )
    holder.pop(index)
    keep["examples"] = list(keep.get("examples") or []) + [
        e for e in gone.get("examples") or [] if e not in (keep.get("examples") or [])
    ]
    keep["children"] = list(keep.get("children") or []) + list(gone.get("children") or [])
    if not keep["children"]:
        keep.pop("children")
    if not keep["examples"]:
        keep.pop("examples")
    validate(out)
    return out


def split_code(
    codebook: dict, code_id: str, parts: list[tuple[str, str]], as_subcodes: bool = True
) -> tuple[dict, list[str]]:
    """Split a code into two or more new codes `(name, description)`.

    As sub-codes (the default) they go under the original; otherwise they become its siblings.
    The original stays, and so do the codings on it, until someone recodes them.
    """
    parts = [(n.strip(), d.strip()) for n, d in parts if n.strip()]
    if len(parts) < 2:
        raise CodebookEditError("Give at least two new codes to split into")
    names = [n.lower() for n, _ in parts]
    if len(set(names)) != len(names):
        raise CodebookEditError("Give each new code a different name")
    out = copy.deepcopy(codebook)
    holder, index, original = find(out, code_id)
    parent_of = {c["id"]: p for c, p, _ in walk(out.get("codes") or [])}
    id_parent = code_id if as_subcodes else parent_of.get(code_id)
    created: list[dict] = []
    for name, description in parts:
        code = {"id": new_code_id(out, name, id_parent), "name": name, "description": description}
        if as_subcodes:
            original.setdefault("children", []).append(code)
        else:
            holder.insert(index + 1 + len(created), code)
        created.append(code)
    validate(out)
    return out, [c["id"] for c in created]


def describe_differences(old: dict, new: dict) -> list[str]:
    """What changed between two versions, in words, for the history page."""
    before = {c["id"]: (c, p) for c, p, _ in walk(old.get("codes") or [])}
    after = {c["id"]: (c, p) for c, p, _ in walk(new.get("codes") or [])}
    lines = []
    for cid in after.keys() - before.keys():
        lines.append(f"added {cid} ({after[cid][0].get('name')})")
    for cid in before.keys() - after.keys():
        lines.append(f"removed {cid} ({before[cid][0].get('name')})")
    for cid in before.keys() & after.keys():
        (a, pa), (b, pb) = before[cid], after[cid]
        if a.get("name") != b.get("name"):
            lines.append(f"renamed {cid}: {a.get('name')} → {b.get('name')}")
        if (a.get("description") or "") != (b.get("description") or ""):
            lines.append(f"new description for {cid}")
        if pa != pb:
            lines.append(f"moved {cid} under {pb or 'the top level'}")
    return sorted(lines)


# -- versions in the database -----------------------------------------------------------------


def latest_version(call):
    from .models import CodebookVersion

    return CodebookVersion.objects.filter(call=call).order_by("-number").first()


def working_codebook(call) -> tuple[dict, int]:
    """The call's working codebook and its version number (0: the call's own, never edited)."""
    version = latest_version(call)
    if version is None:
        return copy.deepcopy(call.codebook), 0
    return copy.deepcopy(version.codebook), version.number


def save_version(call, author, codebook: dict, note: str, base_number: int | None = None):
    """Save a new version; refuse with `CodebookConflict` if someone saved one since `base_number`.

    Call inside a transaction (with the change's events) so a failure leaves nothing half-saved.
    The first edit also saves the call's original codebook as version 1, so history starts there.
    """
    from inpractice.intake.models import CallForEvidence

    from .models import CodebookVersion

    validate(codebook)
    # Lock the call row so two leads saving at once get consecutive numbers, or a conflict.
    CallForEvidence.objects.select_for_update().filter(pk=call.pk).first()
    current = latest_version(call)
    number = current.number if current else 0
    if base_number is not None and base_number != number:
        raise CodebookConflict(_conflict(number, base_number))
    if current is None:
        CodebookVersion.objects.create(
            call=call,
            number=1,
            codebook=call.codebook,
            note="The call's codebook before any edits",
            author=None,
        )
        number = 1
    return CodebookVersion.objects.create(
        call=call, number=number + 1, codebook=codebook, note=note[:300], author=author
    )


def _conflict(number: int, base_number: int) -> str:
    return (
        f"Someone saved version {number} of the codebook after you opened this page (you "
        f"started from version {base_number}). Check the current codebook and try again."
    )


def apply_change(call, author, change, note: str, base_number: int | None, kind: str, target: str):
    """Run `change(codebook) -> codebook` on the working codebook and save it with an event.

    Returns the new `CodebookVersion`. All in one transaction: the version, the event and anything
    `change` does to the database stand or fall together.
    """
    from .events import record

    with transaction.atomic():
        before, number = working_codebook(call)
        if base_number is not None and base_number != number:
            raise CodebookConflict(_conflict(number, base_number))
        after = change(before)
        version = save_version(call, author, after, note, base_number=number)
        record(
            call,
            author,
            kind,
            target,
            before={"version": number, "codebook": before},
            after={"version": version.number, "codebook": after, "note": note},
        )
    return version
