"""When an event or a form last changed: the OSDI API's modified_date, which clients sync on."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddField(
            model_name="signupform",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
    ]
