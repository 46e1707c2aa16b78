from django.urls import path

from timeline import views

app_name = "timeline"

urlpatterns = [
    path("photos/<int:pk>/<str:size>/", views.photo, name="photo"),
]
