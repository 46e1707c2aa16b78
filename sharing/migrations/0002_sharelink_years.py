"""A share link names the years it opens; every existing link opens exactly its own review's year."""

from django.db import migrations, models


def own_year_only(apps, schema_editor):
    ShareLink = apps.get_model("sharing", "ShareLink")
    db = schema_editor.connection.alias
    links = list(ShareLink.objects.using(db).select_related("review"))
    for link in links:
        link.years = [link.review.year]
    ShareLink.objects.using(db).bulk_update(links, ["years"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("sharing", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="sharelink",
            name="years",
            field=models.JSONField(default=list, editable=False, verbose_name="years"),
        ),
        migrations.RunPython(own_year_only, migrations.RunPython.noop),
    ]
