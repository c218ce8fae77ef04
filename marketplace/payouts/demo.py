"""Demo payout destinations: every demo creator but the first (who shows the "add a method" step) has one."""

from marketplace.payouts.models import PayoutMethod


def seed_payout_methods(creators):
    for i, creator in enumerate(creators[1:], start=1):
        if i % 2:
            PayoutMethod.objects.get_or_create(creator=creator, defaults={
                "kind": PayoutMethod.Kind.PAYPAL, "account": f"creator{i}@paypal.demo.aimusicstore.test",
                "legal_name": creator.display_name, "country": "US",
            })
        else:
            PayoutMethod.objects.get_or_create(creator=creator, defaults={
                "kind": PayoutMethod.Kind.IBAN, "account": "DE89370400440532013000",
                "account_name": creator.display_name, "legal_name": creator.display_name, "country": "DE",
            })
