"""The voter-file upload refuses a file that is too large or not text, with a message, before
anything is kept of it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import Role
from grassroots.testing import make_user
from grassroots.voters import samples
from grassroots.voters.models import VoterImport

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ncvoter92.txt", "not read")
    return buffer.getvalue()


def _nc_text() -> bytes:
    text = io.StringIO(newline="")
    samples.write_nc(text, [{"voter_id": "AB1", "first_name": "ANA", "last_name": "PENA"}])
    return text.getvalue().encode()


@pytest.fixture
def organizer_client(client: Client) -> Client:
    client.force_login(make_user("organizer", Role.ORGANIZER))
    return client


def _upload(client: Client, **files: Any) -> Any:
    return client.post(reverse("voter_import_list"), {"layout": "auto", **files})


def _kept() -> list[Path]:
    folder = Path(settings.UPLOAD_DIR)
    return list(folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (PNG, "This file is a PNG image, not a text file"),
        (_zip(), "This file is a zip archive (or an Excel or Word file), not a text file"),
        (b"%PDF-1.7\n", "This file is a PDF document, not a text file"),
        ("ncid\tlast_name\r\n".encode("utf-16"), "This file is UTF-16 text: save it as UTF-8"),
        (bytes(range(256)) * 4, "This file is not text (it holds binary data)"),
    ],
)
def test_a_file_that_is_not_text_is_refused_with_a_message_and_nothing_kept(
    organizer_client: Client, content: bytes, message: str
) -> None:
    response = _upload(organizer_client, file=SimpleUploadedFile("ncvoter92.csv", content))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _kept() == []
    assert not VoterImport.objects.exists()


def test_a_history_file_that_is_not_text_is_refused_too(organizer_client: Client) -> None:
    response = _upload(
        organizer_client,
        file=SimpleUploadedFile("ncvoter92.txt", _nc_text()),
        history=SimpleUploadedFile("ncvhis92.txt", PNG),
    )
    assert response.status_code == 400
    assert "This file is a PNG image" in response.content.decode()
    assert _kept() == []


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read_whole(
    organizer_client: Client, settings: Any
) -> None:
    settings.UPLOAD_MAX_BYTES = 100_000
    content = _nc_text() * 2000  # about 1 MB of good text
    response = _upload(organizer_client, file=SimpleUploadedFile("ncvoter92.txt", content))
    assert response.status_code == 400
    assert "This file is larger than 0.1 MB, the most an upload may be." in response.content.decode()
    assert _kept() == []
    assert not VoterImport.objects.exists()


def test_a_file_within_the_limit_is_taken(organizer_client: Client, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 100_000
    response = _upload(organizer_client, file=SimpleUploadedFile("ncvoter92.txt", _nc_text()))
    assert response.status_code == 302
    assert VoterImport.objects.count() == 1
    assert len(_kept()) == 1
