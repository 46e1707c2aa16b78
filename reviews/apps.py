from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"

    def ready(self) -> None:
        from django.urls import reverse

        from core import rows
        from reviews import rows as goal_rows  # noqa: F401  (declares the goal kind)

        # Rows of the apps below link to their year's page, which this app serves.
        rows.set_year_url(lambda year: reverse("reviews:year", args=[year]))
        from reviews.templatetags.editing import row_actions

        rows.set_row_actions(row_actions)

        from django.db.models.signals import post_delete

        from reviews import trash
        from reviews.models import Review

        for model in [Review, *(kind.model for kind in rows.all_kinds())]:
            post_delete.connect(trash.forget_revisions_of_deleted, sender=model)
