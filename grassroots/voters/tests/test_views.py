"""The voter pages: upload and progress, error report, column mapping, search, voter page, review queue."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import AuditEntry, Role
from grassroots.people.models import Person
from grassroots.places.models import Area, Household
from grassroots.testing import make_area, make_person, make_user
from grassroots.voters import samples
from grassroots.voters.models import ColumnMapping, MatchReview, VoterImport, VoterRecord

pytestmark = pytest.mark.django_db


def nc_file(rows: list[dict[str, Any]], name: str = "ncvoter92.txt", tail: bytes = b"") -> SimpleUploadedFile:
    text = io.StringIO(newline="")
    samples.write_nc(text, rows)
    return SimpleUploadedFile(name, text.getvalue().encode() + tail)


def row(voter_id: str, first: str, last: str, street: str, **extra: Any) -> dict[str, Any]:
    return {"voter_id": voter_id, "first_name": first, "last_name": last, "street_line": street, **extra}


ROWS = [
    row("AB1", "ANA", "PEÑA", "12 ELM AVE", party="DEM", precinct="01-01", birth_year=1980),
    row("AB2", "BO", "CHEN", "12 ELM AVE", party="REP", precinct="01-01", birth_year=1982),
    row("AB3", "CARLA", "DIAZ", "7 PINE RD", party="UNA", precinct="01-02", birth_year=1975),
]
JOANNA = row("AA6", "JOANNA", "WHITFIELD", "18 CEDAR CT", birth_year=1983)


@pytest.fixture
def organizer() -> Any:
    return make_user("organizer", Role.ORGANIZER, is_superuser=False)


@pytest.fixture
def admin_client(client: Client) -> Client:
    client.force_login(make_user("admin", Role.ADMIN))
    return client


@pytest.fixture(autouse=True)
def _on_commit(django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The import is enqueued once the upload's transaction commits; tests run inside one, so
    ``post`` runs those callbacks as the request ends, as a real commit would."""
    monkeypatch.setitem(_hooks, "capture", django_capture_on_commit_callbacks)


_hooks: dict[str, Any] = {}


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    with _hooks["capture"](execute=True):
        return client.post(url, data)


def upload(client: Client, file: SimpleUploadedFile, **data: Any) -> Any:
    return post(client, reverse("voter_import_list"), {"file": file, "layout": "auto", **data})


def test_an_upload_runs_the_import_and_shows_its_summary(admin_client: Client) -> None:
    broken = b'"AB9"\t"too few"\r\n'
    response = upload(admin_client, nc_file(ROWS, tail=broken))
    job = VoterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("voter_import_detail", args=[job.public_id])
    page = admin_client.get(response["Location"])
    body = page.content.decode()
    assert 'data-status="done"' in body
    assert 'id="count-created">3<' in body
    assert 'id="count-errors">1<' in body
    assert "line 5" in body
    # The progress partial answers htmx polling, and stops polling once the import is finished.
    partial = admin_client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="progress"') or 'id="progress"' in partial[:200]
    assert "hx-trigger" not in partial


def test_the_error_report_is_a_csv_with_line_numbers_and_is_audited(admin_client: Client) -> None:
    upload(admin_client, nc_file(ROWS, tail=b'"AB9"\t"too few"\r\n'))
    job = VoterImport.objects.get()
    response = admin_client.get(reverse("voter_import_errors", args=[job.public_id]))
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == ["file", "line", "reason", "text"]
    assert [(r[0], r[1]) for r in rows[1:]] == [("voters", "5")]
    assert "field" in rows[1][2]
    assert AuditEntry.objects.filter(verb=AuditEntry.Verb.EXPORT, object_type="voter_import_errors").exists()


def test_an_organizer_of_one_area_reads_no_rows_of_a_file_someone_else_imported(
    admin_client: Client, client: Client
) -> None:
    """A file's rows name whoever it holds, wherever they live: an import has no area to scope them by."""
    upload(admin_client, nc_file(ROWS, tail=b'"AB9"\t"too few"\r\n'))
    job = VoterImport.objects.get()
    elsewhere = make_area("Elsewhere", "neighborhood")
    client.force_login(make_user("far", Role.ORGANIZER, scope=[elsewhere]))
    assert client.get(reverse("voter_import_errors", args=[job.public_id])).status_code == 403
    page = client.get(reverse("voter_import_detail", args=[job.public_id])).content.decode()
    assert 'id="count-errors">1<' in page
    assert "line 5" not in page
    assert "error-report" not in page


