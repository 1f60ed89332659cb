"""The OSDI resources; importing this package registers their routes on the API."""

from grassroots.api.resources import events, forms, people, tags

__all__ = ["events", "forms", "people", "tags"]
