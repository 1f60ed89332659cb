"""Forms and their submissions, petitions and their signatures, on grassroots.events.

Both are events.SignupForm (a petition is one of kind ``petition``); a submission or a signature
is an events.Submission, taken through events.actions.do_submit_form as the public page takes it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Query

from grassroots.accounts import access
from grassroots.accounts.models import AuditEntry
from grassroots.api import hal
from grassroots.api.odata import Field, dates
from grassroots.api.resources import people as people_resource
from grassroots.api.resources.common import ListQuery, page_of
from grassroots.api.resources.events import arrival_of
from grassroots.api.schemas import (
    FormIn,
    FormOut,
    FormsOut,
    NoticeOut,
    RecordSubmissionIn,
    SubmissionIn,
    SubmissionOut,
    SubmissionsOut,
)
from grassroots.api.server import audit, entry, require_write, route, user_of
from grassroots.events import access as event_access
from grassroots.events import actions as event_actions
from grassroots.events.models import SignupForm, Submission
from grassroots.people.models import Person

Verb = AuditEntry.Verb
FILTERS = {**dates("created_at", "updated_at"), "title": Field("title")}
SUBMISSION_FILTERS = dates("created_at", "created_at")


def _register(kind: str, plural: str, items: str, helper: str, counter: str) -> None:
    """The routes of one kind of form: ``forms``/``submissions`` or ``petitions``/``signatures``."""
    tags = [plural]
    singular, item = plural[:-1], items[:-1]

    def form_json(request: HttpRequest, form: SignupForm) -> dict[str, Any]:
        data = {
            **hal.stamp(form.public_id, form.created_at, form.updated_at),
            "title": form.title,
            "name": form.slug,
            "description": form.introduction,
            "browser_url": request.build_absolute_uri(f"/f/{form.slug}/"),
            counter: form.submissions.count(),
            "_links": {
                "self": hal.href(request, plural, form.public_id),
                f"osdi:{items}": hal.href(request, plural, form.public_id, items),
                f"osdi:{helper}": hal.href(request, plural, form.public_id, helper),
            },
        }
        if kind == SignupForm.Kind.PETITION:
            data["target"] = [{"name": form.addressee}] if form.addressee else []
        return data

    def submission_json(request: HttpRequest, submission: Submission) -> dict[str, Any]:
        form_id = submission.form.public_id
        return {
            **hal.stamp(submission.public_id, submission.created_at, submission.created_at),
            "action_date": hal.osdi_date(submission.created_at),
            "referrer_data": {"source": "referral" if submission.referred_by_id else ""},
            "comments": str(submission.answers.get("comments", "")),
            "_links": {
                "self": hal.href(request, plural, form_id, items, submission.public_id),
                f"osdi:{singular}": hal.href(request, plural, form_id),
                "osdi:person": hal.href(request, "people", submission.person.public_id),
            },
        }

    def forms_of(request: HttpRequest) -> Any:
        return event_access.forms_visible_to(user_of(request)).filter(kind=kind).order_by("id")

    def form_of(request: HttpRequest, form_id: str, *, write: bool = False) -> SignupForm:
        user = require_write(request) if write else user_of(request)
        form = event_access.access_form(user, form_id, write=write)
        if form.kind != kind:
            raise Http404(f"No such {singular}.")
        return form

    def submissions_of(request: HttpRequest) -> Any:
        people = access.people_visible_to(user_of(request))
        return (
            Submission.objects.filter(person__in=people.values("pk"))
            .select_related("form", "person")
            .order_by("id")
        )

    def take(request: HttpRequest, form: SignupForm, person: Person, comments: str | None) -> dict[str, Any]:
        require_write(request)
        if not (person.emails.exists() or person.phones.exists()):
            raise ValidationError({"person": "The person needs an email address or a phone number."})
        answers = {"comments": comments} if comments else {}
        outcome = event_actions.do_submit_form(form, arrival_of(person), answers, person=person)
        return submission_json(request, submissions_of(request).get(pk=outcome.submission.pk))

    def list_forms(request: HttpRequest, params: Query[ListQuery]) -> dict[str, Any]:
        page = page_of(forms_of(request), params, FILTERS)
        return hal.collection(request, plural, page, lambda f: form_json(request, f), plural)

    def get_form(request: HttpRequest, form_id: str) -> dict[str, Any]:
        return form_json(request, form_of(request, form_id))

    def create_form(request: HttpRequest, body: FormIn) -> dict[str, Any]:
        user = require_write(request)
        title = (body.title or body.name or "").strip()
        if not title:
            raise ValidationError({"title": f"Give the {singular} a title."})
        addressee = ""
        if body.target:
            addressee = ", ".join(str(t.get("name", "")) for t in body.target if t.get("name"))
        data = event_actions.FormData(
            title, kind=kind, introduction=body.description or "", addressee=addressee,
            area=people_resource._filing_area(user),
        )  # fmt: skip
        return form_json(request, event_actions.do_create_form(user, data))

    def list_submissions(request: HttpRequest, form_id: str, params: Query[ListQuery]) -> dict[str, Any]:
        form = form_of(request, form_id)
        page = page_of(submissions_of(request).filter(form=form), params, SUBMISSION_FILTERS)
        audit(request, Verb.VIEW, "person", "", **{singular: str(form.public_id)},
              shown=[str(s.person.public_id) for s in page.items])  # fmt: skip
        return hal.collection(
            request, items, page, lambda s: submission_json(request, s), plural, form_id, items
        )

    def get_submission(request: HttpRequest, form_id: str, submission_id: str) -> dict[str, Any]:
        form = form_of(request, form_id)
        found = (
            submissions_of(request).filter(form=form, public_id=access.parse_public_id(submission_id)).first()
        )
        if found is None:
            raise Http404(f"No such {item}.")
        audit(request, Verb.VIEW, "person", found.person.public_id, **{item: str(found.public_id)})
        return submission_json(request, found)

    def create_submission(request: HttpRequest, form_id: str, body: SubmissionIn) -> dict[str, Any]:
        user = require_write(request)
        form = form_of(request, form_id)
        person_id = hal.linked_id(body.links, "osdi:person")
        if not person_id:
            raise ValidationError({"_links.osdi:person": "Link the person (osdi:person)."})
        return take(request, form, access.access_person(user, person_id, write=True), body.comments)

    def record_helper(request: HttpRequest, form_id: str, body: RecordSubmissionIn) -> dict[str, Any]:
        form = form_of(request, form_id)
        person = people_resource.signup(request, body.person, body.add_tags, [])
        return take(request, form, person, body.comments)

    def list_person_submissions(
        request: HttpRequest, person_id: str, params: Query[ListQuery]
    ) -> dict[str, Any]:
        person = access.access_person(user_of(request), person_id)
        page = page_of(
            submissions_of(request).filter(person=person, form__kind=kind), params, SUBMISSION_FILTERS
        )
        audit(request, Verb.VIEW, "person", person.public_id, what=items)
        return hal.collection(
            request, items, page, lambda s: submission_json(request, s), "people", person_id, items
        )

    def delete_form(request: HttpRequest, form_id: str) -> dict[str, Any]:
        """A form with submissions is history: it is closed, not deleted (as an event is cancelled)."""
        user = require_write(request)
        event_actions.do_set_form_open(user, form_of(request, form_id, write=True), False)
        return {"notice": f"This {singular} was closed."}

    for view, methods, path, response, summary in (
        (list_forms, ["GET"], f"/{plural}", FormsOut, f"List {plural}"),
        (delete_form, ["DELETE"], f"/{plural}/{{form_id}}", NoticeOut, f"Close a {singular}"),
        (create_form, ["POST"], f"/{plural}", FormOut, f"Add a {singular}"),
        (get_form, ["GET"], f"/{plural}/{{form_id}}", FormOut, f"Read a {singular}"),
        (
            list_submissions,
            ["GET"],
            f"/{plural}/{{form_id}}/{items}",
            SubmissionsOut,
            f"A {singular}'s {items}",
        ),
        (create_submission, ["POST"], f"/{plural}/{{form_id}}/{items}", SubmissionOut, f"Record a {item}"),
        (
            get_submission,
            ["GET"],
            f"/{plural}/{{form_id}}/{items}/{{submission_id}}",
            SubmissionOut,
            f"Read a {item}",
        ),
        (record_helper, ["POST"], f"/{plural}/{{form_id}}/{helper}", SubmissionOut, f"Record {item} helper"),
        (
            list_person_submissions,
            ["GET"],
            f"/people/{{person_id}}/{items}",
            SubmissionsOut,
            f"A person's {items}",
        ),
    ):
        view.__name__ = f"{view.__name__}_{plural}"
        route(methods, path, response=response, summary=summary, tags=tags)(view)
    people_resource.PERSON_RELS.append(items)
    entry(plural, plural, f"The collection of {plural} in the system")


_register(SignupForm.Kind.SIGNUP, "forms", "submissions", "record_submission_helper", "total_submissions")
_register(SignupForm.Kind.PETITION, "petitions", "signatures", "record_signature_helper", "total_signatures")
