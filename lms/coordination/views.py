"""Coordinators' pages: their organisations, people, cohorts, attendance and certificates.

Every view loads the organisation (directly or through a cohort) and answers 404 when the
signed-in coordinator does not coordinate it, so no URL shows another organisation's people.
"""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..audit.services import record as audit_record
from ..auth.invitations import INVITATION_DAYS, invitation_link
from ..auth.models import User
from ..auth.permissions import role_required
from ..auth.services import find_user_by_email, set_role
from ..catalog.models import Course
from ..certificates.models import Certificate
from ..certificates.pdf import render_certificates_pdf, render_certificates_zip
from ..exports import file_download, page_number, parse_id, search_argument, table_download
from ..extensions import db
from ..i18n.locale import current_locale_code
from ..mail import MailFailed, mail_enabled, send_mail
from . import importing, reports, services
from .forms import CohortForm, CoordinatorForm, MemberForm, OrganisationForm, SessionForm
from .models import Cohort, Organisation

bp = Blueprint("coordination", __name__, url_prefix="/coordination", template_folder="templates")


def _organisation_or_404(organisation_id):
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or not services.coordinates(current_user, organisation.id):
        abort(404)
    return organisation


def _cohort_or_404(cohort_id):
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not services.coordinates(current_user, cohort.organisation_id):
        abort(404)
    return cohort


@bp.route("")
@role_required("coordinator")
def index():
    organisations = db.paginate(
        services.organisations_for(current_user), page=page_number(), per_page=25, error_out=False
    )
    return render_template("coordination/index.html", organisations=organisations, form=OrganisationForm())


@bp.route("/organisations", methods=["POST"])
@role_required("admin")
def create_organisation():
    form = OrganisationForm()
    if not form.validate_on_submit():
        flash(_("Please give the organisation a name."), "error")
        return redirect(url_for("coordination.index"), 303)
    try:
        organisation = services.create_organisation(form.name.data, form.city.data or "", current_user)
    except services.DuplicateOrganisation:
        db.session.rollback()
        flash(_("An organisation with this name exists already."), "error")
        return redirect(url_for("coordination.index"), 303)
    db.session.commit()
    return redirect(url_for("coordination.show_organisation", organisation_id=organisation.id), 303)


@bp.route("/organisations/<int:organisation_id>/coordinators", methods=["POST"])
@role_required("admin")
def add_coordinator(organisation_id):
    organisation = _organisation_or_404(organisation_id)
    form = CoordinatorForm()
    user = find_user_by_email(form.email.data or "") if form.validate_on_submit() else None
    if user is None:
        flash(_("No account has this e-mail address. The person must sign up first."), "error")
        return redirect(url_for("coordination.show_organisation", organisation_id=organisation.id), 303)
    services.add_member(organisation, user, is_coordinator=True, actor=current_user)
    if user.role == "learner":
        set_role(user, "coordinator", current_user)
    db.session.commit()
    flash(_("%(name)s now coordinates this organisation.", name=user.legal_name), "success")
    return redirect(url_for("coordination.show_organisation", organisation_id=organisation.id), 303)


@bp.route("/organisations/<int:organisation_id>")
@role_required("coordinator")
def show_organisation(organisation_id):
    organisation = _organisation_or_404(organisation_id)
    search = search_argument()
    people = db.paginate(
        services.people_query(organisation.id, search), page=page_number(), per_page=25, error_out=False, count=True
    )
    page_ids = [user.id for user in people.items]
    coordinators = services.coordinator_ids(organisation.id, page_ids)
    rows = [(user, user.id in coordinators) for user in people.items]
    progress = reports.learner_progress(page_ids)
    cohorts = db.session.scalars(
        select(Cohort).where(Cohort.organisation_id == organisation.id).order_by(Cohort.starts_on.desc(), Cohort.id)
    ).all()
    courses = db.session.scalars(select(Course).where(Course.is_listed).order_by(Course.slug)).all()
    cohort_form = CohortForm()
    cohort_form.course.choices = [(c.id, c.title_in(current_locale_code())) for c in courses]
    return render_template(
        "coordination/organisation.html",
        organisation=organisation,
        people=people,
        rows=rows,
        progress=progress,
        search=search,
        figures=reports.course_figures(organisation.id),
        months=reports.completions_per_month(organisation.id),
        cohorts=cohorts,
        courses={c.id: c for c in courses},
        cohort_form=cohort_form,
        coordinator_form=CoordinatorForm(),
        language=current_locale_code(),
    )


