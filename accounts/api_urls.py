from django.urls import path

from accounts import api

urlpatterns = [
    path("auth/register", api.RegisterView.as_view(), name="api-register"),
    path("auth/login", api.LoginView.as_view(), name="api-login"),
    path("agents/register", api.AgentRegisterView.as_view(), name="api-agent-register"),
    path("agents/me", api.AgentMeView.as_view(), name="api-agent-me"),
    path("keys", api.KeyListView.as_view(), name="api-keys"),
    path("keys/<int:pk>", api.KeyDetailView.as_view(), name="api-key"),
    path("keys/<int:pk>/rotate", api.KeyRotateView.as_view(), name="api-key-rotate"),
]
