from django.urls import path

from voting import api

urlpatterns = [
    path("votes", api.VoteView.as_view(), name="api-votes"),
    path("admin/users/<int:user_id>/reputation", api.ReputationView.as_view(), name="api-user-reputation"),
]
