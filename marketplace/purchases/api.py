"""POST /api/v1/affiliate/postback: a platform tells us a tracked click became a sale."""


from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scopes import HasScope
from aimusicstore.strict import JsonInput
from aimusicstore.throttles import client_ip
from marketplace.models import PurchaseClick, Track
from marketplace.money import to_money
from marketplace.purchases import affiliate, postbacks, services
from marketplace.purchases.models import HeldSale

PurchaseClickAnswer = inline_serializer("PurchaseClick", {
    "click_id": serializers.UUIDField(allow_null=True, help_text="null when a known crawler asked anonymously"),
    "purchase_url": serializers.URLField(),
})


class PurchaseClickView(APIView):
    @extend_schema(
        summary="Record a purchase click; answers the URL to send the buyer to", request=None,
        description="The same rule as the Buy button: 404 for a track not on sale, 403 when its stored link "
                    "is waiting for approval or is not on its platform's own https domains.",
        responses={201: PurchaseClickAnswer, 200: PurchaseClickAnswer},
    )
    def post(self, request, pk):
        track = get_object_or_404(Track.objects.published().select_related("platform", "creator"), pk=pk)
        try:
            click, url = services.buy(
                track, user=request.user, referrer=request.headers.get("Referer", ""),
                ip=client_ip(request), user_agent=request.headers.get("User-Agent", ""),
            )
        except services.NotBuyable as error:
            raise PermissionDenied(str(error), code=error.reason) from error
        if click is None:
            return Response({"click_id": None, "purchase_url": url}, status=status.HTTP_200_OK)
        return Response({"click_id": str(click.click_id), "purchase_url": url}, status=status.HTTP_201_CREATED)


class PostbackSerializer(JsonInput, serializers.Serializer):
    click_id = serializers.UUIDField()
    order_id = serializers.CharField(max_length=100)
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=to_money("0.01"))
    currency = serializers.ChoiceField(choices=["USD"], default="USD")

    def validate_click_id(self, value):
        click = PurchaseClick.objects.select_related("track__platform").filter(click_id=value).first()
        if click is None:
            raise serializers.ValidationError("Unknown click.")
        return click


SaleAnswer = inline_serializer("Sale", {
    "sale_id": serializers.IntegerField(), "order_id": serializers.CharField(),
    "click_id": serializers.UUIDField(allow_null=True), "track_id": serializers.IntegerField(),
    "amount": serializers.DecimalField(max_digits=10, decimal_places=2),
    "currency": serializers.ChoiceField(choices=["USD"]),
    "commission_rate": serializers.DecimalField(max_digits=5, decimal_places=4),
    "commission": serializers.DecimalField(max_digits=10, decimal_places=2),
    "earnings": serializers.DecimalField(max_digits=10, decimal_places=2,
                                         help_text="amount = commission + earnings, to the cent"),
})
HeldAnswer = inline_serializer("HeldSale", {
    "held": serializers.BooleanField(), "order_id": serializers.CharField(),
    "click_id": serializers.UUIDField(allow_null=True), "track_id": serializers.IntegerField(),
    "amount": serializers.DecimalField(max_digits=10, decimal_places=2),
    "currency": serializers.ChoiceField(choices=["USD"]), "reason": serializers.CharField(),
})


def sale_json(sale):
    return {
        "sale_id": sale.pk, "order_id": sale.order_id, "click_id": str(sale.click.click_id) if sale.click else None,
        "track_id": sale.track_id, "amount": f"{sale.amount:.2f}", "currency": sale.currency,
        "commission_rate": f"{sale.commission_rate:.4f}", "commission": f"{sale.commission:.2f}",
        "earnings": f"{sale.earnings:.2f}",
    }


def held_json(held):
    return {"held": True, "order_id": held.order_id, "click_id": str(held.click.click_id) if held.click else None,
            "track_id": held.track_id, "amount": f"{held.amount:.2f}", "currency": held.currency,
            "reason": held.reason}


class AffiliatePostback(APIView):
    """Signed with hex HMAC-SHA256 of the raw body in X-Signature; idempotent on order_id.

    Counted in the platform's own rate-limit bucket; an out-of-range amount answers 202 and is held
    for staff review (marketplace.purchases.postbacks).
    """

    authentication_classes = []
    permission_classes = [HasScope]
    throttle_classes = [postbacks.PostbackThrottle]

    @extend_schema(
        summary="A platform reports a sale of a tracked click (signed)", request=PostbackSerializer,
        auth=[],
        parameters=[OpenApiParameter(
            "X-Signature", str, OpenApiParameter.HEADER, required=True,
            description="Hex HMAC-SHA256 of the raw request body with AFFILIATE_POSTBACK_SECRET, e.g. "
                        "`python -c 'import hmac,hashlib,sys; print(hmac.new(SECRET, sys.stdin.buffer.read(), "
                        "hashlib.sha256).hexdigest())' < body.json`",
        )],
        responses={
            201: OpenApiResponse(SaleAnswer, description="A new sale, credited to the track's creator"),
            200: OpenApiResponse(SaleAnswer, description="This order_id was reported before: nothing doubled"),
            202: OpenApiResponse(HeldAnswer, description="Held for staff review: the amount is out of range "
                                                         "for the track's price"),
        },
        description="The body is JSON; the signature covers its exact bytes. 201 a new sale, 200 the same "
                    "order_id again, 202 held for staff review, 403 `bad_signature`, 400 unknown click. "
                    "Postbacks are counted per platform secret, not per key.",
        examples=[
            OpenApiExample("A $1.99 sale", request_only=True, value={
                "click_id": "3f1c2a9e-6b7d-4e2f-9a51-0c8d7e6f5a4b", "order_id": "suno-order-1001",
                "amount": "1.99", "currency": "USD"}),
            OpenApiExample("Recorded", response_only=True, status_codes=["201", "200"], value={
                "sale_id": 7, "order_id": "suno-order-1001", "click_id": "3f1c2a9e-6b7d-4e2f-9a51-0c8d7e6f5a4b",
                "track_id": 42, "amount": "1.99", "currency": "USD", "commission_rate": "0.2000",
                "commission": "0.40", "earnings": "1.59"}),
        ],
    )
    def post(self, request):
        if not affiliate.signature_valid(request.body, request.headers.get("X-Signature", "")):
            raise exceptions.PermissionDenied("The X-Signature does not match the body.", code="bad_signature")
        serializer = PostbackSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        click = data["click_id"]
        sale, created = postbacks.report_sale(click, data["order_id"], data["amount"], data["currency"])
        if isinstance(sale, HeldSale):
            return Response(held_json(sale), status=status.HTTP_202_ACCEPTED)
        return Response(sale_json(sale), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
