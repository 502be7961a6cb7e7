"""Form fields for the question pages. Money fields read what a person types with the core's
``parse_money`` and say what is wrong in the core's words."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from careassure.core.charging import AmountPeriod, ChargingInputError, parse_money
from careassure.core.charging.models import MONEY_FIELDS

YES_NO = [("yes", "Yes"), ("no", "No")]


class MoneyField(forms.CharField):
    """An amount of money as a person types it (“£1,234.50”), read by the core's parser.

    ``core_name`` names the amount in the core's ``MONEY_FIELDS`` (its wording and maximum).
    A blank answer is ``None``; a required one says “Enter …” in the core's words.
    """

    kind = "money"

    def __init__(self, *, core_name: str, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.core_name = core_name
        self.core_label, self.maximum = MONEY_FIELDS[core_name]

    def clean(self, value: Any) -> Decimal | None:
        text = str(value or "").strip()
        if not text:
            if self.required:
                raise forms.ValidationError(f"Enter {self.core_label}", code="required")
            return None
        try:
            return parse_money(
                text, field=self.core_name, label=self.core_label, maximum=self.maximum
            )
        except ChargingInputError as error:
            raise forms.ValidationError(error.message, code="invalid") from None


class RadiosField(forms.ChoiceField):
    kind = "radios"

    def __init__(self, *, message: str, inline: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"required": message, "invalid_choice": message})
        super().__init__(**kwargs)
        self.inline = inline
        self.item_hints: dict[str, str] = {}


class YesNoField(RadiosField):
    def __init__(self, *, message: str, **kwargs: Any) -> None:
        super().__init__(message=message, choices=YES_NO, inline=True, **kwargs)


class CheckboxesField(forms.MultipleChoiceField):
    kind = "checkboxes"

    def __init__(self, *, message: str, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"required": message, "invalid_choice": message})
        super().__init__(**kwargs)


class WholeNumberField(forms.IntegerField):
    kind = "number"

    def __init__(self, *, message: str, **kwargs: Any) -> None:
        kwargs.setdefault(
            "error_messages",
            {"required": message, "invalid": message, "min_value": message, "max_value": message},
        )
        super().__init__(**kwargs)


class TextField(forms.CharField):
    kind = "text"


PERIOD_LABELS = {
    AmountPeriod.WEEK.value: "Every week",
    AmountPeriod.FOUR_WEEKS.value: "Every 4 weeks",
    AmountPeriod.MONTH.value: "Every month",
    AmountPeriod.YEAR.value: "Every year",
}
# How an amount's period is said after the amount on check answers (weekly: nothing added).
PERIOD_SUFFIXES = {
    AmountPeriod.FOUR_WEEKS.value: " every 4 weeks",
    AmountPeriod.MONTH.value: " a month",
    AmountPeriod.YEAR.value: " a year",
}


class PeriodField(RadiosField):
    """How often the amount of income ``amount_name`` (a field of the same form) is paid.
    Not answering means every week."""

    kind = "period"

    def __init__(self, *, amount_name: str, label: str) -> None:
        super().__init__(
            label=label,
            message=f"Select how often {label} is paid",
            choices=list(PERIOD_LABELS.items()),
            inline=True,
            required=False,
            initial=AmountPeriod.WEEK.value,
        )
        self.amount_name = amount_name


def money_field(core_name: str, label: str, hint: str | None = None) -> MoneyField:
    return MoneyField(core_name=core_name, label=label, help_text=hint)
