"""Tags get a public id and dates; Person.tags' table becomes the Tagging model, with an id and a date.

The table keeps its name and columns: the model is declared over it (state only), then the
new columns are added. Existing rows get fresh ids and today's date.
"""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def fill_ids(apps, schema_editor):
    for name in ("Tag", "Tagging"):
        model = apps.get_model("people", name)
        batch = []
        for row in model.objects.filter(public_id__isnull=True).only("pk").iterator(chunk_size=2000):
            row.public_id = uuid.uuid4()
            batch.append(row)
            if len(batch) >= 2000:
                model.objects.bulk_update(batch, ["public_id"])
                batch = []
        model.objects.bulk_update(batch, ["public_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_consent_wording"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Tagging",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("person", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="people.person")),
                        ("tag", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="people.tag")),
                    ],
                    options={"db_table": "people_person_tags", "unique_together": {("person", "tag")}},
                ),
                migrations.AlterField(
                    model_name="person",
                    name="tags",
                    field=models.ManyToManyField(blank=True, related_name="people", through="people.Tagging", to="people.tag"),
                ),
            ],
        ),
        migrations.AddField(
            model_name="tagging",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="tag",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="tag",
            name="updated_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="tag",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="tagging",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="tag",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="tagging",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
