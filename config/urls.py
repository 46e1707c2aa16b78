from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from core.throttle import ThrottledLoginView, ThrottledPasswordResetView, admin_login

# The admin logs in through the same throttle as everyone else; set before
# admin.site.urls is read, so every route to the admin's login uses it.
admin.site.login = admin_login(admin.site)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", ThrottledLoginView.as_view(), name="login"),
    path("accounts/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    # The language switcher posts here; anyone may choose, the login page included.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("library/", include("library.urls")),
    path("timeline/", include("timeline.urls")),
    path("career/", include("timeline.career_urls")),
    path("data/", include("portability.urls")),
    path("", include("sharing.urls")),
    path("", include("reviews.urls")),
]
