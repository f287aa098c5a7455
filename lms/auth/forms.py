"""Forms for sign-up, login and profile."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional, ValidationError

from ..config import LANGUAGES
from ..forms import Form


def _language_choices():
    # Each language in its own name and script, marked with its lang and dir.
    return [
        SelectChoice(code, name, render_kw={"lang": code, "dir": direction})
        for code, (name, direction) in LANGUAGES.items()
    ]


def _strong_password(form, field):
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(field.data or "") < minimum:
        raise ValidationError(_l("Use at least %(n)s characters.", n=minimum))


class SetPasswordForm(Form):
    """A new password, typed twice (sign-up and invitation links)."""

    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(), _strong_password, Length(max=200)],
        description=_l("At least 10 characters. A sentence you can remember works well."),
    )
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )


class SignupForm(SetPasswordForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)])
    legal_name = StringField(
        _l("Name for certificates"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("Exactly as it shall be printed, in Latin letters, e.g. as in your passport."),
    )
    native_name = StringField(
        _l("Name in its own script (optional)"),
        validators=[Optional(), Length(max=200)],
        description=_l("For example in Arabic or Cyrillic letters. It is printed beside the Latin name."),
    )
    locale = SelectField(_l("Preferred language"), choices=_language_choices)


class LoginForm(Form):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=200)])
    remember = BooleanField(_l("Stay signed in on this device"))


class ProfileForm(Form):
    legal_name = StringField(_l("Name for certificates"), validators=[DataRequired(), Length(max=200)])
    native_name = StringField(_l("Name in its own script (optional)"), validators=[Optional(), Length(max=200)])
    locale = SelectField(_l("Preferred language"), choices=_language_choices)


class ForgotPasswordForm(Form):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)])