@bp.route("/organisations/<int:organisation_id>/people.<any(csv, xlsx):fmt>")
@role_required("coordinator")
def export_people(organisation_id, fmt):
    organisation = _organisation_or_404(organisation_id)
    people = db.session.scalars(services.people_query(organisation.id)).all()
    progress = reports.learner_progress([user.id for user in people])
    courses = {c.id: c for c in db.session.scalars(select(Course))}
    header = [_("Name"), _("Name in own script"), _("E-mail address"), _("Language"), _("Course"),
              _("Modules passed"), _("Completed")]  # fmt: skip
    rows = []
    for user in people:
        for course_id, (passed, completed) in (progress.get(user.id) or {None: (0, False)}).items():
            title = courses[course_id].title_in("de") if course_id in courses else ""
            rows.append([user.legal_name, user.native_name or "", user.email, user.locale or "", title, passed,
                         _("yes") if completed else _("no")])  # fmt: skip
    audit_record(current_user, "personal_data.export", organisation, list="people", rows=len(rows))
    db.session.commit()
    return table_download(header, rows, f"personen-{organisation.id}", fmt)


@bp.route("/organisations/<int:organisation_id>/import", methods=["GET", "POST"])
@role_required("coordinator")
def start_import(organisation_id):
    """Upload a list; answer with the check of every line (nothing stored yet)."""
    organisation = _organisation_or_404(organisation_id)
    if request.method == "GET":
        return render_template("coordination/import.html", organisation=organisation, rows=None, refused=None)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _import_refused(organisation, _("Please choose a file."))
    data = upload.read(importing.MAX_BYTES + 1)
    upload.close()
    try:
        rows = _check(organisation, data, upload.filename)
    except importing.ImportRefused as refused:
        return _import_refused(organisation, _(refused.message, **refused.params))
    token = importing.stage(data, upload.filename, current_user, organisation) if not _has_problems(rows) else None
    status = 422 if _has_problems(rows) else 200
    page = render_template("coordination/import.html", organisation=organisation, rows=rows, token=token, refused=None)
    db.session.rollback()  # checking never stores anything
    return page, status


@bp.route("/organisations/<int:organisation_id>/import/confirm", methods=["POST"])
@role_required("coordinator")
def confirm_import(organisation_id):
    """Check the staged list again and, if it is still clean, store all of it in one go."""
    organisation = _organisation_or_404(organisation_id)
    token = request.form.get("token", "")
    staged = importing.staged(token, current_user, organisation)
    if staged is None:
        return _import_refused(organisation, _("The checked list is no longer available. Please upload it again."))
    data, filename = staged
    rows = _check(organisation, data, filename)
    if _has_problems(rows):  # something changed since the preview: show the new check
        db.session.rollback()
        return render_template(
            "coordination/import.html", organisation=organisation, rows=rows, token=None, refused=None
        ), 422
    created = importing.apply(rows)
    audit_record(current_user, "organisation.import", organisation, rows=len(rows), new_accounts=len(created))
    db.session.commit()
    importing.discard(token)
    invitations = [(user, invitation_link(user)) for user in created]
    return render_template(
        "coordination/invitations.html",
        organisation=organisation,
        invitations=invitations,
        imported=len(rows),
        days=INVITATION_DAYS,
        can_mail=mail_enabled(),
    )


@bp.route("/organisations/<int:organisation_id>/invitations", methods=["POST"])
@role_required("coordinator")
def send_invitations(organisation_id):
    """E-mail fresh invitation links to people of the organisation who never signed in."""
    organisation = _organisation_or_404(organisation_id)
    if not mail_enabled():
        abort(404)
    ids = {parse_id(v) for v in request.form.getlist("user")} - {None}
    people = db.session.scalars(services.people_query(organisation.id).where(User.id.in_(ids))).all()
    if len(people) != len(ids) or not people:
        abort(400)  # someone outside this organisation, or nobody
    invited = [user for user in people if user.last_login_at is None]
    messages = []
    for user in invited:
        with force_locale(user.locale or "de"):  # in the language of the person invited
            link = invitation_link(user)
            subject = _("Your account for learning with %(organisation)s", organisation=organisation.name)
            days = INVITATION_DAYS
            body = render_template(
                "coordination/invitation_mail.txt", user=user, link=link, organisation=organisation, days=days
            )
            messages.append((user.email, subject, body))
    try:
        send_mail(messages)
    except MailFailed:
        flash(_("The e-mails could not be sent. Please hand over the printed links instead."), "error")
        return redirect(url_for("coordination.show_organisation", organisation_id=organisation.id), 303)
    audit_record(current_user, "organisation.send_invitations", organisation, count=len(messages))
    db.session.commit()
    flash(
        ngettext("%(num)d invitation sent by e-mail.", "%(num)d invitations sent by e-mail.", len(messages)), "success"
    )
    return redirect(url_for("coordination.show_organisation", organisation_id=organisation.id), 303)


