"""The database cache's table (settings.CACHES), made with the schema.

Not a model: `createcachetable` makes it, and skips it when it is there,
so this is safe to run on a database where the table already exists.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies: list = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
