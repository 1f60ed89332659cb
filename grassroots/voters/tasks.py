from __future__ import annotations

from django_tasks import task

from grassroots.voters.importer import run_import
from grassroots.voters.models import VoterImport


@task()
def import_voters(import_id: int) -> str:
    """Run one voter import in the background worker; the web page polls its progress."""
    job = VoterImport.objects.get(pk=import_id)
    return run_import(job).status
