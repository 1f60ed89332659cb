"""Starting voter imports: from the command line, or from the web page as a background task."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import transaction

from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.voters.layouts import check_layout, open_voter_file
from grassroots.voters.models import ColumnMapping, VoterImport


def store_upload(upload: IO[bytes], name: str) -> Path:
    """Keep an uploaded file under UPLOAD_DIR with a name no one can guess or collide with."""
    folder = Path(settings.UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{uuid.uuid4().hex}-{Path(name).name[-100:]}"
    with open(target, "wb") as out:
        shutil.copyfileobj(upload, out, length=1 << 20)
    return target


def check_voter_file(path: Path, layout: str) -> str:
    """The layout key the file will be read with; LayoutError (a message for the person who
    uploaded it) when the file is empty or not of the layout chosen. Nothing is written."""
    stream, _ = open_voter_file(path)
    with stream:
        first_line = stream.readline()
    return check_layout(layout, first_line).key


def do_create_import(
    actor: User | None,
    *,
    file_path: Path,
    file_name: str,
    layout: str = "auto",
    history_path: Path | None = None,
    mapping: ColumnMapping | None = None,
) -> VoterImport:
    job = VoterImport.objects.create(
        layout=layout,
        mapping=mapping,
        file_name=file_name,
        file_path=str(file_path),
        history_path=str(history_path or ""),
        file_size=file_path.stat().st_size,
        created_by=actor,
    )
    record_audit(actor, AuditEntry.Verb.CREATE, "voter_import", job.public_id, file=file_name, layout=layout)
    return job


def do_enqueue_import(job: VoterImport) -> None:
    from grassroots.voters.tasks import import_voters

    # Enqueue only once the job row is committed, or the worker may not see it yet.
    transaction.on_commit(lambda: import_voters.enqueue(job.pk))
