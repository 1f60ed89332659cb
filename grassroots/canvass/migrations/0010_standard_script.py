"""The standard door script, made once here rather than by the first page that lists scripts."""

from django.db import migrations

from grassroots.canvass.scripts import make_standard_script


def make_standard(apps, schema_editor):
    make_standard_script(apps.get_model("canvass", "Script"), apps.get_model("canvass", "Question"))


class Migration(migrations.Migration):
    dependencies = [("canvass", "0009_effort_title_and_description")]

    operations = [migrations.RunPython(make_standard, migrations.RunPython.noop)]
