from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Accounts beyond the owner's: invitations, and sign-up when an instance opens it."""

    name = "accounts"
