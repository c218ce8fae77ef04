from django.urls import path

from voting import api
from voting.trust.api import PreviewView

urlpatterns = [
    path("votes", api.VoteView.as_view(), name="api-votes"),
    path("tracks/<int:pk>/preview", PreviewView.as_view(), name="api-track-preview"),
    path("admin/users/<int:user_id>/reputation", api.ReputationView.as_view(), name="api-user-reputation"),
]
