"""Review that outlives runs (ADR 15), step 2: each existing decision gets its stable key.

A quote decision takes its quote's span; a mention decision (all were on one mention) its
mention's normalised name and span. Where two runs' rows had decisions on the same span (the same
words decided twice), the most recent decision is kept and the older row removed, since the key
allows one; the `quote.review` and `mention.review` events still hold both.
"""

from django.db import migrations


def _key(name):
    # As coding.models.mention_key (copied: a migration may not import app code).
    return " ".join((name or "").casefold().split())[:200]


def convert(apps, schema_editor):
    QuoteReview = apps.get_model("workspace", "QuoteReview")
    MentionReview = apps.get_model("workspace", "MentionReview")

    seen = set()
    newest_first = QuoteReview.objects.select_related("quote__run").order_by("-reviewed_at", "-pk")
    for review in newest_first:
        quote = review.quote
        if quote is None:  # cannot happen before this migration: the link was required
            review.delete()
            continue
        key = (quote.run.call_id, quote.submission_id, quote.field, quote.start, quote.end)
        if key in seen:
            review.delete()
            continue
        seen.add(key)
        review.call_id, review.submission_id, review.field, review.start, review.end = key
        review.text = quote.text
        review.save()

    seen = set()
    newest_first = MentionReview.objects.select_related("mention__run").order_by(
        "-reviewed_at", "-pk"
    )
    for review in newest_first:
        mention = review.mention
        if mention is None:
            review.delete()
            continue
        key = (
            mention.run.call_id,
            _key(mention.name),
            mention.submission_id,
            mention.field,
            mention.start,
            mention.end,
        )
        if key in seen:
            review.delete()
            continue
        seen.add(key)
        (
            review.call_id,
            review.key,
            review.submission_id,
            review.field,
            review.start,
            review.end,
        ) = key
        review.save()


class Migration(migrations.Migration):

    dependencies = [
        ('workspace', '0002_review_keys'),
    ]

    operations = [
        migrations.RunPython(convert, migrations.RunPython.noop),
    ]
