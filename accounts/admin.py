from django.contrib import admin

from accounts.models import Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["note", "created_by", "created", "expires_at", "used_at", "used_by"]
    readonly_fields = ["created_by", "used_at", "used_by"]

    def has_add_permission(self, request) -> bool:
        # A token is shown once, when it is made: only the invitations page can show it.
        return False
