"""A call's current run is promoted (RunPromotion), and mentions carry the normalised name that
people's decisions about them are keyed by (ADR 15). Existing mentions get their key here."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

BATCH = 5000


def _key(name):
    # As coding.models.mention_key (copied: a migration may not import app code).
    return " ".join((name or "").casefold().split())[:200]


def fill_name_keys(apps, schema_editor):
    Mention = apps.get_model("coding", "Mention")
    batch = []
    for mention in Mention.objects.only("pk", "name").order_by("pk").iterator(chunk_size=BATCH):
        mention.name_key = _key(mention.name)
        batch.append(mention)
        if len(batch) >= BATCH:
            Mention.objects.bulk_update(batch, ["name_key"])
            batch = []
    if batch:
        Mention.objects.bulk_update(batch, ["name_key"])


class Migration(migrations.Migration):

    dependencies = [
        ('coding', '0001_initial'),
        ('intake', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='mention',
            name='name_key',
            field=models.CharField(default='', max_length=200),
        ),
        migrations.CreateModel(
            name='RunPromotion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('promoted_at', models.DateTimeField(auto_now_add=True)),
                ('note', models.CharField(blank=True, max_length=300)),
                ('call', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='intake.callforevidence')),
                ('previous', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='coding.analysisrun')),
                ('promoted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='promotions', to='coding.analysisrun')),
            ],
            options={
                'ordering': ['-promoted_at', '-pk'],
                'indexes': [models.Index(fields=['call', 'promoted_at'], name='coding_promotion_call_at')],
            },
        ),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop),
    ]
