"""/data/: downloads, the import of a backup, the Goodreads import."""

from __future__ import annotations

from django.urls import path

from portability import views

app_name = "portability"

urlpatterns = [
    path("", views.data, name="data"),
    path("export.json", views.export_json, name="export-json"),
    path("export.zip", views.export_zip, name="export-zip"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import-confirm"),
    path("import/cancel/", views.import_cancel, name="import-cancel"),
    path("goodreads/", views.goodreads_upload, name="goodreads"),
    path("post/", views.post_upload, name="post"),
    path("post/confirm/", views.post_confirm, name="post-confirm"),
]
