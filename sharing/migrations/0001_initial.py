"""ShareLink moves here from reviews: the model enters this app's state, its
table (reviews_sharelink, rows and all) stays where it is."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def adopt_content_type(apps, schema_editor):
    """Keep the admin permissions of share links: their content type changes app too."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label="sharing", model="sharelink").exists():
        ContentType.objects.using(db).filter(app_label="reviews", model="sharelink").update(
            app_label="sharing"
        )


def return_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label="reviews", model="sharelink").exists():
        ContentType.objects.using(db).filter(app_label="sharing", model="sharelink").update(
            app_label="reviews"
        )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("reviews", "0002_review_answers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ShareLink",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created", models.DateTimeField(auto_now_add=True)),
                        ("updated", models.DateTimeField(auto_now=True)),
                        ("token_hash", models.CharField(editable=False, max_length=64, unique=True)),
                        ("expires_at", models.DateTimeField(blank=True, null=True, verbose_name="expires")),
                        ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="revoked")),
                        ("views", models.PositiveIntegerField(default=0)),
                        ("last_viewed_at", models.DateTimeField(blank=True, null=True)),
                        ("owner", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
                        ("review", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="share_links", to="reviews.review")),
                    ],
                    options={
                        "db_table": "reviews_sharelink",
                        "ordering": ["-created"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(adopt_content_type, return_content_type),
    ]
