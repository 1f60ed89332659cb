"""Voter pages: imports (upload, progress, errors, column mapping), voter search and page, review queue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from grassroots.accounts import access
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.lib.exports import csv_response
from grassroots.lib.uploads import UploadRefused, check_upload, refused_upload
from grassroots.voters.actions import check_voter_file, do_create_import, do_enqueue_import, store_upload
from grassroots.voters.layouts import LAYOUTS, LayoutError, open_voter_file
from grassroots.voters.linking import do_decide_review
from grassroots.voters.models import ColumnMapping, MatchReview, VoterImport, VoterRecord

MAPPABLE_FIELDS = [
    ("voter_id", True), ("first_name", True), ("last_name", True), ("middle_name", False), ("suffix", False),
    ("birth_date", False), ("birth_year", False), ("street_line", False), ("unit", False), ("city", False),
    ("residence_state", False), ("postal_code", False), ("party", False), ("status", False),
    ("registration_date", False), ("precinct", False), ("county", False), ("phone", False), ("email", False),
    ("gender", False),
]  # fmt: skip


def _importer(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not access.can_import(user):
        raise PermissionDenied("Only organizers and administrators import voter files.")
    return user


class UploadForm(forms.Form):
    file = forms.FileField(label="Voter file")
    history = forms.FileField(label="Vote-history file (optional)", required=False)
    layout = forms.ChoiceField(
        choices=[("auto", "Detect from the file"), *[(k, v.name) for k, v in LAYOUTS.items()],
                 ("csv", "Another CSV: map its columns")],
    )  # fmt: skip
    mapping = forms.ModelChoiceField(
        ColumnMapping.objects.all(), required=False, label="Saved column mapping (for another CSV)"
    )

    @staticmethod
    def _checked(upload: UploadedFile | None) -> UploadedFile | None:
        """The upload, when it is text within UPLOAD_MAX_BYTES: nothing of it is kept otherwise."""
        if upload is not None:
            try:
                check_upload(upload)
            except UploadRefused as exc:
                raise ValidationError(str(exc)) from None
        return upload

    def clean_file(self) -> UploadedFile | None:
        return self._checked(self.cleaned_data.get("file"))

    def clean_history(self) -> UploadedFile | None:
        return self._checked(self.cleaned_data.get("history"))


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    user = _importer(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if refused := refused_upload(request):
        # The upload was stopped part-way (lib.uploads): say why, not that the file is missing.
        form.is_valid()
        form.errors["file"] = form.error_class([refused])
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        path = store_upload(upload, upload.name)
        history = form.cleaned_data["history"]
        history_path = store_upload(history, history.name) if history else None
        layout, mapping = form.cleaned_data["layout"], form.cleaned_data["mapping"]
        if mapping is not None:
            layout = "csv"
        try:
            check_voter_file(path, layout)
        except LayoutError as exc:
            path.unlink(missing_ok=True)
            if history_path:
                history_path.unlink(missing_ok=True)
            form.add_error("file", str(exc))
        else:
            return _start(user, form, path, history_path, layout)
    imports = VoterImport.objects.all()[:50]
    status = 400 if request.method == "POST" else 200
    return render(request, "voters/imports.html", {"form": form, "imports": imports}, status=status)


def _start(user: User, form: UploadForm, path: Path, history_path: Path | None, layout: str) -> HttpResponse:
    upload, mapping = form.cleaned_data["file"], form.cleaned_data["mapping"]
    job = do_create_import(
        user,
        file_path=path,
        file_name=upload.name,
        layout=layout,
        history_path=history_path,
        mapping=mapping,
    )
    if layout == "csv" and mapping is None:
        return redirect("voter_import_mapping", public_id=job.public_id)
    do_enqueue_import(job)
    return redirect("voter_import_detail", public_id=job.public_id)


def _job(public_id: str) -> VoterImport:
    job = VoterImport.objects.filter(public_id=access.parse_public_id(public_id)).first()
    if job is None:
        raise Http404("No such import.")
    return job


@login_required
def import_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _importer(request)
    job = _job(public_id)
    template = "voters/_progress.html" if request.headers.get("HX-Request") else "voters/import.html"
    rows = access.may_read_import_rows(user, job)
    errors = job.row_errors.all()[:20] if rows else []
    return render(request, template, {"job": job, "errors": errors, "rows_readable": rows})


@login_required
def import_errors_csv(request: HttpRequest, public_id: str) -> StreamingHttpResponse:
    user = _importer(request)
    job = _job(public_id)
    if not access.may_read_import_rows(user, job):
        raise PermissionDenied("Only who imported this file, and administrators, may read its rows.")
    record_audit(user, AuditEntry.Verb.EXPORT, "voter_import_errors", job.public_id, rows=job.error_count)
    # The text of a bad row is whatever the file held: the export neutralizes formulas in it.
    body = ([e.file, e.line, e.reason, e.raw] for e in job.row_errors.iterator())
    return csv_response(f"import-{job.public_id}-errors.csv", ["file", "line", "reason", "text"], body)


@login_required
def import_mapping(request: HttpRequest, public_id: str) -> HttpResponse:
    """Map a generic CSV's columns to voter fields, save the mapping by name, and start the import."""
    user = _importer(request)
    job = _job(public_id)
    if job.mapping_id is not None or job.status != VoterImport.Status.QUEUED:
        # Mapped and started already (the form sent twice, or opened again): one run per file.
        return redirect("voter_import_detail", public_id=job.public_id)
    from grassroots.voters.layouts.csv import sniff_columns

    # Read in the encoding the import will find (cp1252, say), or the headers offered would not
    # be those the import looks for.
    stream, _ = open_voter_file(job.file_path)
    with stream:
        head = stream.read(64 * 1024).splitlines()[:5]
    delimiter, headers = sniff_columns(head)
    errors: list[str] = []
    if request.method == "POST":
        mapping = {f: request.POST.get(f, "") for f, _ in MAPPABLE_FIELDS if request.POST.get(f)}
        missing = [f for f, required in MAPPABLE_FIELDS if required and f not in mapping]
        unknown = [c for c in mapping.values() if c not in headers]
        name = request.POST.get("name", "").strip() or f"Mapping for {job.file_name}"
        if missing:
            errors.append("Map these fields: " + ", ".join(missing) + ".")
        if unknown:
            errors.append("These columns are not in the file: " + ", ".join(unknown) + ".")
        if not errors:
            saved, _ = ColumnMapping.objects.update_or_create(
                name=name[:100],
                defaults={"mapping": mapping, "state": request.POST.get("state", "")[:2].upper(),
                          "date_format": request.POST.get("date_format") or "%m/%d/%Y",
                          "delimiter": delimiter, "created_by": user},
            )  # fmt: skip
            job.mapping, job.layout = saved, "csv"
            job.save(update_fields=["mapping", "layout"])
            do_enqueue_import(job)
            return redirect("voter_import_detail", public_id=job.public_id)
    context = {
        "job": job,
        "headers": headers,
        "fields": MAPPABLE_FIELDS,
        "errors": errors,
        "post": request.POST,
    }
    return render(request, "voters/mapping.html", context)


