from __future__ import annotations

from django_tasks import task

from grassroots.events.reminders import send_event_emails


@task()
def send_event_emails_task() -> str:
    """Reminders and follow-ups in the background worker (enqueue it hourly, or run the command)."""
    sent = send_event_emails()
    return f"{sent.reminders} reminders, {sent.thanked} thanks, {sent.missed} missed-you"
