"""Domain calculators for senior pension: pure functions over plain data.

Pension age and its dates, full-time years of employment, the latest job, deadlines,
municipalities and regions, pension contributions, CPR helpers and the CEL domain functions.
No Flask, no SQLAlchemy, no clock: every function takes the reference date it needs.
"""

from forms_service.seniorpension.contributions import CONTRIBUTION_RATES, contribution_rate
from forms_service.seniorpension.cpr import (
    CprRedactingFilter,
    birth_date_from_cpr,
    install_cpr_redaction,
    is_valid_cpr,
    mask_cpr,
    mask_text,
    normalize_cpr,
)
from forms_service.seniorpension.deadlines import (
    DeadlineStatus,
    add_months,
    add_years,
    days_left,
    deadline_status,
    decision_deadline,
    months_between,
    municipality_deadline,
    parse_iso_date,
)
from forms_service.seniorpension.employment import (
    FULL_TIME_HOURS,
    EmploymentKind,
    EmploymentPeriod,
    fulltime_years,
    fulltime_years_exact,
)
from forms_service.seniorpension.latest_job import LatestJob, latest_job
from forms_service.seniorpension.municipalities import (
    FORUM_MUNICIPALITIES,
    Municipality,
    Region,
    all_municipalities,
    all_regions,
    municipalities_in_region,
    municipality_by_code,
    municipality_by_name,
    region_by_code,
)
from forms_service.seniorpension.pension_age import (
    PensionAge,
    PensionDates,
    application_earliest_date,
    pension_age,
    pension_age_date,
    pension_dates,
    seniorpension_earliest_date,
)

__all__ = [
    "CONTRIBUTION_RATES",
    "FORUM_MUNICIPALITIES",
    "FULL_TIME_HOURS",
    "CprRedactingFilter",
    "DeadlineStatus",
    "EmploymentKind",
    "EmploymentPeriod",
    "LatestJob",
    "Municipality",
    "PensionAge",
    "PensionDates",
    "Region",
    "add_months",
    "add_years",
    "all_municipalities",
    "all_regions",
    "application_earliest_date",
    "birth_date_from_cpr",
    "contribution_rate",
    "days_left",
    "deadline_status",
    "decision_deadline",
    "fulltime_years",
    "fulltime_years_exact",
    "install_cpr_redaction",
    "is_valid_cpr",
    "latest_job",
    "mask_cpr",
    "mask_text",
    "months_between",
    "municipalities_in_region",
    "municipality_by_code",
    "municipality_by_name",
    "municipality_deadline",
    "normalize_cpr",
    "parse_iso_date",
    "pension_age",
    "pension_age_date",
    "pension_dates",
    "region_by_code",
    "seniorpension_earliest_date",
]
