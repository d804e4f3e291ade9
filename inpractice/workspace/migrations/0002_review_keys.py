"""Review that outlives runs (ADR 15), step 1: the new keys, nullable while rows are converted.

Quote decisions are keyed by span, mention decisions by call and normalised name (and span), and
theme reviews say where they were carried from. The one-to-one links to one run's rows become
plain references kept for the record.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('coding', '0002_mention_name_key_runpromotion'),
        ('intake', '0001_initial'),
        ('workspace', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='themereview',
            name='carried_from',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='carried_to', to='workspace.themereview'),
        ),
        migrations.AddField(
            model_name='themereview',
            name='match',
            field=models.FloatField(blank=True, help_text='Jaccard overlap of passages with the theme carried from.', null=True),
        ),
        migrations.AddField(
            model_name='themereview',
            name='changed',
            field=models.BooleanField(default=False, help_text="The theme's passages changed since a person decided on it."),
        ),
        migrations.AlterField(
            model_name='quotereview',
            name='quote',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='coding.quote'),
        ),
        migrations.AddField(
            model_name='quotereview',
            name='call',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='intake.callforevidence'),
        ),
        migrations.AddField(
            model_name='quotereview',
            name='submission',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='intake.submission'),
        ),
        migrations.AddField(
            model_name='quotereview',
            name='field',
            field=models.CharField(default='', max_length=40),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='quotereview',
            name='start',
            field=models.PositiveIntegerField(null=True),
        ),
        migrations.AddField(
            model_name='quotereview',
            name='end',
            field=models.PositiveIntegerField(null=True),
        ),
        migrations.AddField(
            model_name='quotereview',
            name='text',
            field=models.TextField(blank=True, default=''),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='mentionreview',
            name='mention',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='coding.mention'),
        ),
        migrations.AddField(
            model_name='mentionreview',
            name='call',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='intake.callforevidence'),
        ),
        migrations.AddField(
            model_name='mentionreview',
            name='key',
            field=models.CharField(default='', max_length=200),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='mentionreview',
            name='submission',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='intake.submission'),
        ),
        migrations.AddField(
            model_name='mentionreview',
            name='field',
            field=models.CharField(blank=True, default='', max_length=40),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='mentionreview',
            name='start',
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='mentionreview',
            name='end',
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
    ]
