"""Fixtures for the assessment workspace: Kent's cycle as in reference §5.5."""

from __future__ import annotations

import datetime as dt

import pytest

from careassure.accounts.models import Organisation, User
from careassure.assessments import services
from careassure.assessments.models import AssessmentCycle


@pytest.fixture
def cycle(kent: Organisation, assessment_lead: User) -> AssessmentCycle:
    return services.cycle_create(
        org=kent,
        actor=assessment_lead,
        name="CQC local authority assessment 2024",
        notification_date=dt.date(2024, 3, 18),
        on_site_start_date=dt.date(2024, 10, 1),
        on_site_end_date=dt.date(2024, 10, 3),
    )
