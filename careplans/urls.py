from django.urls import include, path

from careplans.views import plans, visits

urlpatterns = [
    path("library/", include("careplans.urls_library")),
    path("batch/", include("careplans.urls_batch")),
    path("assessments/<int:assessment_id>/plan/", plans.plan_build, name="plan_build"),
    path("assessments/<int:assessment_id>/complete/", visits.visit_complete, name="visit_complete"),
    path("plans/<int:plan_id>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/items/add/", plans.plan_item_add, name="plan_item_add"),
    path(
        "plans/<int:plan_id>/items/<int:item_id>/remove/",
        plans.plan_item_remove,
        name="plan_item_remove",
    ),
    path(
        "plans/<int:plan_id>/items/<int:item_id>/restore/",
        plans.plan_item_restore,
        name="plan_item_restore",
    ),
    path(
        "plans/<int:plan_id>/items/<int:item_id>/update/",
        plans.plan_item_update,
        name="plan_item_update",
    ),
    path(
        "plans/<int:plan_id>/items/<int:item_id>/move/", plans.plan_item_move, name="plan_item_move"
    ),
    path("plans/<int:plan_id>/note/", plans.plan_note, name="plan_note"),
    path("plans/<int:plan_id>/sign/", plans.plan_sign, name="plan_sign"),
    path("plans/<int:plan_id>/new-version/", plans.plan_new_version, name="plan_new_version"),
    path(
        "plans/<int:plan_id>/<str:kind>.<str:fmt>",
        plans.plan_document,
        name="plan_document",
    ),
]
