"""Each coded passage's stance (practice, enabler, barrier or impact) and its probability
(ADR 0027). Passages of earlier runs keep a blank stance: the report says they have none."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("coding", "0002_mention_name_key_runpromotion"),
    ]

    operations = [
        migrations.AddField(
            model_name="passage",
            name="stance",
            field=models.CharField(
                blank=True,
                choices=[
                    ("practice", "Practice"),
                    ("enabler", "Enabler"),
                    ("barrier", "Barrier"),
                    ("impact", "Impact"),
                ],
                default="",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="passage",
            name="stance_probability",
            field=models.FloatField(blank=True, null=True),
        ),
    ]
