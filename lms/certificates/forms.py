"""Forms for managing certificates and their layouts."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from ..forms import Form

ORIENTATION_LABELS = {"portrait": _l("A4 portrait"), "landscape": _l("A4 landscape")}


class RevokeForm(Form):
    reason = StringField(_l("Reason for revocation"), validators=[DataRequired(), Length(max=500)])


class ReissueForm(Form):
    reason = StringField(_l("Reason for the new certificate"), validators=[DataRequired(), Length(max=500)])


class LayoutForm(Form):
    orientation = SelectField(
        _l("Page"), choices=lambda: [SelectChoice(k, str(v)) for k, v in ORIENTATION_LABELS.items()]
    )
    logo = FileField(_l("Logo"), description=_l("PNG or JPEG, at most 512 KB. It is printed at the top."))
    remove_logo = BooleanField(_l("Remove the logo"))
    signatory_1_name = StringField(_l("First signature: name"), validators=[Length(max=120)])
    signatory_1_role = StringField(_l("First signature: role"), validators=[Length(max=120)])
    signatory_2_name = StringField(_l("Second signature: name"), validators=[Length(max=120)])
    signatory_2_role = StringField(_l("Second signature: role"), validators=[Length(max=120)])
    footer = TextAreaField(
        _l("Footer text"),
        validators=[Length(max=500)],
        description=_l("For example who funds the programme. At most 500 characters."),
    )
