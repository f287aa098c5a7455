"""`flask demo seed`: demo accounts and a demo organisation, only in demo mode."""

from sqlalchemy import func, select

from lms.auth.models import User
from lms.coordination.models import Cohort, CohortMember, Organisation, OrganisationMember
from lms.extensions import db


def test_seed_creates_accounts_and_an_organisation_once(app, synced):
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["demo", "seed"])
    assert refused.exit_code != 0 and "LMS_DEMO_MODE" in refused.output
    app.config["DEMO_MODE"] = True
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    assert "already" in runner.invoke(args=["demo", "seed"]).output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 5
        assert db.session.scalar(select(Organisation.name)) == "Kulturverein Brücke e. V."
        coordinator = db.session.scalar(select(User).where(User.email == "coordinator@example.org"))
        assert db.session.scalar(
            select(OrganisationMember.is_coordinator).where(OrganisationMember.user_id == coordinator.id)
        )
        # The fixture courses have no 'vereinsrecht': the organisation comes without a cohort then.
        assert db.session.scalar(select(func.count()).select_from(Cohort)) == 0
        assert db.session.scalar(select(func.count()).select_from(CohortMember)) == 0
