from django.urls import path

from sharing import views

app_name = "sharing"

urlpatterns = [
    path("s/<str:token>/", views.share, name="share"),
    path("s/<str:token>/<year:year>/", views.share, name="share-year"),
    path("s/<str:token>/photos/<int:pk>/<str:size>/", views.share_photo, name="photo"),
    path("<year:year>/share/", views.share_links, name="links"),
    path("<year:year>/export.md", views.export_md, name="export-md"),
    path("<year:year>/export.zip", views.export_zip, name="export-zip"),
]
