# The block of two buildings with their committees, for every committee test.
from grassroots.committees.tests.helpers import block

__all__ = ["block"]
