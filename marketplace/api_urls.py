from django.urls import path

from . import affiliate_api

urlpatterns = [
    path("affiliate/postback", affiliate_api.AffiliatePostback.as_view(), name="affiliate-postback"),
]
