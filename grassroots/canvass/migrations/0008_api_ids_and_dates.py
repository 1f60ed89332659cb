"""Questions get a public id and dates, scripts and universes the date they last changed (for the
OSDI API: ids in URLs, modified_date for clients that sync)."""

import uuid

import django.utils.timezone
from django.db import migrations, models


def fill_ids(apps, schema_editor):
    Question = apps.get_model("canvass", "Question")
    batch = []
    for question in Question.objects.filter(public_id__isnull=True).only("pk"):
        question.public_id = uuid.uuid4()
        batch.append(question)
    Question.objects.bulk_update(batch, ["public_id"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("canvass", "0007_shifts"),
    ]

    operations = [
        migrations.AddField(
            model_name="script",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddField(
            model_name="universe",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddField(
            model_name="question",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="question",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddField(
            model_name="question",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="question",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
