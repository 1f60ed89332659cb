"""One pydantic model per OSDI resource, as the API reads and writes it (the OpenAPI document).

Requests accept fields the spec defines beyond those grassroots keeps (``extra="allow"``):
a client sending a person's gender or an event's reminders is not refused, the fields are
just not stored. Responses list exactly what grassroots serves.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field, model_validator

Links = dict[str, Any]


class ErrorOut(Schema):
    error: str
    field: str | None = None


class NoticeOut(Schema):
    notice: str


def _refuse_nul(value: Any, path: str) -> None:
    """PostgreSQL keeps no text with a NUL character in it: such a request is refused, not a 500."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(f"{path or 'The request'} holds a NUL character.")
    if isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key, path)
            _refuse_nul(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _refuse_nul(item, f"{path}.{i}")


class _In(Schema):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    identifiers: list[str] = []
    origin_system: str | None = None
    links: Links = Field(default_factory=dict, alias="_links")

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        _refuse_nul(getattr(data, "_obj", data), "")  # ninja hands the body in a DjangoGetter
        return data


class Resource(Schema):
    model_config = ConfigDict(populate_by_name=True)

    identifiers: list[str]
    origin_system: str
    created_date: str
    modified_date: str
    links: Links = Field(alias="_links")


class AepOut(Schema):
    model_config = ConfigDict(populate_by_name=True)

    motd: str
    vendor_name: str
    product_name: str
    osdi_version: str
    max_pagesize: int
    namespace: str
    links: Links = Field(alias="_links")


class Collection(Schema):
    model_config = ConfigDict(populate_by_name=True)

    total_pages: int
    per_page: int
    page: int
    total_records: int
    links: Links = Field(alias="_links")


# People


class EmailIn(Schema):
    model_config = ConfigDict(extra="allow")

    address: str = Field(max_length=254)
    primary: bool | None = None
    address_type: str | None = None
    status: str | None = None


class PhoneIn(Schema):
    model_config = ConfigDict(extra="allow")

    number: str | int
    primary: bool | None = None
    number_type: str | None = None
    sms_capable: bool | None = None
    status: str | None = None


class PostalAddressIn(Schema):
    model_config = ConfigDict(extra="allow")

    primary: bool | None = None
    address_lines: list[str] = []
    locality: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""


class PersonIn(_In):
    given_name: str | None = Field(None, max_length=100)
    family_name: str | None = Field(None, max_length=100)
    additional_name: str | None = Field(None, max_length=100)
    honorific_suffix: str | None = Field(None, max_length=20)
    email_addresses: list[EmailIn] | None = None
    phone_numbers: list[PhoneIn] | None = None
    postal_addresses: list[PostalAddressIn] | None = None
    custom_fields: dict[str, Any] | None = None


class PersonSignupIn(PersonIn):
    """A person (POST /people), or the signup helper's envelope: ``person`` with tags to add."""

    person: PersonIn | None = None
    add_tags: list[str] = []
    remove_tags: list[str] = []


class EmailOut(Schema):
    address: str
    primary: bool
    status: str | None = None


class PhoneOut(Schema):
    number: str
    primary: bool
    number_type: str
    status: str | None = None


class PostalAddressOut(Schema):
    primary: bool
    address_lines: list[str]
    locality: str
    region: str
    postal_code: str
    country: str


class PersonOut(Resource):
    given_name: str
    family_name: str
    additional_name: str
    honorific_suffix: str
    email_addresses: list[EmailOut]
    phone_numbers: list[PhoneOut]
    postal_addresses: list[PostalAddressOut]
    custom_fields: dict[str, Any]
    browser_url: str


class PeopleOut(Collection):
    embedded: dict[str, list[PersonOut]] = Field(alias="_embedded")


# Tags and taggings


class TagIn(_In):
    name: str = Field(min_length=1, max_length=80)
    description: str | None = None


class TagUpdateIn(_In):
    name: str | None = Field(None, min_length=1, max_length=80)
    description: str | None = None


class TagOut(Resource):
    name: str


class TagsOut(Collection):
    embedded: dict[str, list[TagOut]] = Field(alias="_embedded")


class TaggingIn(_In):
    item_type: str = "osdi:person"


class TaggingOut(Resource):
    item_type: str


class TaggingsOut(Collection):
    embedded: dict[str, list[TaggingOut]] = Field(alias="_embedded")


# Events and attendances


class LocationIn(Schema):
    model_config = ConfigDict(extra="allow")

    venue: str | None = None
    address_lines: list[str] = []
    locality: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    location: dict[str, Any] | None = None


class EventIn(_In):
    title: str | None = Field(None, max_length=200)
    name: str | None = None
    description: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    capacity: int | None = Field(None, ge=0, le=1_000_000)
    visibility: str | None = None
    location: LocationIn | None = None


class LocationOut(Schema):
    venue: str
    address_lines: list[str]
    locality: str
    region: str
    postal_code: str
    country: str
    location: dict[str, Any] | None = None


class EventOut(Resource):
    title: str
    name: str
    description: str
    start_date: str
    end_date: str
    status: str
    type: str
    visibility: str
    capacity: int | None = None
    total_accepted: int
    browser_url: str
    location: LocationOut | None = None


class EventsOut(Collection):
    embedded: dict[str, list[EventOut]] = Field(alias="_embedded")


class AttendanceIn(_In):
    status: str | None = None
    action_date: str | None = None
    referrer_data: dict[str, Any] | None = None


class AttendanceOut(Resource):
    status: str
    attended: bool
    action_date: str
    referrer_data: dict[str, Any]


class AttendancesOut(Collection):
    embedded: dict[str, list[AttendanceOut]] = Field(alias="_embedded")


class RecordIn(_In):
    """The record helpers' envelope: the person, and tags to add to them."""

    person: PersonIn
    add_tags: list[str] = []


class RecordAttendanceIn(RecordIn):
    status: str | None = None
    referrer_data: dict[str, Any] | None = None


# Forms, petitions, submissions and signatures


class FormIn(_In):
    title: str | None = Field(None, max_length=200)
    name: str | None = None
    description: str | None = None
    target: list[dict[str, Any]] | None = None


class FormOut(Resource):
    title: str
    name: str
    description: str
    browser_url: str
    total_submissions: int | None = None
    total_signatures: int | None = None
    target: list[dict[str, Any]] | None = None


class FormsOut(Collection):
    embedded: dict[str, list[FormOut]] = Field(alias="_embedded")


class SubmissionIn(_In):
    comments: str | None = None


class SubmissionOut(Resource):
    action_date: str
    referrer_data: dict[str, Any]
    comments: str | None = None


class SubmissionsOut(Collection):
    embedded: dict[str, list[SubmissionOut]] = Field(alias="_embedded")


class RecordSubmissionIn(RecordIn):
    comments: str | None = None


# Lists and items


class ListIn(_In):
    name: str | None = Field(None, max_length=80)
    title: str | None = Field(None, max_length=80)
    summary: str | None = None
    description: str | None = None


class ListOut(Resource):
    name: str
    title: str
    total_items: int
    browser_url: str


class ListsOut(Collection):
    embedded: dict[str, list[ListOut]] = Field(alias="_embedded")


class ItemIn(TaggingIn):
    pass


class ItemOut(Resource):
    item_type: str


class ItemsOut(Collection):
    embedded: dict[str, list[ItemOut]] = Field(alias="_embedded")


# Scripts, questions and answers


class ResponseOut(Schema):
    key: str
    name: str
    title: str


class Described(Resource):
    """The names OSDI gives questions, scripts and canvassing efforts."""

    name: str
    title: str
    description: str
    summary: str


class QuestionOut(Described):
    question_type: str
    responses: list[ResponseOut]


class ResponseIn(Schema):
    key: str | None = Field(None, max_length=100)
    name: str | None = Field(None, max_length=100)
    title: str | None = Field(None, max_length=100)


class QuestionIn(_In):
    """A question: its name (its key), title (what is asked), question_type (SingleChoice,
    MultiChoice, YesNo, Scale or Paragraph) and responses (the choices); ``_links.osdi:script``
    puts it in a script."""

    name: str | None = Field(None, max_length=300)
    title: str | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=2000)
    summary: str | None = Field(None, max_length=2000)
    question_type: str | None = Field(None, max_length=40)
    responses: list[ResponseIn] | None = None