def _check(organisation, data, filename):
    table = importing.read_table(data, filename)
    in_scope = db.session.scalars(services.organisations_for(current_user)).all()
    return importing.check(table, organisation, in_scope, set(current_app.config["LANGUAGES"]), current_user)


def _has_problems(rows):
    return any(row.problems for row in rows)


def _import_refused(organisation, message):
    return render_template("coordination/import.html", organisation=organisation, rows=None, refused=message), 400


@bp.route("/organisations/<int:organisation_id>/cohorts", methods=["POST"])
@role_required("coordinator")
def create_cohort(organisation_id):
    organisation = _organisation_or_404(organisation_id)
    form = CohortForm()
    form.course.choices = [(c.id, c.slug) for c in db.session.scalars(select(Course).where(Course.is_listed))]
    if not form.validate_on_submit():
        flash(_("Please check the cohort: name, course and dates (the last day not before the first)."), "error")
        return redirect(url_for("coordination.show_organisation", organisation_id=organisation.id), 303)
    if form.starts_on.data and form.ends_on.data and form.ends_on.data < form.starts_on.data:
        flash(_("Please check the cohort: name, course and dates (the last day not before the first)."), "error")
        return redirect(url_for("coordination.show_organisation", organisation_id=organisation.id), 303)
    cohort = services.create_cohort(
        organisation,
        db.session.get(Course, form.course.data),
        form.name.data,
        form.kind.data,
        form.starts_on.data,
        form.ends_on.data,
        form.place.data or "",
        None,
        current_user,
    )
    db.session.commit()
    return redirect(url_for("coordination.show_cohort", cohort_id=cohort.id), 303)


@bp.route("/cohorts/<int:cohort_id>")
@role_required("coordinator")
def show_cohort(cohort_id):
    cohort = _cohort_or_404(cohort_id)
    members = services.cohort_members(cohort)
    certificates = {
        c.user_id: c
        for c in db.session.scalars(
            select(Certificate).where(
                Certificate.cohort_id == cohort.id,
                Certificate.revoked_at.is_(None),
                Certificate.superseded_at.is_(None),
            )
        )
    }
    return render_template(
        "coordination/cohort.html",
        cohort=cohort,
        members=members,
        present=services.attendance_of(cohort),
        certificates=certificates,
        member_form=MemberForm(),
        session_form=SessionForm(),
        language=current_locale_code(),
    )


@bp.route("/cohorts/<int:cohort_id>/attendance.<any(csv, xlsx):fmt>")
@role_required("coordinator")
def export_attendance(cohort_id, fmt):
    """The attendance list of a cohort (one column per session), e.g. for the funder."""
    cohort = _cohort_or_404(cohort_id)
    present = services.attendance_of(cohort)
    header = [_("Name"), _("Name in own script"), _("E-mail address")]
    header += [f"{s.held_on.isoformat()} {s.title}".strip() for s in cohort.sessions]
    rows = [
        [user.legal_name, user.native_name or "", user.email]
        + [_("present") if (s.id, user.id) in present else "" for s in cohort.sessions]
        for user in services.cohort_members(cohort)
    ]
    audit_record(current_user, "personal_data.export", cohort, list="attendance", rows=len(rows))
    db.session.commit()
    return table_download(header, rows, f"anwesenheit-{cohort.id}", fmt)


@bp.route("/cohorts/<int:cohort_id>/members", methods=["POST"])
@role_required("coordinator")
def add_cohort_member(cohort_id):
    cohort = _cohort_or_404(cohort_id)
    form = MemberForm()
    user = find_user_by_email(form.email.data or "") if form.validate_on_submit() else None
    if user is None:
        flash(_("No account has this e-mail address. The person must sign up first."), "error")
        return redirect(url_for("coordination.show_cohort", cohort_id=cohort.id), 303)
    if not services.coordinates_person(current_user, user.id):
        # Taking the account into the organisation would open its data to this coordinator.
        flash(_("This account belongs to none of your organisations. An administrator can add it."), "error")
        return redirect(url_for("coordination.show_cohort", cohort_id=cohort.id), 303)
    services.add_to_cohort(cohort, user)
    db.session.commit()
    flash(_("%(name)s has been added and enrolled in the course.", name=user.legal_name), "success")
    return redirect(url_for("coordination.show_cohort", cohort_id=cohort.id), 303)


