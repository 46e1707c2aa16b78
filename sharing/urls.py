from django.urls import path

from sharing import views

app_name = "sharing"

# A share address typed or pasted without its last slash would otherwise get
# CommonMiddleware's APPEND_SLASH redirect: a cacheable 301 carrying the token,
# without the share headers. These aliases answer it instead, with the headers.
# They share their name with the real route and come first, because reverse()
# builds the last pattern of a name: every link is still made with the slash.
without_slash = [
    path("s/<str:token>", views.share_without_slash, name="share"),
    path("s/<str:token>/<year:year>", views.share_without_slash, name="share-year"),
    path("s/<str:token>/photos/<int:pk>/<str:size>", views.share_without_slash, name="photo"),
]

urlpatterns = [
    *without_slash,
    path("s/<str:token>/", views.share, name="share"),
    path("s/<str:token>/<year:year>/", views.share, name="share-year"),
    path("s/<str:token>/photos/<int:pk>/<str:size>/", views.share_photo, name="photo"),
    path("<year:year>/share/", views.share_links, name="links"),
    path("<year:year>/export.md", views.export_md, name="export-md"),
    path("<year:year>/export.zip", views.export_zip, name="export-zip"),
]
