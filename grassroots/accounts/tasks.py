from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task

from grassroots.accounts.models import User


@task()
def tell_owner_task(user_id: int, what: str, at: str, address: str) -> str:
    """E-mail the owner of an account that its second factor changed (accounts.actions.tell_owner),
    in the background worker: a mail server slow to answer does not hold the page that changed it."""
    user = User.objects.get(pk=user_id)
    if not user.email:
        return "no address"
    context = {"user": user.username, "what": what, "at": at, "address": address}
    body = render_to_string("accounts/email/two_factor_changed.txt", context)
    subject = "grassroots: the second factor of your account changed"
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return "sent"
