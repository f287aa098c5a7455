from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from ..forms import Form


class DeleteAccountForm(Form):
    certificates = RadioField(
        _l("Your certificates"),
        choices=[
            SelectChoice(
                "keep", _l("Keep them verifiable: whoever holds a printout can still check it (it shows my name).")
            ),
            SelectChoice("revoke", _l("Revoke them: verification then says “revoked” and shows no name.")),
        ],
        validators=[InputRequired(message=_l("Please choose what happens to your certificates."))],
    )
    password = PasswordField(_l("Your password, to confirm"), validators=[InputRequired(), Length(max=200)])
