"""POST /api/v1/reports: the report form's twin, through the same service."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import ApiKeyAuthentication
from accounts.scopes import HasScope
from aimusicstore.strict import JsonInput
from marketplace.moderation import services, targets
from marketplace.moderation.models import Report


class ReportSerializer(JsonInput, serializers.Serializer):
    target_type = serializers.ChoiceField(choices=sorted(targets.TARGETS))
    target_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    reason = serializers.ChoiceField(choices=Report.Reason.values)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


ReportAnswer = inline_serializer("Report", {
    "id": serializers.IntegerField(), "target_type": serializers.ChoiceField(choices=sorted(targets.TARGETS)),
    "target_id": serializers.IntegerField(), "reason": serializers.ChoiceField(choices=Report.Reason.values),
    "note": serializers.CharField(allow_blank=True), "status": serializers.CharField(),
    "created_at": serializers.DateTimeField(), "updated_at": serializers.DateTimeField(),
})


def report_body(report):
    return {"id": report.pk, "target_type": report.target_type, "target_id": report.target_id,
            "reason": report.reason, "note": report.note, "status": report.status,
            "created_at": report.created_at, "updated_at": report.updated_at}


class ReportView(APIView):
    """Report a track or creator; 201 for a new report, 200 with the caller's open report updated."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasScope, permissions.IsAuthenticated]

    @extend_schema(summary="Report a track, creator or review (201 new; 200 your open report, updated)",
                   request=ReportSerializer, responses={200: ReportAnswer, 201: ReportAnswer})
    def post(self, request):
        serializer = ReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report, created = services.file_report(request.user, data["target_type"], data["target_id"],
                                                data["reason"], data["note"])
        return Response(report_body(report), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