class QuestionsOut(Collection):
    embedded: dict[str, list[QuestionOut]] = Field(alias="_embedded")


class AnswerOut(Resource):
    action_date: str
    responses: list[str] | None = None
    value: str | None = None


class AnswersOut(Collection):
    embedded: dict[str, list[AnswerOut]] = Field(alias="_embedded")


class ScriptOut(Described):
    pass


class ScriptIn(_In):
    """A script: its name (or title), description (what the canvasser says first) and, in grassroots,
    ``questions``: its own questions' hrefs or ids in the order they are asked."""

    name: str | None = Field(None, max_length=200)
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)
    summary: str | None = Field(None, max_length=5000)
    questions: list[str] | None = Field(None, max_length=200)


class ScriptsOut(Collection):
    embedded: dict[str, list[ScriptOut]] = Field(alias="_embedded")


class ScriptQuestionOut(Resource):
    sequence: int
    embedded: dict[str, QuestionOut] = Field(alias="_embedded")


class ScriptQuestionsOut(Collection):
    embedded: dict[str, list[ScriptQuestionOut]] = Field(alias="_embedded")


# Canvassing efforts and canvasses


class EffortAreaOut(Schema):
    id: str
    name: str
    kind: str


class CanvassingEffortOut(Described):
    type: str
    total_canvasses: int
    start_time: str | None = None
    end_time: str | None = None
    areas: list[EffortAreaOut] = []


