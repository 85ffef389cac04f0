"""Forms for the conversation pages. The actions check everything again (empty text,
length, who a private thread may be with), so the API and the pages agree."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samepage.conversations.models import Thread
from samepage.core.uploads import ACCEPT_ATTRIBUTE, CheckedUpload, check_upload

BODY_HELP = _(
    "You can use **bold**, *italic*, lists (a line starting with “- ”) and links "
    "([words](https://…))."
)


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        strip=False,
        help_text=BODY_HELP,
    )
    attachment = forms.FileField(
        label=_("Attach a file (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text=_("A picture, a PDF or an office document."),
    )

    def clean_attachment(self) -> CheckedUpload | None:
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        try:
            return check_upload(upload)
        except ValidationError as e:
            raise ValidationError(e.messages) from e


class StartThreadForm(MessageForm):
    kind = forms.ChoiceField(label=_("Who is it for?"), widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title (staff-only conversations)"), required=False)
    with_id = forms.ChoiceField(label=_("Write privately to"), required=False)

    def __init__(self, *args: Any, people: list[Any], can_start_staff: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = []
        if can_start_staff:
            kinds.append((Thread.Kind.STAFF.value, _("Staff only (never shown to the family)")))
        if people:
            kinds.append((Thread.Kind.PRIVATE.value, _("One person, privately")))
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = kinds
        if len(kinds) == 1:
            kind.initial = kinds[0][0]
        with_id = self.fields["with_id"]
        assert isinstance(with_id, forms.ChoiceField)
        with_id.choices = [("", "—")] + [(str(p.pk), p.display_name) for p in people]
        self.order_fields(["kind", "title", "with_id", "body", "attachment"])
