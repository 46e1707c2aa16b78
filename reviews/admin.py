from django.contrib import admin

from reviews.models import Goal, Review


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("year", "title", "owner", "language", "updated")
    list_filter = ("language",)
    search_fields = ("title", "document", "owner__username")
    list_select_related = ("owner",)


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ("title", "year", "status", "metric_kind", "metric_target", "owner", "private")
    list_filter = ("status", "year", "private")
    search_fields = ("title", "description", "outcome", "owner__username")
    list_select_related = ("owner",)
    raw_id_fields = ("carried_from",)
