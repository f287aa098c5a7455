"""The privacy notice, downloading one's own data, deleting one's account."""

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from werkzeug.security import check_password_hash

from ..certificates.services import certificates_of
from ..exports import file_download
from ..extensions import db
from . import services
from .forms import DeleteAccountForm

bp = Blueprint("privacy", __name__, template_folder="templates")


@bp.route("/privacy")
def notice():
    return render_template(
        "privacy/notice.html",
        retention_years=current_app.config["INACTIVE_ACCOUNT_YEARS"],
        controller=current_app.config["ORGANISATION_NAME"],
        contact=current_app.config["PRIVACY_CONTACT"],
    )


@bp.route("/me/data.zip")
@login_required
def download_data():
    """Everything stored about me (JSON) and my certificates (PDF), in one file."""
    return file_download(services.data_archive(current_user), "application/zip", "meine-daten.zip")


@bp.route("/me/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if not check_password_hash(current_user.password_hash, form.password.data):
            form.password.errors.append(_("The password is wrong."))
        else:
            user = current_user._get_current_object()
            services.delete_account(user, form.certificates.data == "keep", user)
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Your account has been deleted. Thank you for learning with us."), "success")
            return redirect(url_for("catalog.index"), 303)
    status = 400 if form.errors else 200
    return render_template("privacy/delete.html", form=form, certificates=certificates_of(current_user)), status
