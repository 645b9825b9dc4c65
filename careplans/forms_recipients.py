from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from careplans.models import Recipient


class RecipientForm(forms.ModelForm[Recipient]):
    class Meta:
        model = Recipient
        fields = ["kind", "name", "address"]
        labels = {
            "kind": _("Service"),
            "name": _("Name"),
            "address": _("Address"),
        }
        help_texts = {
            "kind": _("The kind of service a referral letter is sent to."),
            "name": _(
                "As the letter should name it, e.g. “Urology department, Exampletown General "
                "Hospital”."
            ),
            "address": _("As printed on the letter, one line per row. Optional."),
        }
        widgets = {"address": forms.Textarea(attrs={"rows": 4})}
