# The building committee of five with their logins, for every decisions test.
from grassroots.decisions.tests.helpers import tenants

__all__ = ["tenants"]
