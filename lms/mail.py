"""Sending e-mail, when an SMTP server is configured (LMS_MAIL_SERVER); off by default.

Without a server the site works the same: invitation links are printed for the coordinator
to hand over. Tests run their own small SMTP server on the loopback address.
"""

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

logger = logging.getLogger(__name__)


class MailFailed(Exception):
    """The SMTP server could not be reached or refused the message."""


def mail_enabled():
    return bool(current_app.config.get("MAIL_SERVER"))


def send_mail(messages):
    """Send [(to, subject, body)] over one SMTP connection; raise MailFailed if that fails."""
    config = current_app.config
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=15) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            for to, subject, body in messages:
                message = EmailMessage()
                message["From"] = config["MAIL_SENDER"]
                message["To"] = to
                message["Subject"] = subject
                message.set_content(body)
                smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        logger.warning("Sending %s e-mails failed: %s", len(messages), exc)
        raise MailFailed(str(exc)) from exc
    logger.info("Sent %s e-mails", len(messages))
