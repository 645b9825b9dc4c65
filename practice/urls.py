from django.urls import path

from practice import views

urlpatterns = [
    path("", views.dashboard, name="home"),
]
