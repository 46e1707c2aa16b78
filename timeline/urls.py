from django.urls import path

from timeline import photo_views

app_name = "timeline"

urlpatterns = [
    path("entries/<int:entry_pk>/photos/", photo_views.photos, name="photo-upload"),
    path("entries/<int:entry_pk>/photos/reorder/", photo_views.reorder, name="photo-reorder"),
    path("photos/new/", photo_views.document_photo, name="document-photo"),
    path("photos/<int:pk>/caption/", photo_views.caption, name="photo-caption"),
    path("photos/<int:pk>/delete/", photo_views.delete, name="photo-delete"),
    path("photos/<int:pk>/<str:size>/", photo_views.photo, name="photo"),
]
