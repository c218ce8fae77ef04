"""allauth's adapter, tolerant of the mail server being unreachable, and telling no one which addresses are known.

Sign-up commits the account before allauth sends the confirmation email; an SMTP failure then
was a 500 for an account that already existed. Now the failure is logged and the visitor sees
the usual "check your email" page; the confirmation can be sent again from the login page
(allauth's resend) once mail works.
"""

import logging
import smtplib

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.hashers import make_password
from django.utils.crypto import get_random_string

logger = logging.getLogger("aimusicstore.degraded")


class MailTolerantAccountAdapter(DefaultAccountAdapter):
    # One answer for a wrong password and for an address not confirmed yet (accounts.forms.LoginForm
    # says why), in the API login's words.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "The email address and/or password you specified are not correct, or the "
                                   "address is not confirmed yet: a new account logs in once the link we "
                                   "emailed has been opened.",
    }

    def send_mail(self, template_prefix, email, context):
        try:
            super().send_mail(template_prefix, email, context)
        except (smtplib.SMTPException, OSError) as error:
            logger.error("could not send %s to a user: %s", template_prefix, error)

    def send_account_already_exists_mail(self, email):
        """A sign-up with a known address (web or API) answers as a new one does and mails the owner instead.

        A new sign-up hashes its password; this one hashes a throwaway, so the two take about as long.
        """
        make_password(get_random_string(32))
        super().send_account_already_exists_mail(email)
