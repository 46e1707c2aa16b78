"""ShareLink moves to the sharing app: it leaves this app's state only, so its
table and every link in it stay (sharing's 0001_initial takes the table over)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0002_review_answers"),
        ("sharing", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ShareLink")],
            database_operations=[],
        ),
    ]
