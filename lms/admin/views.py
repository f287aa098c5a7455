"""Admin pages: accounts, roles, the audit log. Certificates have their own staff pages (certificates.staff_views)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from ..audit.models import AuditEntry
from ..audit.services import record
from ..auth import services as auth_services
from ..auth.invitations import RESET_HOURS, reset_link
from ..auth.models import User
from ..auth.permissions import role_required
from ..exports import page_number, search_argument
from ..extensions import db
from .forms import ROLE_LABELS, RoleForm

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


@bp.route("/users")
@role_required("admin")
def list_users():
    query = search_argument()
    stmt = select(User).order_by(User.legal_name, User.id)
    if query:
        like = f"%{query.lower()}%"
        stmt = stmt.where(or_(func.lower(User.email).like(like), func.lower(User.legal_name).like(like)))
    users = db.paginate(stmt, page=page_number(), per_page=25, error_out=False)
    return render_template("admin/users.html", users=users, query=query, form=RoleForm(), role_labels=ROLE_LABELS)


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@role_required("admin")
def change_role(user_id):
    user = db.session.get(User, user_id) or abort(404)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    if user.id == current_user.id and form.role.data != "admin":
        flash(_("You cannot take the administrator role from yourself."), "error")
        return redirect(url_for("admin.list_users"))
    auth_services.set_role(user, form.role.data, current_user)
    db.session.commit()
    flash(_("The role has been changed."), "success")
    return redirect(url_for("admin.list_users", q=request.args.get("q", "")))


@bp.route("/users/<int:user_id>/reset-link", methods=["POST"])
@role_required("admin")
def create_reset_link(user_id):
    """A one-time password link to hand over in person, for sites that send no e-mail."""
    user = db.session.get(User, user_id) or abort(404)
    record(current_user, "user.reset_link", user)
    db.session.commit()
    return render_template("admin/reset_link.html", user=user, link=reset_link(user), hours=RESET_HOURS)


@bp.route("/audit")
@role_required("admin")
def audit_log():
    """Who did what to whom: role changes, certificates, imports, exports of personal data."""
    action = search_argument("action", limit=60)
    stmt = select(AuditEntry).options(joinedload(AuditEntry.actor)).order_by(AuditEntry.id.desc())
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    entries = db.paginate(stmt, page=page_number(), per_page=50, error_out=False)
    actions = db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)).all()
    return render_template("admin/audit.html", entries=entries, actions=actions, action=action)
