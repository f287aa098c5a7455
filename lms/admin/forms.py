"""Forms for the admin pages."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from ..forms import Form

ROLE_LABELS = {
    "learner": _l("Learner"),
    "trainer": _l("Trainer"),
    "coordinator": _l("Coordinator"),
    "admin": _l("Administrator"),
}


class RoleForm(Form):
    role = SelectField(
        _l("Role"), choices=lambda: [SelectChoice(value, str(label)) for value, label in ROLE_LABELS.items()]
    )
