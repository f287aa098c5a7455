"""Sign-up, login, logout and the profile page."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db
from ..i18n.locale import current_locale_code
from ..safe_redirect import safe_next
from . import services
from .forms import LoginForm, ProfileForm, SetPasswordForm, SignupForm
from .invitations import read_invitation

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


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("learning.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("E-mail address or password is wrong."))
        else:
            db.session.commit()
            session.clear()  # a fresh session at login (no fixation)
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")))
    status = 400 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    user = read_invitation(token)
    if user is None:
        message = _("This invitation link has expired or was used already. Please ask your coordinator for a new one.")
        return render_template("errors/error.html", code=400, message=message), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        db.session.commit()
        logout_user()
        session.clear()
        login_user(user)
        flash(_("Your password is saved. Welcome!"), "success")
        return redirect(url_for("learning.dashboard"))
    status = 400 if form.errors else 200
    return render_template("auth/invitation.html", form=form, user=user), status


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
