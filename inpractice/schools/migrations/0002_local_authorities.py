"""Load England's 156 local authorities so every database can resolve LA codes and regions."""

from django.db import migrations


def load(apps, schema_editor):
    from inpractice.schools.register import load_local_authorities

    load_local_authorities(apps.get_model("schools", "LocalAuthority"))


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
