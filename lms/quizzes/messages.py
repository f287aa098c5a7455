"""Messages about attempt rules, in the learner's language (used by module and quiz pages)."""

from flask_babel import format_datetime
from flask_babel import gettext as _


def refusal_message(refused):
    """Why no attempt is possible now."""
    if refused.reason == "passed":
        return _("You have already passed this quiz.")
    if refused.reason == "limit":
        return _("You have used all attempts for this quiz. Please contact your trainer or coordinator.")
    return _(
        "You can try again from %(time)s. Use the time to read the explanations.",
        time=format_datetime(refused.retry_at, "short"),
    )
