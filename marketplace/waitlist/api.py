"""The waitlist API: join and count."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.waitlist import services
from marketplace.waitlist.serializers import WaitlistInputSerializer

WaitlistCount = inline_serializer("WaitlistCount", {"count": serializers.IntegerField()})


class WaitlistCountView(APIView):
    @extend_schema(summary="How many people have a confirmed place on the waitlist", responses=WaitlistCount)
    def get(self, request):
        return Response({"count": services.count()})


class WaitlistJoinView(APIView):
    @extend_schema(
        summary="Join the waitlist (joining twice changes nothing)", request=WaitlistInputSerializer,
        responses={201: WaitlistCount},
    )
    def post(self, request):
        data = WaitlistInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.join_waitlist(data.validated_data["email"], data.validated_data["interest"])
        # The same answer for a new and a known address: the waitlist does not tell who is on it (the
        # count is of confirmed places, which joining does not move).
        return Response({"count": services.count()}, status=status.HTTP_201_CREATED)