@pytest.mark.parametrize(
    ("content", "layout", "message"),
    [
        (b"", "auto", "empty"),
        (b"a,b\r\n1,2\r\n", "auto", "none of the known layouts"),
        (None, "oh", "does not look"),
    ],
)
def test_a_wrong_or_empty_file_is_refused_before_anything_is_written(
    admin_client: Client, content: bytes | None, layout: str, message: str
) -> None:
    file = nc_file(ROWS) if content is None else SimpleUploadedFile("voters.txt", content)
    response = upload(admin_client, file, layout=layout)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not VoterImport.objects.exists()
    assert not VoterRecord.objects.exists()


def test_a_generic_csv_is_mapped_and_the_mapping_is_saved_for_the_next_file(admin_client: Client) -> None:
    content = (
        b"ID;Given;Family;Street;Born\r\n"
        b"X1;Ana;Pena;12 Elm Ave;04/02/1980\r\n"
        b"X2;Bo;Chen;12 Elm Ave;05/06/1981\r\n"
    )
    response = upload(admin_client, SimpleUploadedFile("list.csv", content), layout="csv")
    job = VoterImport.objects.get()
    assert response["Location"] == reverse("voter_import_mapping", args=[job.public_id])
    page = admin_client.get(response["Location"]).content.decode()
    assert "Given" in page and "Family" in page
    # A mapping missing a required field is refused with a message.
    refused = admin_client.post(response["Location"], {"voter_id": "ID", "first_name": "Given"})
    assert "last_name" in refused.content.decode()
    post(
        admin_client,
        response["Location"],
        {"voter_id": "ID", "first_name": "Given", "last_name": "Family", "street_line": "Street",
         "birth_date": "Born", "state": "ny", "name": "County list"},
    )  # fmt: skip
    job.refresh_from_db()
    assert job.status == VoterImport.Status.DONE, job.message
    assert VoterRecord.objects.filter(state="NY").count() == 2
    saved = ColumnMapping.objects.get(name="County list")
    assert saved.mapping["first_name"] == "Given" and saved.delimiter == ";"
    # The mapping sent again (a second click) starts nothing more and changes no mapping.
    again = admin_client.post(response["Location"], {"voter_id": "ID", "last_name": "Given", "name": "Other"})
    assert again["Location"] == reverse("voter_import_detail", args=[job.public_id])
    assert not ColumnMapping.objects.filter(name="Other").exists()
    # The next file of the same kind uses the saved mapping straight away.
    more = b"ID;Given;Family;Street;Born\r\nX3;Carla;Diaz;7 Pine Rd;01/01/1975\r\n"
    response = upload(admin_client, SimpleUploadedFile("list2.csv", more), layout="csv", mapping=saved.pk)
    assert VoterImport.objects.filter(status=VoterImport.Status.DONE).count() == 2
    assert VoterRecord.objects.get(voter_id="X3").birth_date is not None


def test_the_mapping_page_offers_the_headers_of_a_cp1252_file_as_the_import_reads_them(
    admin_client: Client,
) -> None:
    content = "ID;Prénom;Nom\r\nX1;Zoé;Lefèvre\r\nX2;Ana;Peña\r\n".encode("cp1252")
    response = upload(admin_client, SimpleUploadedFile("liste.csv", content), layout="csv")
    page = admin_client.get(response["Location"]).content.decode()
    assert "Prénom" in page and "\ufffd" not in page
    post(admin_client, response["Location"], {"voter_id": "ID", "first_name": "Prénom", "last_name": "Nom"})
    job = VoterImport.objects.get()
    assert job.status == VoterImport.Status.DONE, job.message
    assert sorted(VoterRecord.objects.values_list("first_name", flat=True)) == ["Ana", "Zoé"]


def test_only_organizers_and_admins_import(client: Client) -> None:
    canvasser = make_user("canvasser", Role.CANVASSER)
    client.force_login(canvasser)
    assert client.get(reverse("voter_import_list")).status_code == 403
    assert upload(client, nc_file(ROWS)).status_code == 403
    assert not VoterImport.objects.exists()


def _imported(admin_client: Client) -> dict[str, VoterRecord]:
    upload(admin_client, nc_file(ROWS))
    return {r.voter_id: r for r in VoterRecord.objects.all()}


