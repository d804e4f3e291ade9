"""Review that outlives runs (ADR 15), step 3: the keys are required and unique."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0001_initial'),
        ('workspace', '0003_review_keys_data'),
    ]

    operations = [
        migrations.AlterField(
            model_name='quotereview',
            name='call',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='intake.callforevidence'),
        ),
        migrations.AlterField(
            model_name='quotereview',
            name='submission',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='intake.submission'),
        ),
        migrations.AlterField(
            model_name='quotereview',
            name='start',
            field=models.PositiveIntegerField(),
        ),
        migrations.AlterField(
            model_name='quotereview',
            name='end',
            field=models.PositiveIntegerField(),
        ),
        migrations.AlterField(
            model_name='mentionreview',
            name='call',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='intake.callforevidence'),
        ),
        migrations.AddConstraint(
            model_name='quotereview',
            constraint=models.UniqueConstraint(fields=('call', 'submission', 'field', 'start', 'end'), name='one_quote_decision_per_span'),
        ),
        migrations.AddIndex(
            model_name='mentionreview',
            index=models.Index(fields=['call', 'key'], name='workspace_mention_decision_key'),
        ),
        migrations.AddConstraint(
            model_name='mentionreview',
            constraint=models.UniqueConstraint(condition=models.Q(('submission__isnull', True)), fields=('call', 'key'), name='one_mention_decision_per_name'),
        ),
        migrations.AddConstraint(
            model_name='mentionreview',
            constraint=models.UniqueConstraint(condition=models.Q(('submission__isnull', False)), fields=('call', 'key', 'submission', 'field', 'start', 'end'), name='one_mention_decision_per_place'),
        ),
    ]