@login_required
def voter_list(request: HttpRequest) -> HttpResponse:
    voters = access.voters_visible_to(request.user).select_related("household")
    q = request.GET.get("q", "").strip()[:200]
    for word in q.split()[:6]:
        # Voter files mostly shout (PEÑA): the upper-cased word finds non-ASCII letters on SQLite too,
        # whose case-insensitive matching knows only ASCII.
        shout = word.upper()
        voters = voters.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(first_name__contains=shout)
            | Q(last_name__contains=shout) | Q(voter_id__iexact=word) | Q(street_line__icontains=word)
            | Q(precinct__iexact=word)
        )  # fmt: skip
    if request.GET.get("status"):
        voters = voters.filter(status=request.GET["status"])
    if request.GET.get("party"):
        voters = voters.filter(party=request.GET["party"])
    page = Paginator(voters, 50).get_page(request.GET.get("page"))
    record_audit(request.user, AuditEntry.Verb.SEARCH, "voter", "", query=q, shown=len(page.object_list))
    template = "voters/_results.html" if request.headers.get("HX-Request") else "voters/list.html"
    return render(request, template, {"page": page, "q": q})


@login_required
def voter_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    record = access.access_voter(request.user, public_id)
    record_audit(request.user, AuditEntry.Verb.VIEW, "voter", record.public_id)
    context: dict[str, Any] = {
        "record": record,
        "status_label": record.label("status"),
        "party_label": record.label("party"),
        "race_label": record.label("race"),
        "ethnicity_label": record.label("ethnicity"),
        "county_label": record.label("county"),
        "history": record.history.all()[:100],
        "changes": record.changes.all()[:20],
        "housemates": access.voters_visible_to(request.user)
        .filter(household=record.household)
        .exclude(pk=record.pk)
        if record.household_id
        else VoterRecord.objects.none(),
    }
    return render(request, "voters/detail.html", context)


def _reviews_for(user: Any) -> Any:
    """Reviews whose person and voter record the user may both see."""
    people = access.people_visible_to(user)
    voters = access.voters_visible_to(user)
    return MatchReview.objects.filter(
        Q(record__in=voters.values("pk")) | Q(record__isnull=True, other_person__in=people.values("pk")),
        person__in=people.values("pk"),
    )


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    if not getattr(request.user, "can_edit_people", False):
        raise PermissionDenied("Your role may not decide matches.")
    reviews = (
        _reviews_for(request.user)
        .filter(decision__in=[MatchReview.Decision.PENDING, MatchReview.Decision.UNSURE])
        .select_related(
            "record", "person", "person__household", "record__household", "other_person__household"
        )
    )
    page = Paginator(reviews, 25).get_page(request.GET.get("page"))
    # Each review shows a person beside a voter record: names, addresses, birth dates.
    record_audit(
        request.user,
        AuditEntry.Verb.SEARCH,
        "match_review",
        "",
        page=page.number,
        shown=len(page.object_list),
    )
    return render(request, "voters/reviews.html", {"page": page})


@login_required
@require_POST
def review_decide(request: HttpRequest, public_id: str) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not user.can_edit_people:
        raise PermissionDenied("Your role may not decide matches.")
    review = _reviews_for(user).filter(public_id=access.parse_public_id(public_id)).first()
    decision = request.POST.get("decision", "")
    if review is None:
        raise Http404("No such review.")
    if decision not in {d.value for d in MatchReview.Decision} - {MatchReview.Decision.PENDING}:
        messages.error(request, "Choose: same person, different people, or not sure.")
    else:
        try:
            do_decide_review(user, review, decision)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Recorded: {MatchReview.Decision(decision).label}.")
    return redirect("voter_review_list")
