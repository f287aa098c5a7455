"""Sign-up, login (with lockout), password reset, logout and the profile page."""

import math

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, limiter
from ..i18n.locale import current_locale_code
from ..mail import MailFailed, mail_enabled, send_mail
from ..models_mixins import utcnow
from ..safe_redirect import safe_next
from . import services
from .forms import ForgotPasswordForm, LoginForm, ProfileForm, SetPasswordForm, SignupForm
from .invitations import RESET_HOURS, read_invitation, read_reset_token, reset_mail

bp = Blueprint("auth", __name__, template_folder="templates")


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("learning.dashboard"))
    form = SignupForm()
    if request.method == "GET":
        form.locale.data = current_locale_code()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                form.email.data,
                form.password.data,
                form.legal_name.data,
                form.native_name.data,
                form.locale.data,
            )
        except services.DuplicateEmail:
            form.email.errors.append(_("An account with this e-mail address exists already. Please sign in instead."))
        else:
            db.session.commit()
            session.clear()
            login_user(user)
            flash(_("Welcome! Your account has been created."), "success")
            return redirect(url_for("catalog.index"))
    status = 400 if form.errors else 200
    return render_template("auth/signup.html", form=form), status


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _reset_limit():
    return current_app.config["PASSWORD_RESET_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("learning.dashboard"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except services.AccountLocked as locked:
            minutes = max(1, math.ceil((locked.until - utcnow()).total_seconds() / 60))
            form.password.errors.append(
                ngettext(
                    "Too many wrong passwords. Please wait %(num)s minute or reset your password.",
                    "Too many wrong passwords. Please wait %(num)s minutes or reset your password.",
                    minutes,
                )
            )
            status = 429
        else:
            db.session.commit()  # counts a failure, or records the sign-in
            if user is None:
                form.password.errors.append(_("E-mail address or password is wrong."))
            else:
                session.clear()  # a fresh session at login (no fixation)
                login_user(user, remember=form.remember.data)
                return redirect(safe_next(request.args.get("next")))
    if form.errors and status == 200:
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def forgot_password():
    """Ask for a reset link by e-mail; the answer is the same whether the account exists or not."""
    if current_user.is_authenticated:
        return redirect(url_for("auth.profile"))
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        if not mail_enabled():
            flash(
                _("This site sends no e-mail. Please ask your coordinator or an administrator for a reset link."),
                "info",
            )
            return redirect(url_for("auth.login"), 303)
        user = services.find_user_by_email(form.email.data)
        if user is not None and user.is_active:
            try:
                send_mail([reset_mail(user)])
            except MailFailed:
                flash(_("The e-mail could not be sent. Please try again later."), "error")
                return render_template("auth/forgot.html", form=form), 503
        flash(
            _(
                "If an account has this address, we have sent it a link. It works once, for %(hours)s hours.",
                hours=RESET_HOURS,
            ),
            "info",
        )
        return redirect(url_for("auth.login"), 303)
    status = 400 if form.errors else 200
    return render_template("auth/forgot.html", form=form, can_mail=mail_enabled()), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def reset_password(token):
    user = read_reset_token(token)
    if user is None:
        message = _("This link has expired or was used already. Please ask for a new one.")
        return render_template("errors/error.html", code=400, message=message), 400
    return _choose_password(user, "auth/reset.html", _("Your new password is saved."))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    user = read_invitation(token)
    if user is None:
        message = _("This invitation link has expired or was used already. Please ask your coordinator for a new one.")
        return render_template("errors/error.html", code=400, message=message), 400
    return _choose_password(user, "auth/invitation.html", _("Your password is saved. Welcome!"))


def _choose_password(user, template, done_message):
    """The page of a one-time link: set the new password, then sign in afresh."""
    form = SetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        db.session.commit()
        logout_user()
        session.clear()  # sessions opened with the old password end with it (User.get_id)
        login_user(user)
        flash(done_message, "success")
        return redirect(url_for("learning.dashboard"))
    status = 400 if form.errors else 200
    return render_template(template, form=form, user=user), status


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("catalog.index"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(current_user, form.legal_name.data, form.native_name.data, form.locale.data)
        db.session.commit()
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("auth.profile"))
    status = 400 if form.errors else 200
    return render_template("auth/profile.html", form=form), status
