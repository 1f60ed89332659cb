"""The OSDI resources; importing this package registers their routes on the API."""

from grassroots.api.resources import people, tags

__all__ = ["people", "tags"]
