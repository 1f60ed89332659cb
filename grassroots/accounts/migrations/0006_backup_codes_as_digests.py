"""Backup codes made before this migration were kept as typed; keep their digests instead."""

from django.db import migrations
from django.utils.crypto import salted_hmac

# As grassroots.accounts.two_factor.stored_code computed it when this migration was written.
SALT = "grassroots.accounts.backup-code"
CODE_LENGTH = 8


def digest_codes(apps, schema_editor):
    StaticToken = apps.get_model("otp_static", "StaticToken")
    for token in StaticToken.objects.all().iterator():
        if len(token.token) == CODE_LENGTH:  # a digest is 16 hex digits: never converted twice
            token.token = salted_hmac(SALT, token.token, algorithm="sha256").hexdigest()[:16]
            token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_audit_backup_codes"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(digest_codes, migrations.RunPython.noop)]