def test_voter_search_and_page_are_scoped_and_audited(admin_client: Client, client: Client) -> None:
    records = _imported(admin_client)
    precinct_1 = Area.objects.get(kind="election_district", code="01-01")
    canvasser = make_user("canvasser", Role.CANVASSER, scope=[precinct_1])
    viewer = Client()
    viewer.force_login(canvasser)
    listing = viewer.get(reverse("voter_list"))
    assert sorted(r.voter_id for r in listing.context["page"]) == ["AB1", "AB2"]
    found = viewer.get(reverse("voter_list"), {"q": "peña"}, HTTP_HX_REQUEST="true")
    assert [r.voter_id for r in found.context["page"]] == ["AB1"]
    assert viewer.get(reverse("voter_detail", args=[records["AB3"].public_id])).status_code == 404
    page = viewer.get(reverse("voter_detail", args=[records["AB1"].public_id]))
    body = page.content.decode()
    assert "Democratic" in body  # the party code, decoded
    assert "BO CHEN" in body or "Bo Chen" in body  # the household
    assert reverse("person_detail", args=[records["AB1"].person.public_id]) in body  # type: ignore[union-attr]
    assert (
        AuditEntry.objects.filter(actor=canvasser, verb=AuditEntry.Verb.VIEW, object_type="voter").count()
        == 1
    )
    outsider = Client()
    outsider.force_login(make_user("outsider", Role.MEMBER))
    assert outsider.get(reverse("voter_list")).context["page"].paginator.count == 0
    assert outsider.get(reverse("voter_detail", args=[records["AB1"].public_id])).status_code == 404


def test_the_review_queue_accepts_and_rejects(admin_client: Client) -> None:
    town = make_area("Raleigh", kind="city")
    building = make_area("55 MAPLE AVE", kind="building", parent=town)
    home = Household.objects.create(area=building, address_line="55 MAPLE AVE", postal_code="27601")
    jo = make_person("Jo", "Whitfield", area=building, household=home)
    strangers = list(samples.synthetic_nc_rows(60, seed=5))
    upload(admin_client, nc_file([JOANNA, *strangers]))
    review = MatchReview.objects.get()
    listing = admin_client.get(reverse("voter_review_list")).content.decode()
    assert "JOANNA WHITFIELD" in listing and "Jo Whitfield" in listing
    assert "last name: same" in listing
    response = admin_client.post(
        reverse("voter_review_decide", args=[review.public_id]), {"decision": "bogus"}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.decision == MatchReview.Decision.PENDING
    admin_client.post(reverse("voter_review_decide", args=[review.public_id]), {"decision": "accepted"})
    review.refresh_from_db()
    assert review.decision == MatchReview.Decision.ACCEPTED
    assert VoterRecord.objects.get(voter_id="AA6").person == jo
    assert Person.objects.get(merged_into=jo).first_name == "Joanna"
    assert "Nothing to review" in admin_client.get(reverse("voter_review_list")).content.decode()


def test_the_review_queue_is_audited(admin_client: Client) -> None:
    town = make_area("Raleigh", kind="city")
    building = make_area("55 MAPLE AVE", kind="building", parent=town)
    home = Household.objects.create(area=building, address_line="55 MAPLE AVE", postal_code="27601")
    make_person("Jo", "Whitfield", area=building, household=home)
    upload(admin_client, nc_file([JOANNA, *samples.synthetic_nc_rows(60, seed=5)]))
    admin_client.get(reverse("voter_review_list"))
    entry = AuditEntry.objects.get(verb=AuditEntry.Verb.SEARCH, object_type="match_review")
    assert entry.actor is not None and entry.actor.username == "admin"
    assert entry.details == {"page": 1, "shown": 1}


def test_an_organizer_outside_the_area_sees_no_reviews(admin_client: Client, client: Client) -> None:
    town = make_area("Raleigh", kind="city")
    elsewhere = make_area("Durham", kind="city")
    building = make_area("55 MAPLE AVE", kind="building", parent=town)
    home = Household.objects.create(area=building, address_line="55 MAPLE AVE", postal_code="27601")
    make_person("Jo", "Whitfield", area=building, household=home)
    upload(admin_client, nc_file([JOANNA, *samples.synthetic_nc_rows(60, seed=5)]))
    review = MatchReview.objects.get()
    client.force_login(make_user("far", Role.ORGANIZER, scope=[elsewhere]))
    assert "Nothing to review" in client.get(reverse("voter_review_list")).content.decode()
    response = client.post(reverse("voter_review_decide", args=[review.public_id]), {"decision": "accepted"})
    assert response.status_code == 404
    review.refresh_from_db()
    assert review.decision == MatchReview.Decision.PENDING


def test_a_person_page_shows_their_voter_registration(admin_client: Client) -> None:
    records = _imported(admin_client)
    person = records["AB1"].person
    assert person is not None
    body = admin_client.get(reverse("person_detail", args=[person.public_id])).content.decode()
    assert reverse("voter_detail", args=[records["AB1"].public_id]) in body
    assert "NC AB1" in body and "Democratic" in body
