from __future__ import annotations

from django_tasks import task

from grassroots.accounts import access
from grassroots.accounts.models import User
from grassroots.ladder.engine import update_ladder


@task()
def update_ladder_for(user_id: int) -> str:
    """Recompute the stages of the people a user may see (everyone's for an administrator) in the
    background worker: for a whole city it takes longer than a page should wait."""
    user = User.objects.get(pk=user_id)
    everyone = access.scope_paths(user) is access.ALL
    return update_ladder(people=None if everyone else access.people_visible_to(user)).summary()
