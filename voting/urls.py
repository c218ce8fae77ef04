from django.urls import path

from voting import views

app_name = "voting"
urlpatterns = [
    path("votes/<str:target_type>/<int:pk>/", views.vote, name="vote"),
    path("account/votes/", views.history, name="history"),
    path("how-ranking-works/", views.how_ranking_works, name="how-ranking-works"),
]
