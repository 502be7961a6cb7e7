"""The question pages: one form per page, each field named for its place in the input schema
(``income__state_pension`` is ``income.state_pension``). Questions use the core's
``QUESTION_MESSAGES`` where it has one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.http import QueryDict
from pydantic import ValidationError

from careassure.charging.forms.fields import (
    CheckboxesField,
    MoneyField,
    PeriodField,
    RadiosField,
    TextField,
    WholeNumberField,
    YesNoField,
    money_field,
)
from careassure.charging.forms.labels import (
    BENEFIT_LABELS,
    CARE_SETTING_LABELS,
    FREE_SERVICE_LABELS,
    NO_ONE,
    OCCUPANT_LABELS,
    PARTNER_LABELS,
    RATE_HINTS,
    RATE_LABELS,
)
from careassure.core.charging import CareSetting, CouncilPolicy, DisabilityBenefit, IncomeInput
from careassure.core.charging.models import MONEY_FIELDS, QUESTION_MESSAGES
from careassure.core.charging.money import format_money

DRE_ROWS = 5


class StepForm(forms.Form):
    """One question page. ``answers`` holds every answer so far (for conditional questions)."""

    step: ClassVar[str]
    title: ClassVar[str]
    lede: ClassVar[str | None] = None
    # Headings for groups of fields on longer pages: (heading, [field names]).
    groups: ClassVar[list[tuple[str | None, list[str]]]] = []

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        answers: QueryDict,
        policy: CouncilPolicy,
    ) -> None:
        super().__init__(data, initial=_initial(answers))
        self.answers = answers
        self.policy = policy
        self.adjust()

    def adjust(self) -> None:
        """Remove or relabel questions that depend on earlier answers."""

    def answer(self, name: str) -> str:
        return str(self.answers.get(name, "") or "")

    @property
    def has_partner(self) -> bool:
        return self.answer("partner").startswith("yes")

    @property
    def setting(self) -> str:
        return self.answer("care_setting")

    def field_groups(self) -> list[tuple[str | None, list[forms.BoundField]]]:
        if not self.groups:
            return [(None, [self[name] for name in self.fields])]
        return [
            (heading, [self[name] for name in names if name in self.fields])
            for heading, names in self.groups
        ]

    @property
    def single_question(self) -> bool:
        return len(self.fields) == 1

    def period_for(self, name: str) -> forms.BoundField | None:
        """The question how often the amount ``name`` is paid, when the page asks it."""
        for field_name, field in self.fields.items():
            if isinstance(field, PeriodField) and field.amount_name == name:
                return self[field_name]
        return None


def _with_periods(form: type[StepForm], *amount_names: str) -> type[StepForm]:
    """Add to ``form`` a ``PeriodField`` for each amount of income it asks
    (``income__state_pension`` gets ``income__periods__state_pension``)."""
    for name in amount_names:
        field = form.base_fields[name]
        period_name = name.replace("income__", "income__periods__", 1)
        form.base_fields[period_name] = PeriodField(amount_name=name, label=str(field.label))
        form.declared_fields[period_name] = form.base_fields[period_name]
    return form


def _initial(answers: QueryDict) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for key in answers:
        values = answers.getlist(key)
        initial[key] = values if len(values) > 1 or key == "home__occupied_by" else values[0]
    return initial


class YearForm(StepForm):
    step = "year"
    title = "Which financial year is the estimate for?"

    financial_year = RadiosField(
        label=title,
        message=QUESTION_MESSAGES["financial_year"],
        help_text="Financial years run from April to March. The rates change every April.",
        choices=[],
    )

    def adjust(self) -> None:
        from careassure.charging.calculator import financial_years

        field = self.fields["financial_year"]
        assert isinstance(field, RadiosField)
        field.choices = [
            (year, f"April {year[:4]} to March 20{year[5:]}") for year in financial_years()
        ]


class FreeForm(StepForm):
    step = "free"
    title = "Is your care one of these free services?"

    free_service = RadiosField(
        label=title,
        message="Select whether your care is one of these free services",
        help_text="These services are never charged for.",
        choices=[*FREE_SERVICE_LABELS.items(), ("none", "No, none of these")],
    )


class SettingForm(StepForm):
    step = "setting"
    title = "Where do you get, or will you get, care?"

    care_setting = RadiosField(
        label=title,
        message=QUESTION_MESSAGES["care_setting"],
        choices=list(CARE_SETTING_LABELS.items()),
    )


class StayForm(StepForm):
    step = "stay"
    title = "Your temporary stay"

    expected_stay_weeks = WholeNumberField(
        label="How many weeks is the stay expected to last?",
        message=QUESTION_MESSAGES["expected_stay_weeks"],
        min_value=1,
        max_value=520,
    )
    home_running_costs = MoneyField(
        core_name="home_running_costs",
        label="How much does it cost each week to keep up your home while you are away?",
        help_text="For example rent, mortgage interest, Council Tax and insurance. "
        "Leave blank if none.",
    )


class AboutForm(StepForm):
    step = "about"
    title = "About you"

    age = WholeNumberField(
        label="How old are you?",
        help_text="This calculator is for adults aged 18 or over.",
        message=QUESTION_MESSAGES["age"],
        min_value=18,
        max_value=130,
    )
    reached_pension_credit_age = YesNoField(
        label="Have you reached Pension Credit age?",
        help_text="Pension Credit age is the same as State Pension age.",
        message=QUESTION_MESSAGES["reached_pension_credit_age"],
    )
    partner = RadiosField(
        label="Do you have a husband, wife or partner you live with?",
        message="Select whether you have a partner",
        choices=list(PARTNER_LABELS.items()),
    )
    dependent_children = WholeNumberField(
        label="How many children depend on you?",
        help_text="Enter 0 if none.",
        message=QUESTION_MESSAGES["dependent_children"],
        min_value=0,
        max_value=20,
    )
    receives_benefits_for_dependants = YesNoField(
        label="Do you get benefits for dependants?",
        help_text="For example Child Tax Credit, or extra amounts in a benefit for a child or "
        "another adult who depends on you.",
        message="Select yes if you get benefits for dependants",
    )


class CapitalForm(StepForm):
    step = "capital"
    title = "Your savings and capital"
    lede = (
        "Include bank and building society accounts, cash, ISAs, Premium Bonds, shares and "
        "investments. Do not include the home you live in. Leave blank if none."
    )

    capital__savings = MoneyField(core_name="savings", label="Savings in your name only")
    capital__joint_savings = MoneyField(
        core_name="joint_savings",
        label="Savings you hold jointly with other people",
        help_text="Enter the whole amount. Your equal share is counted.",
    )
    capital__joint_savings_owners = WholeNumberField(
        label="How many people hold the joint savings, including you?",
        help_text="Leave blank if 2, or if you have no joint savings.",
        message=QUESTION_MESSAGES["joint_savings_owners"],
        min_value=2,
        max_value=10,
        required=False,
    )
    capital__other_property = MoneyField(
        core_name="other_property",
        label="Your share of property or land, other than your home",
    )


class HomeOwnerForm(StepForm):
    step = "home"
    title = "Do you own your home, on your own or with someone else?"

    owns_home = YesNoField(label=title, message="Select yes if you own your home")


class HomeDetailsForm(StepForm):
    step = "home-details"
    title = "Your home"

    home__value = MoneyField(
        core_name="value",
        required=True,
        label="What is your home worth?",
        help_text="What the whole home would sell for.",
    )
    home__owners = WholeNumberField(
        label="How many people own it, including you?",
        help_text="Leave blank if only you.",
        message=QUESTION_MESSAGES["owners"],
        min_value=1,
        max_value=10,
        required=False,
    )
    home__occupied_by = CheckboxesField(
        label="Who still lives in your home?",
        help_text="Only people who lived there before you went into the care home. "
        "Select all that apply.",
        message=QUESTION_MESSAGES["occupied_by"],
        choices=[*OCCUPANT_LABELS.items(), (NO_ONE, "No one")],
    )
    home__weeks_in_permanent_care = WholeNumberField(
        label="How many weeks have you already lived in a care home permanently?",
        help_text="Enter 0 if you are only now moving in.",
        message=QUESTION_MESSAGES["weeks_in_permanent_care"],
        min_value=0,
        max_value=5200,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        occupants = cleaned.get("home__occupied_by") or []
        if NO_ONE in occupants and len(occupants) > 1:
            self.add_error(
                "home__occupied_by", "Select who still lives in your home, or select ‘No one’"
            )
        return cleaned


class IncomeForm(StepForm):
    step = "income"
    title = "Your income"
    lede = (
        "Enter amounts after tax and National Insurance, and say how often you get each one. "
        "Leave blank anything you do not get."
    )
    groups: ClassVar[list[tuple[str | None, list[str]]]] = [
        (
            "Pensions and benefits",
            [
                "income__state_pension",
                "income__private_pensions",
                "income__pension_credit_guarantee",
                "income__pension_credit_savings",
                "income__universal_credit",
                "income__employment_support_allowance",
                "income__income_support",
                "income__carers_allowance",
                "income__share_pension_with_partner_at_home",
            ],
        ),
        (
            "Other income",
            [
                "income__earnings",
                "income__war_pension",
                "income__war_pension_constant_attendance_allowance",
                "income__war_widow_pension",
                "income__joint_income",
                "income__other_counted_income",
                "income__other_disregarded_income",
            ],
        ),
    ]

    income__state_pension = money_field("state_pension", "State Pension")
    income__private_pensions = money_field("private_pensions", "Private and work pensions")
    income__pension_credit_guarantee = money_field(
        "pension_credit_guarantee", "Pension Credit: guarantee credit"
    )
    income__pension_credit_savings = money_field(
        "pension_credit_savings", "Pension Credit: savings credit"
    )
    income__universal_credit = money_field("universal_credit", "Universal Credit")
    income__employment_support_allowance = money_field(
        "employment_support_allowance", "Employment and Support Allowance (ESA)"
    )
    income__income_support = money_field("income_support", "Income Support")
    income__carers_allowance = money_field("carers_allowance", "Carer's Allowance")
    income__share_pension_with_partner_at_home = YesNoField(
        label="Will you pass half of your private or work pension to your husband, wife or "
        "civil partner at home?",
        message="Select yes if you will pass half of your pension to your partner at home",
    )
    income__earnings = money_field("earnings", "Earnings from work")
    income__war_pension = money_field(
        "war_pension", "War Pension", "Not including Constant Attendance Allowance."
    )
    income__war_pension_constant_attendance_allowance = money_field(
        "war_pension_constant_attendance_allowance", "War Pension Constant Attendance Allowance"
    )
    income__war_widow_pension = money_field("war_widow_pension", "War widow's or widower's pension")
    income__joint_income = money_field(
        "joint_income",
        "Income paid to you and your partner together",
        "Enter the whole amount. Half of it is counted as yours.",
    )
    income__other_counted_income = money_field(
        "other_counted_income", "Any other regular income", "For example an annuity."
    )
    income__other_disregarded_income = money_field(
        "other_disregarded_income",
        "Income that is ignored",
        "For example Child Benefit or payments from a charity. It is shown but not counted.",
    )

    def adjust(self) -> None:
        if not self.has_partner:
            self.fields.pop("income__joint_income")
            self.fields.pop("income__periods__joint_income")
        if not (self.has_partner and self.setting.startswith("care_home")):
            self.fields.pop("income__share_pension_with_partner_at_home")


class DisabilityForm(StepForm):
    step = "disability"
    title = "Disability benefits"

    income__disability_benefit = RadiosField(
        label="Do you get any of these disability benefits?",
        message=QUESTION_MESSAGES["disability_benefit"],
        choices=[
            *[(k, v) for k, v in BENEFIT_LABELS.items() if k is not DisabilityBenefit.NONE],
            (DisabilityBenefit.NONE, BENEFIT_LABELS[DisabilityBenefit.NONE]),
        ],
    )
    income__disability_benefit_rate = RadiosField(
        label="If you get one, what rate is it?",
        message=QUESTION_MESSAGES["disability_benefit_rate"],
        choices=list(RATE_LABELS.items()),
        required=False,
    )
    income__disability_benefit_amount = money_field(
        "disability_benefit_amount",
        "How much is it?",
        "Leave blank if you do not get one.",
    )
    income__mobility_component = money_field(
        "mobility_component",
        "Mobility part of DLA or PIP, if you get it",
        "It is not counted, but is shown in your estimate.",
    )

    def adjust(self) -> None:
        field = self.fields["income__disability_benefit_rate"]
        assert isinstance(field, RadiosField)
        field.item_hints = RATE_HINTS

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        subset = {
            "disability_benefit": cleaned.get("income__disability_benefit"),
            "disability_benefit_rate": cleaned.get("income__disability_benefit_rate") or None,
            "disability_benefit_amount": cleaned.get("income__disability_benefit_amount")
            or Decimal(0),
        }
        try:
            IncomeInput.model_validate(subset)
        except ValidationError as error:
            for problem in error.errors():
                self.add_error(f"income__{problem['type']}", problem["msg"])
        return cleaned


class HousingForm(StepForm):
    step = "housing"
    title = "Your housing costs"
    lede = (
        "Enter weekly amounts. Leave blank anything you do not pay or get. Include help you "
        "get with the cost, such as Housing Benefit or Council Tax Support."
    )

    housing_costs__rent = money_field("rent", "Rent")
    housing_costs__housing_benefit = money_field(
        "housing_benefit", "Housing Benefit, or the housing part of Universal Credit"
    )
    housing_costs__council_tax = money_field("council_tax", "Council Tax")
    housing_costs__council_tax_support = money_field("council_tax_support", "Council Tax Support")
    housing_costs__mortgage = money_field("mortgage", "Mortgage payments")
    housing_costs__support_for_mortgage_interest = money_field(
        "support_for_mortgage_interest", "Support for Mortgage Interest"
    )
    housing_costs__service_charges_and_ground_rent = money_field(
        "service_charges_and_ground_rent", "Service charges and ground rent"
    )
    housing_costs__buildings_and_contents_insurance = money_field(
        "buildings_and_contents_insurance", "Buildings and contents insurance"
    )
    housing_costs__secured_repair_loans = money_field(
        "secured_repair_loans", "Payments on loans secured on your home for repairs"
    )
    housing_costs__shared_with_partner = YesNoField(
        label="Do you share these costs with your partner?",
        message="Select yes if you share these costs with your partner",
    )

    def adjust(self) -> None:
        if not self.has_partner:
            self.fields.pop("housing_costs__shared_with_partner")


class CareAtHomeForm(StepForm):
    step = "care-at-home"
    title = "Your care at home and disability costs"

    receives_night_care = YesNoField(
        label="Does the care the council arranges for you include care at night?",
        message="Select yes if your care includes care at night",
    )
    asks_for_individual_dre_assessment = YesNoField(
        label="Do you want the council to look at your own disability-related costs?",
        message="Select yes if you want the council to look at your own disability-related costs",
    )

    def adjust(self) -> None:
        policy = self.policy
        for row in range(1, DRE_ROWS + 1):
            self.fields[f"dre_{row}_description"] = TextField(
                label=f"Cost {row}: what is it for?", required=False, max_length=200
            )
            self.fields[f"dre_{row}_amount"] = MoneyField(
                core_name="weekly_amount", label=f"Cost {row}: weekly amount"
            )
        flat = policy.dre_method == "flat" and policy.dre_flat_weekly_amount is not None
        if flat and policy.dre_individual_assessment_on_request:
            field = self.fields["asks_for_individual_dre_assessment"]
            field.help_text = (
                f"{policy.display_name} allows "
                f"{format_money(policy.dre_flat_weekly_amount or Decimal(0))} a week for "
                "disability-related costs. If yours are higher, list them below and answer yes."
            )
        else:
            self.fields.pop("asks_for_individual_dre_assessment")

    def dre_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"dre_{row}_description"], self[f"dre_{row}_amount"])
            for row in range(1, DRE_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for row in range(1, DRE_ROWS + 1):
            description = cleaned.get(f"dre_{row}_description") or ""
            amount = cleaned.get(f"dre_{row}_amount")
            if f"dre_{row}_amount" in self.errors:
                continue
            if description.strip() and amount is None:
                self.add_error(f"dre_{row}_amount", f"Enter {MONEY_FIELDS['weekly_amount'][0]}")
            elif amount is not None and not description.strip():
                self.add_error(f"dre_{row}_description", QUESTION_MESSAGES["description"])
        return cleaned


class CostForm(StepForm):
    step = "cost"
    title = "The cost of your care"

    weekly_cost_of_care = MoneyField(
        core_name="weekly_cost_of_care",
        label="How much does your care cost each week?",
        help_text="Your personal budget, or the care home's weekly fee, if you know it. "
        "Leave blank if you do not know.",
    )
    has_deliberately_reduced_assets = YesNoField(
        label="Have you given away or spent money or property to reduce what you have?",
        help_text="For example giving your home or savings to a relative.",
        message="Select yes if you have given away or spent money or property to reduce "
        "what you have",
    )
    declines_financial_assessment = YesNoField(
        label="Would you rather not have a financial assessment?",
        help_text="If you decline one, you pay the full cost of your care.",
        message="Select yes if you would rather not have a financial assessment",
    )

    def adjust(self) -> None:
        field = self.fields["weekly_cost_of_care"]
        if self.setting == CareSetting.HOME_CARE:
            field.help_text = (
                "Your personal budget, if you know it. Leave blank if you do not know."
            )
        else:
            field.help_text = (
                "The care home's weekly fee, if you know it. Leave blank if you do not know."
            )


_with_periods(
    IncomeForm,
    *[name for name, field in IncomeForm.base_fields.items() if isinstance(field, MoneyField)],
)
_with_periods(DisabilityForm, "income__disability_benefit_amount", "income__mobility_component")

STEP_FORMS: dict[str, type[StepForm]] = {
    form.step: form
    for form in (
        YearForm,
        FreeForm,
        SettingForm,
        StayForm,
        AboutForm,
        CapitalForm,
        HomeOwnerForm,
        HomeDetailsForm,
        IncomeForm,
        DisabilityForm,
        HousingForm,
        CareAtHomeForm,
        CostForm,
    )
}


def answer_names() -> set[str]:
    """Every answer a page may carry (the whitelist for hidden fields)."""
    names = {"financial_year"}
    for form in STEP_FORMS.values():
        names.update(form.base_fields)
    for row in range(1, DRE_ROWS + 1):
        names.update({f"dre_{row}_description", f"dre_{row}_amount"})
    return names
