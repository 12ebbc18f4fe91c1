"""Forms of the editors' pages. They check the shape of what was sent (which fields, file type, size, encoding);
the services decide everything else, and their InvalidInput errors are put back next to the fields here."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from claims.errors import InvalidInput
from claims.ingest.extract import ExtractionError, decode_body
from claims.models import AttributeDynamics, Contradiction
from claims.selectors import dynamics_words

# The same cap as a fetched page: an uploaded file is a page saved from a browser.
MAX_HTML_BYTES = 5 * 1024 * 1024
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
HTML_TYPES = ("text/html", "application/xhtml+xml", "application/octet-stream", "text/plain", "")
_LOOKS_LIKE_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body|article|main|p|div|h[1-6]|title)\b", re.IGNORECASE)
ONE_SOURCE = "Give exactly one of: pasted text, an HTML file, or a URL to fetch."


class ArticleIntakeForm(forms.Form):
    text = forms.CharField(
        label="Paste the article",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text="Everything you copied from the page is fine: menus, share buttons and other junk are removed.",
    )
    html_file = forms.FileField(
        label="…or upload the page's HTML file",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".html,.htm,.xhtml,text/html"}),
        help_text=f"A page saved from a browser (.html), at most {MAX_HTML_BYTES // (1024 * 1024)} MB, UTF-8 "
        "or with its charset declared.",
    )
    url = forms.CharField(
        label="…or give its URL",
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off", "placeholder": "https://"}),
        help_text="Alone, the page is fetched. With pasted text or a file, it is recorded as the article's address.",
    )
    title = forms.CharField(label="Title", required=False, max_length=500)
    outlet = forms.CharField(
        label="Outlet", required=False, max_length=200, help_text="The publication's name, e.g. “Harbour Wire”."
    )
    published_at = forms.DateField(
        label="Published on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty to take the date from the article.",
    )

    # Where each service field's errors are shown, and what the service's "is empty"-style messages are about.
    SERVICE_FIELDS = {
        "text": ("text", "The pasted text"),
        "html": ("html_file", "The file"),
        "url": ("url", "The URL"),
        "title": ("title", "The title"),
        "outlet": ("outlet", "The outlet"),
        "published_at": ("published_at", "The date"),
    }

    def clean_html_file(self) -> str | None:
        upload: UploadedFile | None = self.cleaned_data.get("html_file")
        if not upload:
            return None
        name = (upload.name or "").lower()
        content_type = (upload.content_type or "").split(";")[0].strip().lower()
        if not name.endswith(HTML_SUFFIXES) or content_type not in HTML_TYPES:
            got = content_type or "no type"
            raise forms.ValidationError(f"“{upload.name}” is not an HTML file (expected .html or .htm, got {got}).")
        if upload.size is not None and upload.size > MAX_HTML_BYTES:
            raise forms.ValidationError(
                f"The file is too big: {upload.size / (1024 * 1024):.1f} MB, "
                f"at most {MAX_HTML_BYTES // (1024 * 1024)} MB."
            )
        data = upload.read(MAX_HTML_BYTES + 1)
        if len(data) > MAX_HTML_BYTES:
            raise forms.ValidationError(f"The file is too big: more than {MAX_HTML_BYTES // (1024 * 1024)} MB.")
        try:
            html = decode_body(data, None)
        except ExtractionError as exc:
            raise forms.ValidationError(f"The file cannot be read as text: {exc}.") from None
        if not _LOOKS_LIKE_HTML.search(data[:65536]):
            raise forms.ValidationError("The file does not look like an HTML page (no <html>, <body> or <p> tags).")
        return html

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        text = cleaned.get("text") or ""
        html = cleaned.get("html_file")
        url = (cleaned.get("url") or "").strip()
        if self.errors:
            return cleaned
        has_text = bool(text.strip())
        if has_text and html:
            self.add_error("text", ONE_SOURCE)
            self.add_error("html_file", ONE_SOURCE)
        elif not (has_text or html or url):
            if text:
                self.add_error("text", "The pasted text is empty (only spaces and line breaks).")
            else:
                raise forms.ValidationError(ONE_SOURCE)
        return cleaned

    def submission(self) -> dict[str, Any]:
        """The keyword arguments for services.article_submit, from a valid form."""
        data = self.cleaned_data
        published = data.get("published_at")
        return {
            "text": data["text"] if (data.get("text") or "").strip() else None,
            "html": data.get("html_file") or None,
            "url": (data.get("url") or "").strip() or None,
            "title": (data.get("title") or "").strip() or None,
            "outlet": (data.get("outlet") or "").strip() or None,
            "published_at": datetime.datetime.combine(published, datetime.time(), datetime.UTC) if published else None,
        }

    def add_service_errors(self, error: InvalidInput) -> None:
        """Show a service's refusal next to the fields it names (unknown fields go to the top of the form)."""
        for field, messages in error.errors.items():
            target, noun = self.SERVICE_FIELDS.get(field, (None, field))
            for message in messages:
                self.add_error(target, sentence(noun, message))