@bp.route("/cohorts/<int:cohort_id>/sessions", methods=["POST"])
@role_required("coordinator")
def add_session(cohort_id):
    cohort = _cohort_or_404(cohort_id)
    form = SessionForm()
    if not form.validate_on_submit():
        flash(_("Please give the date and the teaching units (0.5 to 20) of the session."), "error")
        return redirect(url_for("coordination.show_cohort", cohort_id=cohort.id), 303)
    services.add_session(cohort, form.held_on.data, form.title.data or "", form.units.data)
    db.session.commit()
    return redirect(url_for("coordination.show_cohort", cohort_id=cohort.id) + "#attendance", 303)


@bp.route("/cohorts/<int:cohort_id>/attendance", methods=["POST"])
@role_required("coordinator")
def save_attendance(cohort_id):
    cohort = _cohort_or_404(cohort_id)
    sessions = {s.id for s in cohort.sessions}
    members = {u.id for u in services.cohort_members(cohort)}
    present = set()
    for value in request.form.getlist("present"):
        session_id, _sep, user_id = value.partition(":")
        pair = (parse_id(session_id), parse_id(user_id))
        if pair[0] not in sessions or pair[1] not in members:
            abort(400)  # a tampered form: only this cohort's sessions and members
        present.add(pair)
    services.record_attendance(cohort, present, current_user)
    db.session.commit()
    flash(_("Attendance saved."), "success")
    return redirect(url_for("coordination.show_cohort", cohort_id=cohort.id) + "#attendance", 303)


@bp.route("/cohorts/<int:cohort_id>/certificates", methods=["POST"])
@role_required("coordinator")
def issue_certificates(cohort_id):
    cohort = _cohort_or_404(cohort_id)
    issued = services.issue_attendance_certificates(cohort, current_user)
    db.session.commit()
    flash(
        ngettext(
            "%(num)d attendance certificate is ready (everyone present at least once gets one).",
            "%(num)d attendance certificates are ready (everyone present at least once gets one).",
            len(issued),
        ),
        "success",
    )
    return redirect(url_for("coordination.show_cohort", cohort_id=cohort.id) + "#certificates", 303)


def _cohort_certificates(cohort):
    """The cohort's current certificates in the order of the member list (by name)."""
    order = {user.id: index for index, user in enumerate(services.cohort_members(cohort))}
    certificates = db.session.scalars(
        select(Certificate).where(
            Certificate.revoked_at.is_(None),
            Certificate.superseded_at.is_(None),
            Certificate.user_id.in_(list(order)),
            (Certificate.cohort_id == cohort.id)
            | ((Certificate.course_id == cohort.course_id) & (Certificate.kind == "completion")),
        )
    ).all()
    kind = request.args.get("kind", "attendance")
    chosen = [c for c in certificates if c.kind == kind]
    return sorted(chosen, key=lambda c: order[c.user_id])


def _printed_certificates(cohort_id, fmt):
    """The cohort's certificates to print, or 404; the print is logged as an export of personal data."""
    cohort = _cohort_or_404(cohort_id)
    certificates = _cohort_certificates(cohort)
    if not certificates:
        abort(404)
    audit_record(current_user, "personal_data.export", cohort, list=f"certificates.{fmt}", rows=len(certificates))
    db.session.commit()
    return cohort, certificates


@bp.route("/cohorts/<int:cohort_id>/certificates.pdf")
@role_required("coordinator")
def print_cohort(cohort_id):
    cohort, certificates = _printed_certificates(cohort_id, "pdf")
    return file_download(render_certificates_pdf(certificates), "application/pdf", f"zertifikate-{cohort.id}.pdf")


@bp.route("/cohorts/<int:cohort_id>/certificates.zip")
@role_required("coordinator")
def print_cohort_zip(cohort_id):
    cohort, certificates = _printed_certificates(cohort_id, "zip")
    return file_download(render_certificates_zip(certificates), "application/zip", f"zertifikate-{cohort.id}.zip")
