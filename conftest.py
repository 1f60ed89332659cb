import os

from hypothesis import settings

# Shared fixtures (a small city, one user per permission level) for every test folder.
pytest_plugins = ["grassroots.fixtures"]

# Property tests try the same examples on every run and worker, with no deadline (a busy machine
# would fail a slow example) and no example database on disk. HYPOTHESIS_PROFILE=explore tries
# new examples on each run, to look for failures rather than to check.
settings.register_profile("check", deadline=None, derandomize=True, database=None)
settings.register_profile("explore", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "check"))
