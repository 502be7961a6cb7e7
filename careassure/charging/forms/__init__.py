"""The calculator's question pages (``steps``), their fields and the words for the answers."""

from careassure.charging.forms.fields import (
    PERIOD_SUFFIXES,
    CheckboxesField,
    MoneyField,
    PeriodField,
    RadiosField,
    TextField,
    WholeNumberField,
    YesNoField,
)
from careassure.charging.forms.labels import NO_ONE
from careassure.charging.forms.steps import (
    DRE_ROWS,
    STEP_FORMS,
    CareAtHomeForm,
    StepForm,
    answer_names,
)

__all__ = [
    "DRE_ROWS",
    "NO_ONE",
    "PERIOD_SUFFIXES",
    "STEP_FORMS",
    "CareAtHomeForm",
    "CheckboxesField",
    "MoneyField",
    "PeriodField",
    "RadiosField",
    "StepForm",
    "TextField",
    "WholeNumberField",
    "YesNoField",
    "answer_names",
]
