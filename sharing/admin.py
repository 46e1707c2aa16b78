from django.contrib import admin

from sharing.models import ShareLink


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = ("review", "years", "owner", "created", "expires_at", "revoked_at", "views")
    list_filter = ("revoked_at",)
    readonly_fields = ("token_hash", "views", "last_viewed_at")
    list_select_related = ("owner", "review")
