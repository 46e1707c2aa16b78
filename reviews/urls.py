from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("<int:year>/", views.year, name="year"),
]
