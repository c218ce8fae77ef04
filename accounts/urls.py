from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("creators/<slug:handle>/", views.creator_profile, name="creator-profile"),
    path("account/", views.account, name="account"),
]
urlpatterns += [
    path("account/votes/", views.vote_history, name="vote-history"),
    path("account/feed/", views.feed, name="feed"),
    path("account/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("creators/<slug:handle>/follow/", views.follow, name="follow"),
]
