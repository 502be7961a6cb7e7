"""Display values for the calculator pages: check-answers rows, the result in plain English."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict

from careassure.charging.forms import (
    PERIOD_SUFFIXES,
    CareAtHomeForm,
    CheckboxesField,
    MoneyField,
    PeriodField,
    RadiosField,
    StepForm,
    WholeNumberField,
)
from careassure.charging.journey import applicable_steps, step_form
from careassure.core.charging import ChargingResult, CouncilPolicy, Outcome
from careassure.core.charging.models import AssessedAs, Section, Treatment
from careassure.core.charging.money import format_money

ADVICE_LINKS = [
    (
        "Age UK: paying for care",
        "https://www.ageuk.org.uk/information-advice/care/paying-for-care/",
    ),
    ("Independent Age: care and support", "https://www.independentage.org/get-advice/care"),
    (
        "MoneyHelper: long-term care",
        "https://www.moneyhelper.org.uk/en/family-and-care/long-term-care",
    ),
    (
        "Citizens Advice: care and support",
        "https://www.citizensadvice.org.uk/health/care-and-support/",
    ),
]
DEFAULT_COUNCIL_CONTACT_URL = "https://www.kent.gov.uk/social-care-and-health"

PRIVACY_STATEMENT = (
    "We do not store your answers or your estimate. They are sent with each page and are "
    "forgotten when you close it. Nothing you enter is saved on our computers, in a cookie "
    "or in the page address."
)

SECTION_TITLES = {
    Section.CAPITAL: "Savings and capital",
    Section.INCOME: "Income",
    Section.ALLOWANCES: "Allowances taken off",
    Section.CHARGE: "How the charge is worked out",
}
TREATMENT_TAGS = {
    Treatment.COUNTED: ("Counted", "govuk-tag--blue"),
    Treatment.PARTLY_COUNTED: ("Partly counted", "govuk-tag--light-blue"),
    Treatment.DISREGARDED: ("Ignored", "govuk-tag--grey"),
    Treatment.DEDUCTED: ("Taken off", "govuk-tag--green"),
    Treatment.LIMIT: ("Limit", "govuk-tag--yellow"),
    Treatment.RESULT: ("Total", "govuk-tag--purple"),
}
OUTCOME_HEADLINES = {
    Outcome.FULL_COST_CAPITAL_OVER_LIMIT: (
        "You would probably pay the full cost of your care",
        "Your savings and capital are above the upper capital limit, so the council would "
        "not help with the cost until they fall below it.",
    ),
    Outcome.FULL_COST_DECLINED_ASSESSMENT: (
        "You would pay the full cost of your care",
        "If you decline a financial assessment, the council treats you as able to pay the "
        "full cost.",
    ),
    Outcome.FREE_SERVICE: (
        "Your care is free",
        "This service is never charged for.",
    ),
    Outcome.REFER_TO_COUNCIL: (
        "We can't estimate this: contact the council",
        "Your situation needs the council to look at it.",
    ),
}
SETTING_LABELS = {
    "percentage_charged": "Percentage of disposable income charged",
    "minimum_weekly_charge": "Minimum weekly charge",
    "dre_method": "Disability-related costs",
    "dre_flat_weekly_amount": "Flat allowance for disability-related costs",
    "dre_individual_assessment_on_request": "Individual assessment of disability costs",
    "night_element": "Night care part of a higher-rate disability benefit",
    "ucl_comparison": "Capital of exactly the upper limit",
    "savings_credit_non_residential": "Pension Credit savings credit at home",
    "mig_weekly_uplift": "Extra Minimum Income Guarantee",
    "mig_percentage_uplift": "Minimum Income Guarantee percentage uplift",
    "pea_weekly_uplift": "Extra Personal Expenses Allowance",
}


@dataclass(frozen=True)
class AnswerRow:
    label: str
    value: str
    step: str


@dataclass
class AnswerSection:
    step: str
    title: str
    rows: list[AnswerRow] = field(default_factory=list)


def _choices(field_: forms.ChoiceField) -> list[tuple[object, object]]:
    choices: Any = field_.choices  # a list of pairs once the field is built
    return [(key, label) for key, label in choices]


def _field_value(form: StepForm, name: str) -> str:
    field_ = form.fields[name]
    raw = form.answers.getlist(name)
    text = raw[0].strip() if raw else ""
    if isinstance(field_, CheckboxesField):
        labels = {str(key): label for key, label in _choices(field_)}
        return ", ".join(str(labels.get(item, item)) for item in raw) or "No one"
    if isinstance(field_, RadiosField):
        labels = {str(key): label for key, label in _choices(field_)}
        return str(labels.get(text, text))
    if isinstance(field_, MoneyField):
        value = form.cleaned_data.get(name) if form.is_bound and form.is_valid() else None
        if not isinstance(value, Decimal):
            return ""
        period = form.period_for(name)
        suffix = PERIOD_SUFFIXES.get(str(period.value() or "")) if period is not None else None
        return format_money(value) + (suffix or "")
    if isinstance(field_, WholeNumberField):
        return text
    return text


# Question pages whose answers are shown together under one heading on check answers.
SECTION_OF_STEP = {"free": "Your care", "setting": "Your care", "home": "Your home"}


def check_answer_sections(
    answers: QueryDict, policy: CouncilPolicy, years: dict[str, str]
) -> list[AnswerSection]:
    """The answers to each question page that applies, under the page's heading (the year, the
    free-service and setting questions together; blank amounts left out; a page with nothing
    entered says so)."""
    year = answers.get("financial_year", "")
    care = AnswerSection("year", "Your care")
    care.rows.append(AnswerRow("Financial year", years.get(year, year), "year"))
    sections = {care.title: care}
    for step in applicable_steps(answers, policy):
        form = step_form(step, answers, policy, data=answers)
        form.is_valid()
        title = SECTION_OF_STEP.get(step, form.title)
        section = sections.setdefault(title, AnswerSection(step, title))
        before = len(section.rows)
        for name in form.fields:
            if name.startswith("dre_") or isinstance(form.fields[name], PeriodField):
                continue
            value = _field_value(form, name)
            if value:
                section.rows.append(AnswerRow(str(form.fields[name].label), value, step))
        if isinstance(form, CareAtHomeForm):
            costs = [
                f"{desc.value()}: {_field_value(form, amount.name)}"
                for desc, amount in form.dre_rows()
                if str(desc.value() or "").strip()
            ]
            section.rows.append(
                AnswerRow("Disability-related costs", "; ".join(costs) or "None listed", step)
            )
        if len(section.rows) == before:
            section.rows.append(AnswerRow(form.title, "None entered", step))
    return list(sections.values())


def money(amount: Decimal | None) -> str:
    return format_money(amount) if amount is not None else "Not worked out"


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    amount: str
    tag: str
    tag_class: str
    explanation: str
    source: str | None


@dataclass(frozen=True)
class BreakdownSection:
    title: str
    rows: list[BreakdownRow]


class ResultPresenter:
    """A ``ChargingResult`` in the words and order the result page shows it."""

    def __init__(self, result: ChargingResult, *, council_contact_url: str) -> None:
        self.result = result
        self.council_contact_url = council_contact_url

    @property
    def is_figure(self) -> bool:
        return self.result.outcome is Outcome.CHARGE

    @property
    def headline(self) -> str:
        if self.result.outcome is Outcome.CHARGE:
            return "Your estimated weekly charge"
        return OUTCOME_HEADLINES[self.result.outcome][0]

    @property
    def headline_text(self) -> str | None:
        if self.result.outcome is Outcome.CHARGE:
            return None
        return OUTCOME_HEADLINES[self.result.outcome][1]

    @property
    def weekly_charge(self) -> str | None:
        charge = self.result.weekly_charge
        return format_money(charge) if charge is not None else None

    @property
    def setting_text(self) -> str:
        if self.result.assessed_as is AssessedAs.CARE_HOME:
            return "care in a care home"
        return "care and support at home"

    def summary_rows(self) -> list[tuple[str, str]]:
        r = self.result
        rows = [("Estimated weekly charge", money(r.weekly_charge))]
        if r.maximum_ability_to_pay is not None:
            rows.append(("Most you could afford to pay each week", money(r.maximum_ability_to_pay)))
        rows.append(
            (
                "Weekly cost of care",
                format_money(r.weekly_cost_of_care)
                if r.weekly_cost_of_care is not None
                else "Not entered",
            )
        )
        if r.council_contribution is not None:
            rows.append(("The council's estimated share each week", money(r.council_contribution)))
        rows.append(("Financial year", r.financial_year))
        return rows

    def meaning(self) -> list[str]:
        r = self.result
        if r.outcome is Outcome.CHARGE and r.weekly_charge is not None:
            text = [
                f"Based on what you told us, you would pay about {format_money(r.weekly_charge)} "
                f"a week towards {self.setting_text}."
            ]
            if r.council_contribution is not None and r.weekly_cost_of_care is not None:
                text.append(
                    f"The council would pay the rest of the {format_money(r.weekly_cost_of_care)}"
                    f": about {format_money(r.council_contribution)} a week."
                )
            elif r.weekly_cost_of_care is None:
                text.append(
                    "You did not enter the cost of your care. You never pay more than the "
                    "cost, so if your care costs less than this, you pay the cost."
                )
            return text
        return [OUTCOME_HEADLINES[r.outcome][1]]

    def breakdown(self) -> list[BreakdownSection]:
        sections: list[BreakdownSection] = []
        for section in Section:
            rows = [
                BreakdownRow(
                    label=line.label,
                    amount=format_money(line.amount) if line.amount is not None else "–",
                    tag=TREATMENT_TAGS[line.treatment][0],
                    tag_class=TREATMENT_TAGS[line.treatment][1],
                    explanation=line.explanation,
                    source=line.source,
                )
                for line in self.result.breakdown
                if line.section is section
            ]
            if rows:
                sections.append(BreakdownSection(SECTION_TITLES[section], rows))
        return sections

    def settings_rows(self) -> list[tuple[str, str, str]]:
        return [
            (
                SETTING_LABELS.get(s.name, s.name.replace("_", " ").capitalize()),
                s.value,
                s.source or "",
            )
            for s in self.result.settings_applied
        ]

    def rates_rows(self) -> list[tuple[str, str, str]]:
        rows = []
        for rate in self.result.rates_used:
            if rate.name.endswith(("_weeks", "_fraction")):
                value = str(rate.value)
            else:
                value = format_money(rate.value)
            rows.append((rate.label[:1].upper() + rate.label[1:], value, rate.source or ""))
        return rows

    @property
    def later(self) -> str | None:
        later = self.result.property_disregard
        if later is None:
            return None
        return (
            f"{later.explanation} After that, your estimated weekly charge would be "
            f"{money(later.after.weekly_charge)}."
        )

    def advice_links(self) -> list[tuple[str, str]]:
        return [
            (f"{self.result.council}: adult social care", self.council_contact_url),
            *ADVICE_LINKS,
        ]
