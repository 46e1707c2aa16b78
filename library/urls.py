from django.urls import path

from library import views

app_name = "library"

urlpatterns = [
    path("", views.item_list, name="list"),
]
