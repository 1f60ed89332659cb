"""Pages where organizers write door scripts: the list, one script with its questions, one question."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.accounts import access
from grassroots.canvass import scripts
from grassroots.canvass.forms import QuestionForm, ScriptForm
from grassroots.canvass.models import Question, Script


def _organizer(request: HttpRequest) -> None:
    if not getattr(request.user, "can_edit_people", False):
        raise PermissionDenied("Scripts are written by organizers and coordinators.")


def _script(public_id: str) -> Script:
    script = Script.objects.filter(public_id=access.parse_public_id(public_id)).first()
    if script is None:
        raise Http404("No such script.")
    return script


@login_required
def script_list(request: HttpRequest) -> HttpResponse:
    _organizer(request)
    form = ScriptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        script = form.save(commit=False)
        script.created_by = request.user
        script.save()
        return redirect("script_detail", public_id=script.public_id)
    # Distinct: counted across two joins, each count would be multiplied by the other.
    listed = Script.objects.annotate(
        question_count=Count("questions", distinct=True), universe_count=Count("universes", distinct=True)
    )
    return render(request, "canvass/scripts.html", {"scripts": listed, "form": form})


@login_required
def script_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """The script's questions in order and a form to add one; POST "intro" edits name and introduction."""
    _organizer(request)
    script = _script(public_id)
    script_form = ScriptForm(instance=script)
    form = QuestionForm(script=script)
    if request.method == "POST" and "intro" in request.POST:
        script_form = ScriptForm(request.POST, instance=script)
        if script_form.is_valid():
            script_form.save()
            return redirect("script_detail", public_id=script.public_id)
    elif request.method == "POST":
        form = QuestionForm(request.POST, script=script)
        if form.is_valid():
            question = form.save(commit=False)
            question.position = (script.questions.aggregate(m=Max("position"))["m"] or 0) + 1
            question.save()
            messages.success(request, _("Question added."))
            return redirect("script_detail", public_id=script.public_id)
    questions = list(script.questions.all())
    labels = {q.key: q.label for q in questions}
    for q in questions:
        q.follows = labels.get(q.ask_if_key, "")  # type: ignore[attr-defined]
        q.follows_values = ", ".join(scripts.show_value(v) for v in q.ask_if_values)  # type: ignore[attr-defined]
    context = {"script": script, "questions": questions, "form": form, "script_form": script_form}
    return render(request, "canvass/script.html", context)


@login_required
def question_edit(request: HttpRequest, public_id: str, key: str) -> HttpResponse:
    _organizer(request)
    script = _script(public_id)
    question = script.questions.filter(key=key).first()
    if question is None:
        raise Http404("No such question.")
    form = QuestionForm(request.POST or None, instance=question, script=script)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("script_detail", public_id=script.public_id)
    return render(request, "canvass/question.html", {"script": script, "question": question, "form": form})


@login_required
@require_POST
def question_change(request: HttpRequest, public_id: str, key: str) -> HttpResponse:
    """Move a question up or down, retire it (answered) or delete it (never answered), or bring it back."""
    _organizer(request)
    script = _script(public_id)
    question = script.questions.filter(key=key).first()
    if question is None:
        raise Http404("No such question.")
    change = request.POST.get("change")
    if change in ("up", "down"):
        _move(script, question, -1 if change == "up" else 1)
    elif change == "retire":
        if script.questions.filter(ask_if_key=question.key, retired_at__isnull=True).exists():
            messages.error(request, _("Other questions follow this one: retire or change them first."))
        elif scripts.is_answered(question):
            question.retired_at = timezone.now()
            question.save(update_fields=["retired_at"])
            messages.success(request, _("Retired: no longer asked; the answers already given are kept."))
        else:
            question.delete()
            messages.success(request, _("Deleted: no door had answered it yet."))
    elif change == "restore":
        question.retired_at = None
        question.save(update_fields=["retired_at"])
    return redirect("script_detail", public_id=script.public_id)


@transaction.atomic
def _move(script: Script, question: Question, step: int) -> None:
    """Swap with the neighbour, unless that would ask a question before the one it follows."""
    ordered = list(script.questions.order_by("position", "id"))
    i = ordered.index(question)
    j = i + step
    if not 0 <= j < len(ordered):
        return
    first, second = (ordered[j], question) if step < 0 else (question, ordered[j])
    if second.ask_if_key == first.key:
        return
    ordered[i], ordered[j] = ordered[j], ordered[i]
    for position, q in enumerate(ordered):
        if q.position != position:
            q.position = position
            q.save(update_fields=["position"])
