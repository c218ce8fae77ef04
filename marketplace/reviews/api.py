"""The reviews API: a track's reviews (read, write), one review (edit, delete), and "helpful"."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scopes import HasScope
from aimusicstore import params
from aimusicstore.paging import Pagination
from marketplace.models import Track
from marketplace.reviews import selectors, services
from marketplace.reviews.models import Review
from marketplace.reviews.serializers import HelpfulSerializer, ReviewInputSerializer, ReviewSerializer

SORT = {"type": "string", "enum": [name for name, _ in selectors.SORTS], "default": "helpful"}
SORT_PARAM = OpenApiParameter("sort", str, enum=SORT["enum"], default=SORT["default"],
                              description="Most helpful (default), newest, highest or lowest rating first")


class ReviewPagination(Pagination):
    items_key = "reviews"


def _fresh(review):
    return Review.objects.select_related("author", "track").with_verified_buyer().get(pk=review.pk)


class TrackReviewsView(generics.ListCreateAPIView):
    """GET: a published track's reviews. POST: rate and review it (again: your review changes)."""

    serializer_class = ReviewSerializer
    pagination_class = ReviewPagination
    permission_classes = [HasScope, permissions.IsAuthenticatedOrReadOnly]
    filter_backends = []

    def track(self):
        return get_object_or_404(Track.objects.published(), pk=self.kwargs["pk"])

    def get_queryset(self):
        return selectors.reviews_of(self.track(), sort=params.query_value(self.request, "sort", SORT))

    @extend_schema(summary="A track's reviews", parameters=[SORT_PARAM])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(summary="Rate and review a track (201; 200 when it changes your earlier review)",
                   request=ReviewInputSerializer, responses={201: ReviewSerializer, 200: ReviewSerializer})
    def post(self, request, *args, **kwargs):
        track = self.track()
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review, created = services.save_review(request.user, track, **data.validated_data)
        location = request.build_absolute_uri(reverse("api-review", args=[review.pk]))
        return Response(ReviewSerializer(_fresh(review), context={"request": request}).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
                        headers={"Location": location} if created else None)


class ReviewDetailView(APIView):
    """One review; its author may edit it, its author or staff may delete it."""

    permission_classes = [HasScope, permissions.IsAuthenticatedOrReadOnly]

    def review(self):
        return get_object_or_404(Review.objects.on_published_tracks().select_related("author", "track"),
                                 pk=self.kwargs["pk"])

    @extend_schema(summary="A review", responses=ReviewSerializer)
    def get(self, request, pk):
        return Response(ReviewSerializer(_fresh(self.review()), context={"request": request}).data)

    @extend_schema(summary="Change your review", request=ReviewInputSerializer, responses=ReviewSerializer)
    def patch(self, request, pk):
        review = self.review()
        if review.author_id != request.user.pk:
            raise PermissionDenied("Only the review's author can change it.")
        data = ReviewInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        review = services.update_review(review, **data.validated_data)
        return Response(ReviewSerializer(_fresh(review), context={"request": request}).data)

    @extend_schema(summary="Delete your review (or any, for staff)", responses={204: None})
    def delete(self, request, pk):
        review = self.review()
        if review.author_id != request.user.pk and not request.user.is_staff:
            raise PermissionDenied("Only the review's author can delete it.")
        services.delete_review(review)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReviewHelpfulView(APIView):
    """Mark a review helpful; once per member, a repeat changes nothing."""

    permission_classes = [HasScope, permissions.IsAuthenticated]

    @extend_schema(summary="Mark a review helpful", request=None, responses=HelpfulSerializer)
    def post(self, request, pk):
        review = get_object_or_404(Review.objects.on_published_tracks(), pk=pk)
        counted = services.mark_helpful(request.user, review)
        return Response({"counted": counted, "helpful_count": review.helpful_count})
