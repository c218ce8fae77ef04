"""Review pages: the track page's reviews section, the review form, delete, and "helpful"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from aimusicstore.http import safe_next
from marketplace.discovery.text import render_markdown
from marketplace.models import Track
from marketplace.reviews import selectors, services
from marketplace.reviews.forms import ReviewForm
from marketplace.reviews.models import Review

SHOWN = 20  # reviews on the track page; the rest are a sort away


def reviews_context(request, track, sort=None, form=None):
    """What templates/marketplace/reviews/partials/reviews.html needs (the track page includes it)."""
    sort = selectors.clean_sort(sort or request.GET.get("reviews"))
    # The denormalised count says when there is nothing to read: an unreviewed track costs no query.
    reviews = list(selectors.reviews_of(track, sort=sort, viewer=request.user)[:SHOWN]) if track.rating_count else []
    for review in reviews:
        review.text_html = render_markdown(review.text)
    mine = selectors.review_by(request.user, track) if track.rating_count else None
    if form is None and mine is not None:
        form = ReviewForm(initial={"rating": mine.rating, "text": mine.text})
    return {
        "track": track, "reviews": reviews, "review_sort": sort, "review_sorts": selectors.SORTS,
        "my_review": mine, "review_form": form or ReviewForm(),
        "can_review": request.user.is_authenticated and request.user.pk != track.creator_id,
    }


def _track(pk):
    return get_object_or_404(Track.objects.published().select_related("creator"), pk=pk)


def reviews(request, pk):
    """The reviews section in one sort: the htmx swap of the track page's sort links, or a page."""
    track = _track(pk)
    context = reviews_context(request, track, sort=request.GET.get("sort"))
    if request.htmx:
        return render(request, "marketplace/reviews/partials/reviews.html", context)
    return render(request, "marketplace/reviews/reviews.html", context)


@login_required
def review(request, pk):
    """Rate and review a track, or change your review (the track page's form posts here)."""
    track = _track(pk)
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            _, created = services.save_review(request.user, track, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, "Thanks, your review is up." if created else "Your review is updated.")
            return redirect(f"{track.get_absolute_url()}#reviews")
    status = 400 if request.method == "POST" else 200
    return render(request, "marketplace/reviews/reviews.html",
                  reviews_context(request, track, form=form if request.method == "POST" else None), status=status)


@require_POST
@login_required
def delete_review(request, pk):
    review = get_object_or_404(Review.objects.select_related("track"), pk=pk)
    if review.author_id != request.user.pk and not request.user.is_staff:
        raise PermissionDenied
    services.delete_review(review)
    messages.success(request, "Your review is deleted.")
    return redirect(f"{review.track.get_absolute_url()}#reviews")


@require_POST
@login_required
def helpful(request, pk):
    """Mark a review helpful once; htmx swaps the button, a plain post goes back to the track."""
    review = get_object_or_404(Review.objects.on_published_tracks().select_related("track"), pk=pk)
    try:
        services.mark_helpful(request.user, review)
    except ValidationError as exc:
        if not request.htmx:
            messages.error(request, exc.messages[0])
    if request.htmx:
        review.marked_helpful = review.author_id != request.user.pk
        return render(request, "marketplace/reviews/partials/helpful_button.html", {"review": review})
    return redirect(safe_next(request, f"{review.track.get_absolute_url()}#review-{review.pk}"))
