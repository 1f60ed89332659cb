"""The OSDI resources; importing this package registers their routes on the API."""

from grassroots.api.resources import canvassing, events, forms, lists, people, tags

__all__ = ["canvassing", "events", "forms", "lists", "people", "tags"]