def sentence(noun: str, message: str) -> str:
    """ "is empty" about the pasted text -> "The pasted text is empty."; a message that stands alone is capitalised."""
    text = message.strip().rstrip(".")
    if text.startswith(("is ", "are ", "contains ", "has ", "must ")):
        text = f"{noun} {text}"
    return text[:1].upper() + text[1:] + "."


REVIEW_ACTIONS = [
    (Contradiction.Status.CONFIRMED, "Confirm"),
    (Contradiction.Status.DISMISSED, "Dismiss"),
    (Contradiction.Status.SUPERSEDED, "Superseded"),
    (Contradiction.Status.OPEN, "Reopen"),
]


class ServiceErrorsMixin:
    """Put a service's InvalidInput back next to the fields it names (`SERVICE_FIELDS` maps a service's name of a
    field to the form's; unknown fields go to the top of the form)."""

    SERVICE_FIELDS: dict[str, str] = {}

    def show_service_errors(self, error: InvalidInput) -> None:
        for field, problems in error.errors.items():
            target = self.SERVICE_FIELDS.get(field, field)
            for problem in problems:
                self.add_error(target if target in self.fields else None, problem)  # type: ignore[attr-defined]


def whole_days(text: str) -> int | None:
    """A window typed by an editor: a whole number of days, 0 or more (at most six digits), else None."""
    return int(text) if re.fullmatch(r"\d{1,6}", text) else None


# Dismissing a quantity flag because the figure moved can teach how the attribute's figures move (the values are
# AttributeDynamics kinds; "" leaves the attribute as it is).
TEACH_CHOICES = [
    ("", "leave as it is"),
    ("cumulative", "a running tally (only grows)"),
    ("level", "a level that changes"),
]


