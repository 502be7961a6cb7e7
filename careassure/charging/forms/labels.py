"""What the answers to the calculator's questions are called on the pages."""

from __future__ import annotations

from careassure.core.charging import (
    CareSetting,
    DisabilityBenefit,
    DisabilityBenefitRate,
    FreeService,
    HomeOccupant,
)

FREE_SERVICE_LABELS = {
    FreeService.REABLEMENT_FIRST_6_WEEKS: "Reablement or intermediate care, for up to 6 weeks",
    FreeService.MENTAL_HEALTH_ACT_S117_AFTERCARE: (
        "After-care under section 117 of the Mental Health Act"
    ),
    FreeService.VARIANT_CJD: "Care for a person with variant Creutzfeldt-Jakob disease (CJD)",
    FreeService.COMMUNITY_EQUIPMENT_UNDER_1000: (
        "Equipment or a minor adaptation to your home costing less than £1,000"
    ),
}
CARE_SETTING_LABELS = {
    CareSetting.HOME_CARE: "Care and support at home",
    CareSetting.CARE_HOME_PERMANENT: "Living in a care home permanently",
    CareSetting.CARE_HOME_TEMPORARY: "A temporary stay in a care home",
}
PARTNER_LABELS = {
    "no": "No",
    "yes_pension_age": "Yes, and my partner has reached Pension Credit age",
    "yes_under_pension_age": "Yes, and my partner has not reached Pension Credit age",
}
OCCUPANT_LABELS = {
    HomeOccupant.PARTNER: "Your husband, wife or partner",
    HomeOccupant.ESTRANGED_PARTNER_LONE_PARENT: (
        "A former partner you are separated from, who is a lone parent"
    ),
    HomeOccupant.RELATIVE_AGED_60_OR_OVER: "A relative aged 60 or over",
    HomeOccupant.INCAPACITATED_RELATIVE: "A relative who is disabled or too ill to work",
    HomeOccupant.CHILD_UNDER_18: "A child of yours aged under 18",
    HomeOccupant.CARER_WHO_GAVE_UP_HOME: "A carer who gave up their own home to care for you",
    HomeOccupant.ELDERLY_COMPANION: "An older friend or companion who has lived with you",
}
NO_ONE = "no_one"
BENEFIT_LABELS = {
    DisabilityBenefit.NONE: "None of these",
    DisabilityBenefit.ATTENDANCE_ALLOWANCE: "Attendance Allowance",
    DisabilityBenefit.DLA_CARE: "Disability Living Allowance (DLA), care component",
    DisabilityBenefit.PIP_DAILY_LIVING: "Personal Independence Payment (PIP), daily living part",
}
RATE_LABELS = {
    DisabilityBenefitRate.LOWER: "Lower or standard rate",
    DisabilityBenefitRate.MIDDLE: "Middle rate (DLA care component only)",
    DisabilityBenefitRate.HIGHER: "Higher or enhanced rate",
}
RATE_HINTS = {
    DisabilityBenefitRate.LOWER.value: (
        "Attendance Allowance lower rate, DLA care lowest rate or PIP daily living standard rate"
    ),
    DisabilityBenefitRate.HIGHER.value: (
        "Attendance Allowance higher rate, DLA care highest rate or PIP daily living enhanced rate"
    ),
}
