"""One-click unsubscribe from the newsletter: GET asks, POST (also the mail client's) does it."""

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from marketplace.newsletter import services


@csrf_exempt  # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" with no token of ours
def unsubscribe(request, token):
    email = services.read_unsubscribe_token(token)
    if email is None:
        return render(request, "marketplace/newsletter/unsubscribe.html", {"invalid": True}, status=400)
    done = request.method == "POST"
    if done:
        services.unsubscribe(email)
    return render(request, "marketplace/newsletter/unsubscribe.html", {"done": done, "email": email})
