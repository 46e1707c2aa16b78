from django.urls import path

from sharing import views

app_name = "sharing"

urlpatterns = [
    path("s/<str:token>/", views.share, name="share"),
    path("s/<str:token>/<int:year>/", views.share, name="share-year"),
    path("s/<str:token>/photos/<int:pk>/<str:size>/", views.share_photo, name="photo"),
    path("<int:year>/share/", views.share_links, name="links"),
    path("<int:year>/export.md", views.export_md, name="export-md"),
]
