from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("creators/<slug:handle>/", views.creator_profile, name="creator-profile"),
    path("account/", views.account, name="account"),
]
