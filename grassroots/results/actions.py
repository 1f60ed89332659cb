"""Writes of results: starting an import. The import itself is results.importer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.results.models import ResultsImport


def do_create_import(
    actor: User | None,
    *,
    file_path: Path,
    file_name: str,
    format: str,
    options: dict[str, Any] | None = None,
) -> ResultsImport:
    """A queued results import of ``file_path`` in ``format`` ("openelections" or "csv").

    ``options``: ``election_name``, ``election_date`` (YYYY-MM-DD) and ``election_kind`` when the
    file's name does not say them, ``area_kind`` (the kind of area whose code the file's area keys
    are; election districts by default), and for a CSV its ``columns`` mapping (see formats.csv).
    """
    job = ResultsImport.objects.create(
        format=format,
        options=options or {},
        file_name=file_name,
        file_path=str(file_path),
        file_size=file_path.stat().st_size,
        created_by=actor,
    )
    record_audit(
        actor, AuditEntry.Verb.CREATE, "results_import", job.public_id, file=file_name, format=format
    )
    return job
