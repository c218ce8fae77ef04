from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aimusicstore.http import safe_next
from marketplace.models import Tool, Track
from voting import selectors, services
from voting.ratelimit import RateLimited

TARGETS = {"track": Track.objects.published(), "tool": Tool.objects.all()}
PARTIAL = "voting/partials/vote_buttons.html"


@require_POST
def vote(request, target_type, pk):
    """Cast, change or withdraw the user's vote; htmx gets the buttons back, a plain post a redirect."""
    if target_type not in TARGETS:
        raise Http404("Unknown target")
    target = TARGETS[target_type].select_related("score").filter(pk=pk).first()
    if target is None:
        raise Http404("No such item")
    back = safe_next(request, target.get_absolute_url())
    if not request.user.is_authenticated:
        login = f"{reverse('account_login')}?next={back}"
        if request.htmx:
            return HttpResponse(status=204, headers={"HX-Redirect": login})
        return redirect(login)
    error, retry_after, result = "", None, None
    try:
        result = services.cast_vote(request.user, target, request.POST.get("value"))
    except services.VoteRefused as refused:
        error = refused.message
    except RateLimited as limited:
        error, retry_after = f"{limited} Try again in {limited.retry_after} s.", limited.retry_after
    if not request.htmx:
        if error:
            messages.error(request, error)
        elif result.changed:
            messages.success(request, "Vote withdrawn." if result.value == 0 else "Vote recorded.")
        return redirect(back)
    state = selectors.vote_state(request, target)
    if result is not None:
        state.update(score=result.score, upvotes=result.upvotes, downvotes=result.downvotes, mine=result.value)
    # htmx swaps 2xx answers only, so a refusal travels as 200 with its message inside the partial.
    response = render(request, PARTIAL, {"target": target, "state": state, "vote_error": error, "next": back})
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@login_required
def history(request):
    page = Paginator(selectors.vote_history(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "voting/history.html", {"page": page})


def how_ranking_works(request):
    from voting import services, weights

    return render(request, "voting/how_ranking_works.html", {
        "half_life": services.TRENDING_HALF_LIFE_HOURS, "max_weight": int(weights.MAX_WEIGHT),
        "hold_days": weights.HOLD_DAYS, "ramp_days": weights.AGE_RAMP_DAYS, "listen_seconds": weights.LISTEN_SECONDS,
    })
