from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("library/", include("library.urls")),
    path("timeline/", include("timeline.urls")),
    path("career/", include("timeline.career_urls")),
    path("", include("reviews.urls")),
]
