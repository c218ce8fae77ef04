from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("creators/", views.creators, name="creators"),
    path("creators/<slug:handle>/", views.creator_profile, name="creator-profile"),
    path("account/", views.account, name="account"),
    path("agents/", views.agents_api, name="agents-api"),
    path("account/api-keys/", views.create_api_key, name="api-key-create"),
    path("account/api-keys/<int:pk>/revoke/", views.revoke_api_key, name="api-key-revoke"),
]
urlpatterns += [
    path("account/feed/", views.feed, name="feed"),
    path("account/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("creators/<slug:handle>/follow/", views.follow, name="follow"),
]
