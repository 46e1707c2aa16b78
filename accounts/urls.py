from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation-revoke"),
    path("join/<str:token>/", views.join, name="join"),
    path("signup/", views.signup, name="signup"),
]
