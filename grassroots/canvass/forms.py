"""Forms of canvassing pages: writing a script's questions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from grassroots.canvass import scripts
from grassroots.canvass.models import Question, Script


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.replace("\n", ",").split(",") if item.strip()]


class ScriptForm(forms.ModelForm):
    class Meta:
        model = Script
        fields = ["name", "introduction"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 3})}


class QuestionForm(forms.ModelForm):
    """A question as an organizer writes it: choices and values typed as comma-separated text,
    turned into typed answers by the question they belong to (``scripts.parse_value``)."""

    choices_text = forms.CharField(
        label=_("Choices"), required=False, help_text=_("For a question with choices: one per line or comma.")
    )
    ask_if_key = forms.ChoiceField(label=_("Ask only after"), required=False)
    ask_if_text = forms.CharField(
        label=_("…was answered"),
        required=False,
        help_text=_("Answers, comma-separated: yes, no, 4, 5, a choice."),
    )
    trigger_text = forms.CharField(
        label=_("Answers that call for an organizer"),
        required=False,
        help_text=_("Comma-separated; for a text question, any answer does."),
    )

    class Meta:
        model = Question
        fields = ["key", "label", "kind", "scale_min", "scale_max", "tag", "follow_up"]
        labels = {"key": _("Key"), "tag": _("Tag the person"), "follow_up": _("Follow-up for an organizer")}
        help_texts = {"key": _("Short name the answers are stored under, e.g. rent_increase.")}

    def __init__(self, *args: Any, script: Script, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.script = script
        others = script.questions.exclude(pk=self.instance.pk) if self.instance.pk else script.questions.all()
        if self.instance.pk:
            others = others.filter(position__lt=self.instance.position)
        self.earlier = list(others.order_by("position", "id"))
        follows = self.fields["ask_if_key"]
        assert isinstance(follows, forms.ChoiceField)
        follows.choices = [("", _("(always asked)"))] + [(q.key, q.label) for q in self.earlier]
        if self.instance.pk:
            show = scripts.show_value
            self.initial.update(
                choices_text=", ".join(self.instance.choices),
                ask_if_key=self.instance.ask_if_key,
                ask_if_text=", ".join(show(v) for v in self.instance.ask_if_values),
                trigger_text=", ".join(show(v) for v in self.instance.trigger_values),
            )

    def clean_key(self) -> str:
        key: str = self.cleaned_data["key"]
        taken = self.script.questions.filter(key=key).exclude(pk=self.instance.pk or 0).exists()
        if taken:
            raise ValidationError(_("This script already has a question with this key."))
        return key

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        question = self.instance
        for name in ("key", "label", "kind", "scale_min", "scale_max", "tag", "follow_up"):
            if name in data:
                setattr(question, name, data[name])
        question.script = self.script
        question.choices = _items(data.get("choices_text", "")) if data.get("kind") == "choice" else []
        question.ask_if_key = data.get("ask_if_key") or ""
        errors = []
        try:
            question.trigger_values = [
                scripts.parse_value(question, v) for v in _items(data.get("trigger_text", ""))
            ]
        except ValueError as exc:
            errors.append(str(exc))
        question.ask_if_values = []
        follows = next((q for q in self.earlier if q.key == question.ask_if_key), None)
        if follows is not None:
            try:
                question.ask_if_values = [
                    scripts.parse_value(follows, v) for v in _items(data.get("ask_if_text", ""))
                ]
            except ValueError as exc:
                errors.append(str(exc))
        if not errors and "kind" in data:
            try:
                scripts.check_question(question, self.earlier)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return data
