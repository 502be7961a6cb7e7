from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest

from careassure.accounts.models import User


class SignInForm(forms.Form):
    username = forms.CharField(
        max_length=150, error_messages={"required": "Enter your username"}, strip=True
    )
    password = forms.CharField(
        strip=False, widget=forms.PasswordInput, error_messages={"required": "Enter your password"}
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        username, password = cleaned.get("username"), cleaned.get("password")
        if username and password:
            user = authenticate(self.request, username=username, password=password)
            if user is None or not user.is_active:
                raise forms.ValidationError("Enter a correct username and password")
            self.user = user
        return cleaned


class OrganisationChoiceForm(forms.Form):
    organisation = forms.TypedChoiceField(
        coerce=int, error_messages={"required": "Select a council"}
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = choices  # type: ignore[attr-defined]
