"""Forms of the trainer area."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.validators import Optional, Regexp

from ..forms import Form


class UploadForm(Form):
    file = FileField(
        _l("Course (.zip) or module file (.md)"),
        validators=[FileRequired()],
        description=_l("A .zip with the whole course folder, or one module text such as de.md or tr.md."),
    )
    course = SelectField(_l("Course (only for a single .md file)"), choices=[], validators=[Optional()])
    module_folder = StringField(
        _l("Module folder (only for a single .md file)"),
        validators=[Optional(), Regexp(r"^\d{2}-[a-z0-9][a-z0-9-]*$", message=_l("Use a name like 02-satzung."))],
        description=_l("For example 02-satzung. A new name adds a module."),
    )
