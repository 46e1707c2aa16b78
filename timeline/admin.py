from django.contrib import admin

from timeline.models import CareerMove, Entry, Photo


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0
    fields = ("image", "caption", "position")


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "started_on", "ended_on", "private")
    list_filter = ("private", "started_on")
    search_fields = ("title", "body", "owner__username")
    date_hierarchy = "started_on"
    list_select_related = ("owner",)
    inlines = [PhotoInline]

    def save_formset(self, request, form, formset, change):
        for photo in formset.save(commit=False):
            photo.owner = form.instance.owner
            photo.save()
        for photo in formset.deleted_objects:
            photo.delete()


@admin.register(CareerMove)
class CareerMoveAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "organization", "role", "owner", "private")
    list_filter = ("kind", "private")
    search_fields = ("organization", "role", "note", "owner__username")
    date_hierarchy = "date"
    list_select_related = ("owner",)


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ("__str__", "entry", "owner", "width", "height", "created")
    search_fields = ("caption", "entry__title", "owner__username")
    list_select_related = ("owner", "entry")
