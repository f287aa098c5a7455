"""Forms for coordinators: organisations, cohorts, sessions."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, DecimalField, EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from ..forms import Form

KIND_LABELS = {"group": _l("Learning group"), "event": _l("In-person event")}


class OrganisationForm(Form):
    name = StringField(_l("Name of the organisation"), validators=[DataRequired(), Length(max=200)])
    city = StringField(_l("City"), validators=[Length(max=120)])


class CoordinatorForm(Form):
    email = EmailField(
        _l("E-mail address of the coordinator"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
        description=_l("The person needs an account; the role 'coordinator' is given with this step."),
    )


class CohortForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    course = SelectField(_l("Course"), coerce=int)
    kind = SelectField(_l("Kind"), choices=lambda: [SelectChoice(k, str(v)) for k, v in KIND_LABELS.items()])
    starts_on = DateField(_l("First day"), validators=[Optional()])
    ends_on = DateField(_l("Last day"), validators=[Optional()])
    place = StringField(_l("Place"), validators=[Length(max=200)])


class MemberForm(Form):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
        description=_l("Someone with an account; they join the organisation and are enrolled in the course."),
    )


class SessionForm(Form):
    held_on = DateField(_l("Date"), validators=[DataRequired()])
    title = StringField(_l("Topic"), validators=[Length(max=200)])
    units = DecimalField(
        _l("Teaching units (UE, 45 minutes)"), places=1, validators=[InputRequired(), NumberRange(min=0.5, max=20)]
    )
