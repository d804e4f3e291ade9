"""Load England's 156 local authorities so every database can resolve LA codes and regions.

Written out in full rather than calling the app's register module: a migration is frozen history.
It reads the vendored CSV (schools/data/local_authorities.csv, see its README).
"""

import csv
from importlib import resources

from django.db import migrations


def load(apps, schema_editor):
    LocalAuthority = apps.get_model("schools", "LocalAuthority")
    text = (
        resources.files("inpractice.schools")
        .joinpath("data/local_authorities.csv")
        .read_text(encoding="utf-8")
    )
    for row in csv.DictReader(text.splitlines()):
        LocalAuthority.objects.using(schema_editor.connection.alias).update_or_create(
            code=row["la_code"],
            defaults={
                "name": row["name"],
                "ons_code": row["ons_code"],
                "region": row["region_code"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
