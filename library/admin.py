from django.contrib import admin

from library.models import Item


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status", "finished_on", "rating", "recommended", "owner")
    list_filter = ("kind", "status", "recommended", "private")
    search_fields = ("title", "authors", "notes", "owner__username")
    date_hierarchy = "finished_on"
    list_select_related = ("owner",)
