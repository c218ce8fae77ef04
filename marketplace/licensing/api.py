"""`GET /api/v1/me/purchases`: the key holder's receipts, the same read as /account/purchases/."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions

from accounts.scopes import HasScope
from aimusicstore.paging import Pagination
from marketplace.licensing import selectors
from marketplace.licensing.serializers import ReceiptSerializer


class PurchasePagination(Pagination):
    items_key = "purchases"


class MyPurchasesView(generics.ListAPIView):
    serializer_class = ReceiptSerializer
    pagination_class = PurchasePagination
    permission_classes = [HasScope, permissions.IsAuthenticated]
    filter_backends = []

    def get_queryset(self):
        return selectors.receipts_for(self.request.user)

    @extend_schema(summary="Your recorded purchases, each with its licence terms at purchase time")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
