"""GOV.UK form helpers: the error summary list and field ids that match it."""

from __future__ import annotations

from django import forms


def error_summary(form: forms.Form | None) -> list[dict[str, str]]:
    """GOV.UK error summary items, in field order, each linking to its field."""
    if form is None or not form.is_bound or not form.errors:
        return []
    items: list[dict[str, str]] = []
    for message in form.non_field_errors():
        items.append({"text": str(message), "href": "#main-content"})
    for name, field in form.fields.items():
        errors = form.errors.get(name)
        if errors:
            widget_id = field.widget.attrs.get("id") or f"id_{name}"
            items.append({"text": str(errors[0]), "href": f"#{widget_id}"})
    return items