class CanvassingEffortIn(_In):
    """A canvassing effort: its name, title, description, start_time and end_time (its shift),
    type (in-person: grassroots knocks on doors), ``_links.osdi:script`` (the script it asks; the
    standard door script when none) and, in grassroots, ``areas``: the ids of the areas whose doors
    it knocks (the areas the token's user works in when not given)."""

    name: str | None = Field(None, max_length=200)
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)
    summary: str | None = Field(None, max_length=5000)
    start_time: str | None = Field(None, max_length=40)
    end_time: str | None = Field(None, max_length=40)
    type: str | None = Field(None, max_length=40)
    areas: list[str] | None = Field(None, max_length=500)


class CanvassingEffortsOut(Collection):
    embedded: dict[str, list[CanvassingEffortOut]] = Field(alias="_embedded")


class CanvassOut(Resource):
    action_date: str
    contact_type: str
    input_type: str
    success: bool
    status_code: str


class CanvassesOut(Collection):
    embedded: dict[str, list[CanvassOut]] = Field(alias="_embedded")


class CanvassIn(_In):
    action_date: str | None = None
    contact_type: str | None = None
    input_type: str | None = None
    success: bool | None = None
    status_code: str | None = Field(None, max_length=40)
    language: str | None = Field(None, max_length=40)
    note: str | None = Field(None, max_length=2000)


class QuestionResponseIn(Schema):
    """An answer in a record canvass helper: the question's href or id, and its responses or value."""

    model_config = ConfigDict(extra="allow")

    question: str = Field(max_length=500)
    responses: list[str | int | bool] | None = None
    value: str | int | bool | None = None


class RecordCanvassIn(_In):
    """The record canvass helper's envelope: the canvass, whom it was with, their answers, tags."""

    canvass: CanvassIn | None = None
    person: PersonIn | None = None
    add_answers: list[QuestionResponseIn] = []
    add_questions_responses_uri: list[QuestionResponseIn] = []
    add_tags: list[str] = []
