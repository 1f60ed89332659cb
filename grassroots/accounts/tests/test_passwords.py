from __future__ import annotations

import pytest

from grassroots.accounts.models import Role, User

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2() -> None:
    user = User.objects.create(username="dolores", role=Role.ORGANIZER)
    user.set_password("si-se-puede-1962")
    user.save()
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
    assert user.check_password("si-se-puede-1962")
    assert not user.check_password("si-se-puede-1963")
