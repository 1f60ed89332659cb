"""The form that turns a new proposal into the data decisions.actions expects."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.decisions.actions import ProposalData
from grassroots.decisions.models import Proposal


def _in_a_week() -> datetime.datetime:
    moment = timezone.localtime() + datetime.timedelta(days=7)
    return moment.replace(hour=20, minute=0, second=0, microsecond=0)


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    method = forms.ChoiceField(label=_("Decision method"), choices=Proposal.Method.choices)
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        initial=_in_a_week,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    quorum = forms.IntegerField(label=_("Quorum (voters)"), min_value=0, initial=0)
    secret = forms.BooleanField(label=_("Secret ballot"), required=False)
    seats = forms.IntegerField(label=_("Seats (single transferable vote)"), min_value=1, initial=1)
    threshold = forms.ChoiceField(
        label=_("Supermajority"),
        choices=[("2/3", _("two thirds")), ("3/5", _("three fifths")), ("3/4", _("three quarters"))],
        initial="2/3",
    )
    options = forms.CharField(
        label=_("Options or candidates, one a line (ranked choice)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def proposal_data(self) -> ProposalData:
        data = self.cleaned_data
        numerator, denominator = (int(part) for part in data["threshold"].split("/"))
        return ProposalData(
            title=data["title"],
            text=data["text"],
            method=data["method"],
            deadline=data["deadline"],
            quorum=data["quorum"],
            secret=data["secret"],
            seats=data["seats"],
            threshold=(numerator, denominator),
            options=[line.strip() for line in data["options"].splitlines() if line.strip()],
        )
