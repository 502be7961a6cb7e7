"""The order of the question pages, and turning the answers into the calculator's input.

Answers travel between pages in hidden form fields only (never the database, the session, a
cookie or the URL): every request carries them all, and only the names in ``ANSWER_NAMES``
are read from it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import QueryDict

from careassure.charging.forms import (
    NO_ONE,
    STEP_FORMS,
    PeriodField,
    StepForm,
    YesNoField,
    answer_names,
)
from careassure.core.charging import CareSetting, ChargingInputError, CouncilPolicy, parse_money

ANSWER_NAMES = frozenset(answer_names())
CHECK = "check"
FIRST_STEP = "free"


def extract_answers(data: QueryDict) -> QueryDict:
    """The answers in a request body, and nothing else it holds."""
    answers = QueryDict(mutable=True)
    for key in data:
        if key in ANSWER_NAMES:
            answers.setlist(key, data.getlist(key))
    return answers


def _positive(text: str | None) -> bool:
    try:
        return parse_money(text or "") > 0
    except ChargingInputError:
        return False


def applicable_steps(answers: QueryDict, policy: CouncilPolicy) -> list[str]:
    """The question pages that apply, in order, given the answers so far.

    A free service needs only where the care is and who the person is. People the council
    refers (benefits for dependants, Carer's Allowance, per the council policy) are not asked
    the rest. Care-home questions are only for care homes, home care questions only for care
    at home.
    """
    steps = [FIRST_STEP, "setting"]
    setting = answers.get("care_setting")
    free = answers.get("free_service")
    if free and free != "none":
        return [*steps, "about"]
    if setting == CareSetting.CARE_HOME_TEMPORARY:
        steps.append("stay")
    steps.append("about")
    if (
        policy.refer_if_benefits_for_dependants
        and answers.get("receives_benefits_for_dependants") == "yes"
    ):
        return steps
    steps.append("capital")
    if setting == CareSetting.CARE_HOME_PERMANENT:
        steps.append("home")
        if answers.get("owns_home") == "yes":
            steps.append("home-details")
    steps.append("income")
    if policy.refer_if_carers_allowance and _positive(answers.get("income__carers_allowance")):
        return steps
    steps.append("disability")
    if setting == CareSetting.HOME_CARE:
        steps.append("housing")
        benefit = answers.get("income__disability_benefit")
        if benefit and benefit != "none":
            steps.append("care-at-home")
    steps.append("cost")
    return steps


def answered(step: str, answers: QueryDict) -> bool:
    return any(name in answers for name in STEP_FORMS[step].base_fields)


def next_step(current: str, answers: QueryDict, policy: CouncilPolicy, *, changing: bool) -> str:
    """The page after ``current``: the next question, or check answers. When the person is
    changing an answer, the first question the change made necessary, else check answers."""
    steps = applicable_steps(answers, policy)
    if changing or current not in steps:
        return next((step for step in steps if not answered(step, answers)), CHECK)
    index = steps.index(current)
    return steps[index + 1] if index + 1 < len(steps) else CHECK


def previous_step(current: str, answers: QueryDict, policy: CouncilPolicy) -> str | None:
    """The page before ``current`` (``None``: the start page)."""
    steps = applicable_steps(answers, policy)
    if current == CHECK or current not in steps:
        return steps[-1] if current == CHECK else CHECK
    index = steps.index(current)
    return steps[index - 1] if index > 0 else None


def step_form(
    step: str, answers: QueryDict, policy: CouncilPolicy, data: QueryDict | None = None
) -> StepForm:
    return STEP_FORMS[step](data, answers=answers, policy=policy)


def _set_path(target: dict[str, Any], path: str, value: object) -> None:
    *parents, last = path.split("__")
    for part in parents:
        child = target.setdefault(part, {})
        assert isinstance(child, dict)
        target = child
    target[last] = value


def _apply(form: StepForm, data: dict[str, Any]) -> None:
    dre: dict[int, dict[str, object]] = {}
    for name, value in form.cleaned_data.items():
        field = form.fields[name]
        if name.startswith("dre_"):
            _, row, part = name.split("_", 2)
            if value not in (None, ""):
                key = "description" if part == "description" else "weekly_amount"
                dre.setdefault(int(row), {})[key] = (
                    str(value) if isinstance(value, Decimal) else value
                )
        elif name == "free_service":
            if value != "none":
                data["free_service"] = value
        elif name == "partner":
            data["has_partner"] = value.startswith("yes")
            data["partner_reached_pension_credit_age"] = value == "yes_pension_age"
        elif name == "owns_home":
            if value == "yes":
                data.setdefault("home", {})
        elif isinstance(field, PeriodField):
            # Weekly is the input's default; a period matters only with an amount.
            if value and value != "week" and form.cleaned_data.get(field.amount_name):
                _set_path(data, name, value)
        elif name == "home__occupied_by":
            _set_path(data, name, [item for item in value if item != NO_ONE])
        elif isinstance(field, YesNoField):
            if value:
                _set_path(data, name, value == "yes")
        elif value is None or value == "":
            continue
        elif isinstance(value, Decimal):
            _set_path(data, name, str(value))
        else:
            _set_path(data, name, value)
    if dre:
        data["disability_related_expenditure"] = [dre[row] for row in sorted(dre)]


def build_input(answers: QueryDict, policy: CouncilPolicy) -> tuple[dict[str, Any], str | None]:
    """The input-schema dict for the answers, and the first page whose answers are missing or
    not valid (``None`` when every page that applies is answered and valid)."""
    data: dict[str, Any] = {"financial_year": answers.get("financial_year", "")}
    for step in applicable_steps(answers, policy):
        form = step_form(step, answers, policy, data=answers)
        if not answered(step, answers) or not form.is_valid():
            return data, step
        _apply(form, data)
    return data, None
