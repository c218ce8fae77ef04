"""Demo reviews: listeners rate about half the catalogue, a few as verified buyers, and mark reviews helpful."""

from datetime import timedelta

from marketplace.purchases import services as purchases
from marketplace.reviews import services
from marketplace.reviews.models import Review

OPENINGS = [
    "Exactly the mood I needed for a late-night edit.",
    "Clean mix, the **low end** sits well under voice-over.",
    "Nice idea, but the loop gets repetitive after a minute.",
    "Used it in a client reel: *zero* complaints.",
    "Great texture. Would love a longer version.",
    "The drop is a bit abrupt, otherwise solid.",
    "Perfect background for a product demo.",
    "Feels generic to me, sorry.",
]
RATINGS = [5, 5, 4, 4, 4, 3, 3, 2, 5, 4]


def seed_reviews(rng, now, tracks, listeners):
    """Reviews on every other track from a handful of listeners each; every seventh reviewer bought it first."""
    written = []
    for n, track in enumerate(tracks[::2]):
        for m, listener in enumerate(rng.sample(listeners, k=min(len(listeners), rng.randint(1, 6)))):
            if m % 7 == 3:  # a verified buyer: their own click became a recorded sale
                click = purchases.record_purchase_click(track, user=listener, ip=f"10.9.{n % 255}.{m}")
                purchases.record_sale(track, f"demo-review-{track.pk}-{listener.pk}", track.price, click=click,
                                      source="demo")
            text = rng.choice(OPENINGS) if rng.random() < 0.8 else ""
            review, _ = services.save_review(listener, track, rating=rng.choice(RATINGS), text=text)
            written.append(review)
    for review in written:
        Review.objects.filter(pk=review.pk).update(created_at=now - timedelta(days=rng.uniform(0, 30)))
        for fan in rng.sample(listeners, k=rng.randint(0, 4)):
            if fan.pk != review.author_id:
                services.mark_helpful(fan, review)
    return written