class ContradictionResolveForm(ServiceErrorsMixin, forms.Form):
    SERVICE_FIELDS = {"dynamics": "teach"}

    status = forms.ChoiceField(
        choices=REVIEW_ACTIONS,
        error_messages={
            "required": "Choose confirm, dismiss or superseded.",
            "invalid_choice": "“%(value)s” is not a review decision: choose confirm, dismiss, superseded or reopen.",
        },
    )
    # The note is published: the public contradiction page and list show it as the reviewer's note. There is no
    # private note (it would need its own field); the label and help say so before anything is typed.
    note = forms.CharField(
        label="Public note (shown to readers)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional. Published with your decision on the public contradiction page: "
        "why, or which report updates which. Do not put internal remarks here.",
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
    # With Dismiss only: "the figure moved, it is an update", and how the attribute moves (the card renders these).
    teach = forms.ChoiceField(
        choices=TEACH_CHOICES,
        required=False,
        error_messages={"invalid_choice": "“%(value)s” is not a way figures move: a running tally or a level."},
    )
    window_days = forms.CharField(required=False, max_length=12)  # read only with "a level": see clean()

    @classmethod
    def for_contradiction(cls, flag: Contradiction, next_url: str, window_days: int | None) -> ContradictionResolveForm:
        """The unbound form of a card: the flag's note, where to go back, and the proposed window of a level."""
        return cls(initial={"note": flag.note, "next": next_url, "window_days": window_days}, prefix=f"f{flag.pk}")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        teach, days = cleaned.get("teach") or "", (cleaned.get("window_days") or "").strip()
        cleaned["teach"], cleaned["window_days"] = teach, None
        if teach and cleaned.get("status") != Contradiction.Status.DISMISSED:
            self.add_error("teach", "Teaching how the figures move goes with Dismiss (the figure moved: an update).")
        elif teach == "level":
            window = whole_days(days)
            if window is None:
                self.add_error("window_days", "Give the days as a whole number, 0 or more, for “a level that changes”.")
            else:
                cleaned["window_days"] = window
        return cleaned

    def lesson(self) -> dict[str, Any]:
        """A valid form's keyword arguments for services.contradiction_dismiss_as_update (dynamics, window_days,
        note), or {} when the decision teaches nothing."""
        data = self.cleaned_data
        return (
            {"dynamics": data["teach"], "window_days": data["window_days"], "note": data["note"]}
            if data["teach"]
            else {}
        )


def taught_words(taught: AttributeDynamics) -> str:
    """What a dismissal as an update taught, for the editor: "«death toll» is now a running tally: …"."""
    how = dynamics_words(taught.dynamics, taught.window_days)
    return f"«{taught.attribute_key}» is now {how}: its claims are re-checked."


class ContradictionFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "All kinds"), *Contradiction.Kind.choices], required=False)
    status = forms.ChoiceField(choices=[("", "All statuses"), *Contradiction.Status.choices], required=False)


class SubjectMergeForm(ServiceErrorsMixin, forms.Form):
    """Two subjects by name (or alias, case-insensitively): the first is folded into the second."""

    source = forms.CharField(
        label="Merge this subject",
        max_length=300,
        widget=forms.TextInput(attrs={"list": "subject-names", "autocomplete": "off"}),
        help_text="Its claims move over and its name is kept as an alias.",
        error_messages={"required": "Name the subject to merge."},
    )
    target = forms.CharField(
        label="into this subject",
        max_length=300,
        widget=forms.TextInput(attrs={"list": "subject-names", "autocomplete": "off"}),
        help_text="The subject that stays, with its name.",
        error_messages={"required": "Name the subject to merge it into."},
    )


class SubjectNameCheckForm(forms.Form):
    name = forms.CharField(
        label="New subject name",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text="Before making a new subject, see which existing ones are close to it.",
    )


class AttributeKindForm(ServiceErrorsMixin, forms.Form):
    """How one attribute's figures move, as an editor sets it on /editor/attributes/ (services.attribute_dynamics_set
    checks it again and names what is wrong)."""

    attribute = forms.CharField(
        max_length=200, widget=forms.HiddenInput, error_messages={"required": "Name the attribute."}
    )
    dynamics = forms.ChoiceField(
        label="How its figures move",
        choices=AttributeDynamics.Kind.choices,
        error_messages={
            "required": "Choose how the figures move.",
            "invalid_choice": "“%(value)s” is not a way figures move: "
            "a running tally, a level, a fixed fact or a forecast.",
        },
    )
    window_days = forms.CharField(
        label="Window (days)",
        required=False,
        max_length=12,
        help_text="Levels and forecasts: reports further apart than this are not compared. "
        "Empty: the configured window.",
    )

    def clean_window_days(self) -> int | None:
        days = (self.cleaned_data.get("window_days") or "").strip()
        if not days:
            return None
        window = whole_days(days)
        if window is None:
            raise forms.ValidationError("Give the window as a whole number of days, 0 or more, or leave it empty.")
        return window
