from __future__ import annotations

from django import forms


class TemplateForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea, error_messages={"required": "Enter the template"})
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
