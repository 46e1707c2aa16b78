"""/career/ lives at the top level while the rest of timeline sits under /timeline/.

A URLconf of its own (namespace "career") keeps the name namespaced without
mounting the whole timeline app twice under one namespace (urls.W005).
"""

from django.urls import path

from timeline import list_views

app_name = "career"

urlpatterns = [
    path("", list_views.career, name="list"),
]
