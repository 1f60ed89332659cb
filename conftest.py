# Shared fixtures (a small city, one user per permission level) for every test folder.
pytest_plugins = ["grassroots.fixtures"]
