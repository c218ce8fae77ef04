"""allauth's adapter, tolerant of the mail server being unreachable.

Sign-up commits the account before allauth sends the confirmation email; an SMTP failure then
was a 500 for an account that already existed. Now the failure is logged and the visitor sees
the usual "check your email" page; the confirmation can be sent again from the login page
(allauth's resend) once mail works.
"""

import logging
import smtplib

from allauth.account.adapter import DefaultAccountAdapter

logger = logging.getLogger("aimusicstore.degraded")


class MailTolerantAccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        try:
            super().send_mail(template_prefix, email, context)
        except (smtplib.SMTPException, OSError) as error:
            logger.error("could not send %s to a user: %s", template_prefix, error)
