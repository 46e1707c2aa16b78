from django.urls import path

from reviews import (
    compare_views,
    edit_views,
    goals_views,
    palette_views,
    text_views,
    views,
)

app_name = "reviews"

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("years/", views.years, name="years"),
    path("goals/", goals_views.goals, name="goals"),
    path("<year:year>/", views.year, name="year"),
]

urlpatterns += [
    path("edit/<str:kind>/new/", edit_views.row_new, name="row-new"),
    path("edit/<str:kind>/<int:pk>/", edit_views.row_edit, name="row-edit"),
    path("edit/<str:kind>/<int:pk>/view/", edit_views.row_view, name="row-view"),
    path("edit/<str:kind>/<int:pk>/delete/", edit_views.row_delete, name="row-delete"),
    path("undo/<int:pk>/", edit_views.undo, name="undo"),
    path("text/preview/", text_views.preview, name="text-preview"),
    path("text/palette/", palette_views.search, name="palette"),
    path("text/<str:kind>/<int:pk>/<str:field>/", text_views.editor, name="text-editor"),
    path("text/<str:kind>/<int:pk>/<str:field>/save/", text_views.save, name="text-save"),
    path("text/<str:kind>/<int:pk>/<str:field>/history/", text_views.history, name="text-history"),
    path(
        "text/<str:kind>/<int:pk>/<str:field>/history/<int:rev>/",
        text_views.revision,
        name="text-revision",
    ),
    path(
        "text/<str:kind>/<int:pk>/<str:field>/history/<int:rev>/restore/",
        text_views.restore,
        name="text-restore",
    ),
    path("<year:year>/settings/", views.review_settings, name="review-settings"),
    path("<year:year>/part/<str:part>/", views.year_part, name="year-part"),
    path("<year:year>/document/insert/", views.document_insert, name="document-insert"),
]

urlpatterns += [
    path("<year:year>/compare/", compare_views.compare, name="compare"),
    path("goals/<int:pk>/carry/", compare_views.goal_carry, name="goal-carry"),
    path("goals/<int:pk>/confirm/", compare_views.goal_confirm, name="goal-confirm"),
]
