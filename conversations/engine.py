"""The one engine that walks the form: an event and a draft in, the next draft and prompts out.

It is pure (no I/O, no clock, no chat app), so every path of the form is tested without a bot.
The question being asked is derived from the draft: a pending confirmation, else the field
being edited, else the first unanswered field that applies, else the summary.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from conversations import parsers, texts
from conversations.form import ANONYMOUS, FieldId, FieldSpec, Form, Kind
from conversations.i18n import Lang, Text

MAX_EVIDENCE = 20
# A story told in several messages (fields with `story`): a message that does not answer the
# next question, within STORY_WINDOW seconds of the story, is offered as its continuation; a
# part arriving within SPLIT_WINDOW seconds of a message of SPLIT_AT characters or more is a
# long paste the app split (Telegram splits at 4,096) and is joined without asking.
STORY_WINDOW = 600.0
SPLIT_WINDOW = 5.0
SPLIT_AT = 4000


class Pending(StrEnum):
    """A question that is not a form field."""

    RESUME = "resume"
    CONFIRM_RESET = "confirm_reset"
    CONFIRM_CANCEL = "confirm_cancel"
    EDIT_MENU = "edit_menu"
    CONSENT_DECLINED = "consent_declined"
    CONTINUE_STORY = "continue_story"


SUMMARY = "summary"  # the "Ringkasan Laporan" step: every field answered, ready to send
# The summary was once named "review": buttons sent under that name (still in chats, or
# queued) and drafts saved with it are read as the summary.
LEGACY_STEPS = {"review": SUMMARY}
_PENDING = frozenset(p.value for p in Pending)


def current_step_name(name: str) -> str:
    """A step name as read from a button or a saved draft, under today's name."""
    return LEGACY_STEPS.get(name, name)


def current_button_data(data: str) -> str:
    qid, sep, action = data.partition(":")
    return f"{current_step_name(qid)}{sep}{action}" if sep else data


@dataclass
class Draft:
    """Everything a reporter has answered so far; saved after every accepted answer."""

    answers: dict[str, Any] = field(default_factory=dict)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    editing: FieldId | None = None
    pending: Pending | None = None
    # The story field answered last: {"field", "at" (seconds, or None), "length" of its last
    # message}; the message held while the reporter says whether it continues the story;
    # whether the field being edited is added to rather than replaced.
    story: dict[str, Any] | None = None
    held: str | None = None
    appending: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "answers": self.answers,
            "evidence": self.evidence,
            "editing": self.editing,
            "pending": self.pending,
            "story": self.story,
            "held": self.held,
            "appending": self.appending,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Draft:
        # A step that is neither a field nor a pending question (the summary, under any
        # name it had) is not stored: it follows from the answers.
        editing = current_step_name(str(data.get("editing") or ""))
        pending = current_step_name(str(data.get("pending") or ""))
        return cls(
            answers=dict(data.get("answers", {})),
            evidence=list(data.get("evidence", [])),
            editing=FieldId(editing) if editing and editing != SUMMARY else None,
            pending=Pending(pending) if pending and pending != SUMMARY else None,
            story=dict(data["story"]) if data.get("story") else None,
            held=data.get("held"),
            appending=bool(data.get("appending")),
        )

    @property
    def started(self) -> bool:
        return bool(self.answers or self.evidence)


# --- what goes in ------------------------------------------------------------------------


@dataclass(frozen=True)
class Typed:
    text: str
    at: float | None = None  # when it was sent (seconds); the engine has no clock of its own


@dataclass(frozen=True)
class Pressed:
    data: str  # the `Button.data` of a button this engine made


@dataclass(frozen=True)
class SharedContact:
    phone: str
    own: bool  # the contact is the sender's own number


@dataclass(frozen=True)
class Attached:
    """A file already downloaded and sealed by the service: kind, blob, sha256, size, name."""

    evidence: Mapping[str, Any]


@dataclass(frozen=True)
class Unsupported:
    """Something this question cannot take (a sticker, a file outside the evidence step)."""


Event = Typed | Pressed | SharedContact | Attached | Unsupported


# --- what comes out ----------------------------------------------------------------------


@dataclass(frozen=True)
class Button:
    label: str
    data: str


@dataclass(frozen=True)
class Prompt:
    """One outgoing message. `text` uses a tiny HTML subset (<b>, <i>); user text is escaped."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    ask_contact: bool = False  # offer the channel's "share my number"
    close_contact: bool = False  # that offer is over: take the channel's keyboard away

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "buttons": [[[b.label, b.data] for b in row] for row in self.buttons],
            "ask_contact": self.ask_contact,
            "close_contact": self.close_contact,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Prompt:
        return cls(
            text=data["text"],
            buttons=tuple(tuple(Button(lbl, d) for lbl, d in row) for row in data["buttons"]),
            ask_contact=bool(data.get("ask_contact")),
            close_contact=bool(data.get("close_contact")),
        )


@dataclass(frozen=True)
class Step:
    draft: Draft | None  # None: the draft was dropped
    prompts: tuple[Prompt, ...]
    submit: bool = False  # the reporter pressed "Kirim Laporan" on a complete draft


T_EMPTY = "-"


def _esc(value: str) -> str:
    return html.escape(value, quote=False)


def _fold(text: str) -> str:
    return " ".join(text.casefold().strip(" .!?,;:'\"").split())


class FormEngine:
    """Walks a `Form`. One instance serves every chat; it keeps no state of its own."""

    def __init__(self, form: Form) -> None:
        self.form = form

    # -- entry points -----------------------------------------------------------------

    def start(self, draft: Draft | None, lang: Lang) -> Step:
        """`/lapor`: offer to continue a draft in progress, else begin a new one."""
        if draft is not None and draft.started:
            draft = replace(draft, pending=Pending.RESUME, editing=None)
            return Step(draft, (self.prompt(draft, lang),))
        draft = Draft()
        return Step(draft, (Prompt(texts.FORM_START.render(lang)), self.prompt(draft, lang)))

    def cancel(self, draft: Draft, lang: Lang) -> Step:
        """`/batal`: ask before anything is deleted."""
        draft = replace(draft, pending=Pending.CONFIRM_CANCEL)
        return Step(draft, (self.prompt(draft, lang),))

    def expects_files(self, draft: Draft) -> bool:
        return self.question(draft) == FieldId.EVIDENCE

    def handle(self, draft: Draft, event: Event, lang: Lang) -> Step:
        qid = self.question(draft)
        if isinstance(event, Typed):
            joined = self._split_part(draft, qid, event, lang)
            if joined is not None:
                return joined
            pressed = self._typed_button(draft, qid, event.text, lang)
            if pressed is not None:
                event = pressed
        if isinstance(event, Pressed):
            event = Pressed(current_button_data(event.data))
            # Only the buttons on screen now count: an old "Lewati" under the evidence
            # question must not drop the evidence sent since.
            shown = {b.data for row in self.prompt(draft, lang).buttons for b in row}
            if event.data not in shown:
                return Step(
                    draft, (Prompt(texts.STALE_BUTTON.render(lang)), self.prompt(draft, lang))
                )
            _, _, action = event.data.partition(":")
            return self._press(draft, qid, action, lang)
        if isinstance(event, Unsupported):
            return self._reask(draft, lang, texts.UNSUPPORTED)
        if qid == SUMMARY:
            return self._reask(draft, lang, texts.USE_SUMMARY_BUTTONS)
        if qid in _PENDING:
            return self._reask(draft, lang, texts.USE_BUTTONS)
        spec = self.form[FieldId(qid)]
        if isinstance(event, Typed) and draft.appending and draft.editing is spec.id:
            done = replace(draft, editing=None, appending=False)
            return self._append(done, spec.id, event.text, event.at, lang)
        if spec.kind is Kind.EVIDENCE:
            return self._evidence(draft, event, lang)
        if isinstance(event, Attached):
            return self._reask(draft, lang, texts.UNSUPPORTED)
        if isinstance(event, SharedContact):
            if spec.kind is not Kind.PHONE:
                return self._reask(draft, lang, texts.UNSUPPORTED)
            if not event.own:
                return self._reask(draft, lang, texts.OWN_NUMBER_ONLY)
            text = event.phone if event.phone.startswith(("+", "0")) else f"+{event.phone}"
        else:
            text = event.text
        if spec.kind in (Kind.CHOICE, Kind.CONSENT) or spec.parser is None:
            return self._reask(draft, lang, texts.USE_BUTTONS)
        try:
            value = spec.parser(text)
        except parsers.ParseError as error:
            if isinstance(event, Typed):
                asked = self._continuation(draft, event)
                if asked is not None:
                    return Step(asked, (self.prompt(asked, lang),))
            return self._reask(draft, lang, error.message, **error.params)
        return self._answer(draft, spec, value, lang, at=getattr(event, "at", None))

    # -- stories told in several messages ------------------------------------------------

    def _split_part(self, draft: Draft, qid: str, event: Typed, lang: Lang) -> Step | None:
        """The next part of a long paste the app split: joined to the story, no question."""
        story = draft.story
        if story is None or qid in _PENDING or event.at is None or story.get("at") is None:
            return None
        if story["length"] < SPLIT_AT or event.at - story["at"] > SPLIT_WINDOW:
            return None
        return self._append(draft, FieldId(story["field"]), event.text, event.at, lang)

    def _continuation(self, draft: Draft, event: Typed) -> Draft | None:
        """A message that does not answer this question, moments after a story: ask."""
        story = draft.story
        if story is None or draft.editing is not None:
            return None
        if event.at is None or story.get("at") is None or event.at - story["at"] > STORY_WINDOW:
            return None  # not moments after the story (or when is not known)
        return replace(draft, pending=Pending.CONTINUE_STORY, held=event.text)

    def _append(
        self, draft: Draft, field_id: FieldId, text: str, at: float | None, lang: Lang
    ) -> Step:
        """The story goes on: the new part added on a new line, checked as a whole."""
        spec = self.form[field_id]
        assert spec.parser is not None
        before = str(draft.answers.get(field_id) or "")
        try:
            value = spec.parser(f"{before}\n{text.strip()}" if before else text)
        except parsers.ParseError as error:
            return self._reask(
                replace(draft, pending=None, held=None), lang, error.message, **error.params
            )
        story = {"field": field_id.value, "at": at, "length": len(text.strip())}
        draft = replace(
            draft,
            answers={**draft.answers, field_id: value},
            pending=None,
            held=None,
            story=story,
        )
        added = texts.STORY_ADDED.render(lang, label=spec.label.render(lang), count=len(value))
        return Step(draft, (Prompt(added), self.prompt(draft, lang)))

    # -- the current question -----------------------------------------------------------

    def question(self, draft: Draft) -> str:
        if draft.pending is not None:
            return draft.pending
        if draft.editing is not None:
            return draft.editing
        missing = self.next_field(draft.answers)
        return missing.id if missing is not None else SUMMARY

    def next_field(self, answers: Mapping[str, Any]) -> FieldSpec | None:
        for spec in self.form.applicable(answers):
            if spec.id not in answers:
                return spec
        return None

    def prompt(self, draft: Draft, lang: Lang) -> Prompt:
        """The current question, as a message with its buttons."""
        qid = self.question(draft)
        if qid == SUMMARY:
            return Prompt(
                texts.SUMMARY.render(lang, lines=self.summary(draft, lang)),
                self._buttons(
                    qid,
                    [
                        (texts.BUTTON_SEND, "send"),
                        (texts.BUTTON_EDIT, "edit"),
                        (texts.BUTTON_RESET, "reset"),
                    ],
                    lang,
                    per_row=3,
                ),
            )
        if qid in _PENDING:
            return self._pending_prompt(draft, Pending(qid), lang)
        spec = self.form[FieldId(qid)]
        text = spec.question.render(lang)
        if draft.appending and draft.editing is spec.id:
            text = texts.STORY_APPEND_ASK.render(lang, label=spec.label.render(lang))
        if draft.editing is spec.id and spec.id in draft.answers:
            text += "\n\n" + texts.CURRENT_ANSWER.render(
                lang, value=self.display(spec, draft, lang)
            )
        return Prompt(text, self._field_buttons(draft, spec, lang), spec.kind is Kind.PHONE)

    def summary(self, draft: Draft, lang: Lang) -> str:
        return "\n".join(
            f"<b>{spec.label.render(lang)}</b>: {self.display(spec, draft, lang)}"
            for spec in self.form.applicable(draft.answers)
        )

    def display(self, spec: FieldSpec, draft: Draft, lang: Lang) -> str:
        """How an answer reads in the summary (escaped)."""
        value = draft.answers.get(spec.id)
        if spec.kind is Kind.EVIDENCE:
            return (
                texts.EVIDENCE_COUNT.render(lang, count=len(draft.evidence))
                if draft.evidence
                else T_EMPTY
            )
        if value is None:
            return T_EMPTY
        if spec.kind in (Kind.CHOICE, Kind.CONSENT):
            for option in spec.options:
                if option.value == value:
                    return _esc(option.label.render(lang))
        if spec.id is FieldId.AMOUNT:
            return "Rp " + f"{int(value):,}".replace(",", ".")
        if isinstance(value, dict):
            return _esc(str(value.get("text", "")))
        return _esc(str(value))

    # -- answers ----------------------------------------------------------------------

    def _answer(
        self, draft: Draft, spec: FieldSpec, value: Any, lang: Lang, *, at: float | None = None
    ) -> Step:
        stored = value.to_dict() if hasattr(value, "to_dict") else value
        answers = {**draft.answers, spec.id: stored}
        applicable = {s.id for s in self.form.applicable(answers)}
        answers = {k: v for k, v in answers.items() if k in applicable}
        story = (
            {"field": spec.id.value, "at": at, "length": len(str(stored))} if spec.story else None
        )
        draft = replace(
            draft,
            answers=answers,
            editing=None,
            pending=None,
            story=story,
            held=None,
            appending=False,
        )
        if spec.kind is Kind.PHONE:
            # Confirm the number, and take the "share my number" keyboard off the screen.
            saved = Prompt(
                texts.PHONE_SAVED.render(lang, phone=_esc(str(stored))), close_contact=True
            )
            return Step(draft, (saved, self.prompt(draft, lang)))
        return Step(draft, (self.prompt(draft, lang),))

    def _press(self, draft: Draft, qid: str, action: str, lang: Lang) -> Step:
        if qid == SUMMARY:
            if action == "send":
                return Step(draft, (), submit=True)
            pending = {"edit": Pending.EDIT_MENU, "reset": Pending.CONFIRM_RESET}.get(action)
            return self._moved(replace(draft, pending=pending), lang)
        if qid in _PENDING:
            return self._press_pending(draft, Pending(qid), action, lang)
        spec = self.form[FieldId(qid)]
        if action == "back":
            return self._moved(replace(draft, editing=None, appending=False), lang)
        if action == "append" and spec.story and spec.id in draft.answers:
            return self._moved(replace(draft, appending=True), lang)
        if action == "skip" and spec.skip is not None:
            if spec.kind is Kind.EVIDENCE:
                return self._answer(replace(draft, evidence=[]), spec, 0, lang)
            return self._answer(draft, spec, None, lang)
        if spec.kind is Kind.EVIDENCE:
            if action == "done":
                return self._answer(draft, spec, len(draft.evidence), lang)
            if action == "clear":
                return self._moved(replace(draft, evidence=[]), lang)
        if action.isdigit() and int(action) < len(spec.options):
            option = spec.options[int(action)]
            step = self._answer(draft, spec, option.value, lang)
            if spec.kind is Kind.CONSENT and option.value is False:
                # A whistleblower may refuse contact and still report: say what that means.
                refused = Prompt(texts.CONSENT_REFUSED.render(lang))
                return Step(step.draft, (refused, *step.prompts))
            return step
        return self._reask(draft, lang, texts.USE_BUTTONS)

    def _press_pending(self, draft: Draft, pending: Pending, action: str, lang: Lang) -> Step:
        cleared = replace(draft, pending=None)
        if pending is Pending.RESUME:
            return self._moved(cleared, lang) if action == "continue" else self.start(None, lang)
        if pending is Pending.CONFIRM_RESET:
            if action == "yes":
                fresh = Draft()
                return Step(
                    fresh, (Prompt(texts.RESET_DONE.render(lang)), self.prompt(fresh, lang))
                )
            return self._moved(cleared, lang)
        if pending is Pending.CONFIRM_CANCEL:
            if action == "yes":
                return Step(None, (Prompt(texts.CANCELLED.render(lang)),))
            return self._moved(cleared, lang)
        if pending is Pending.CONTINUE_STORY:
            held = draft.held or ""
            if action == "yes" and draft.story is not None:
                field_id = FieldId(draft.story["field"])
                return self._append(cleared, field_id, held, draft.story.get("at"), lang)
            # Not the story: the message is an answer to the question after all (and fails
            # there with its reason, as it did before the question).
            return self.handle(replace(cleared, held=None, story=None), Typed(held), lang)
        if pending is Pending.CONSENT_DECLINED:
            if action == "yes":
                return self._answer(cleared, self.form[FieldId.CONSENT], True, lang)
            return self._moved(replace(draft, pending=Pending.CONFIRM_CANCEL), lang)
        # Pending.EDIT_MENU
        if action == "back":
            return self._moved(cleared, lang)
        editable = {spec.id.value for spec in self.form.applicable(draft.answers)}
        if action in editable:
            return self._moved(replace(cleared, editing=FieldId(action)), lang)
        return self._reask(draft, lang, texts.USE_BUTTONS)

    def _evidence(self, draft: Draft, event: Event, lang: Lang) -> Step:
        if len(draft.evidence) >= MAX_EVIDENCE:
            return self._reask(draft, lang, texts.EVIDENCE_FULL, limit=MAX_EVIDENCE)
        if isinstance(event, Attached):
            added = [dict(event.evidence)]
        elif isinstance(event, Typed):
            try:
                added = [{"kind": "link", "url": url} for url in parsers.links(event.text)]
            except parsers.ParseError as error:
                asked = self._continuation(draft, event)
                if asked is not None:
                    return Step(asked, (self.prompt(asked, lang),))
                return self._reask(draft, lang, error.message, **error.params)
        else:
            return self._reask(draft, lang, texts.UNSUPPORTED)
        evidence = (draft.evidence + added)[:MAX_EVIDENCE]
        dropped = len(draft.evidence) + len(added) - len(evidence)
        draft = replace(draft, evidence=evidence)
        spec = self.form[FieldId.EVIDENCE]
        taken = texts.EVIDENCE_TAKEN.render(lang, count=len(evidence))
        if dropped:  # say so: nothing the reporter sent may vanish silently
            taken += "\n⚠️ " + texts.EVIDENCE_DROPPED.render(lang, limit=MAX_EVIDENCE, count=dropped)
        return Step(draft, (Prompt(taken, self._field_buttons(draft, spec, lang)),))

    # -- prompts and buttons ----------------------------------------------------------

    def _moved(self, draft: Draft, lang: Lang) -> Step:
        return Step(draft, (self.prompt(draft, lang),))

    def _reask(self, draft: Draft, lang: Lang, reason: Text, **params: object) -> Step:
        return Step(draft, (Prompt("⚠️ " + reason.render(lang, **params)), self.prompt(draft, lang)))

    def _field_buttons(
        self, draft: Draft, spec: FieldSpec, lang: Lang
    ) -> tuple[tuple[Button, ...], ...]:
        actions: list[tuple[Text, str]] = [(o.label, str(i)) for i, o in enumerate(spec.options)]
        if spec.kind is Kind.EVIDENCE and draft.evidence:
            actions.append((texts.BUTTON_DONE, "done"))
            if draft.editing is spec.id:
                actions.append((texts.BUTTON_CLEAR_EVIDENCE, "clear"))
        elif spec.skip is not None:
            actions.append((spec.skip, "skip"))
        if draft.editing is spec.id and spec.id in draft.answers:
            if spec.story and not draft.appending:
                actions.append((texts.BUTTON_APPEND, "append"))
            actions.append((texts.BUTTON_BACK, "back"))
        return self._buttons(spec.id, actions, lang)

    def _pending_prompt(self, draft: Draft, pending: Pending, lang: Lang) -> Prompt:
        if pending is Pending.CONTINUE_STORY:
            story = draft.story or {}
            label = self.form[FieldId(story.get("field", FieldId.CHRONOLOGY))].label
            ask = [(texts.BUTTON_STORY_YES, "yes"), (texts.BUTTON_STORY_NO, "no")]
            return Prompt(
                texts.STORY_CONTINUES.render(lang, label=label.render(lang)),
                self._buttons(pending, ask, lang, 2),
            )
        if pending is Pending.EDIT_MENU:
            actions = [(s.label, s.id.value) for s in self.form.applicable(draft.answers)]
            actions.append((texts.BUTTON_BACK, "back"))
            return Prompt(texts.EDIT_MENU.render(lang), self._buttons(pending, actions, lang))
        text, actions, per_row = {
            Pending.RESUME: (
                texts.FORM_RESUME,
                [(texts.BUTTON_CONTINUE, "continue"), (texts.BUTTON_RESTART, "restart")],
                2,
            ),
            Pending.CONFIRM_RESET: (
                texts.CONFIRM_RESET,
                [(texts.BUTTON_YES_RESET, "yes"), (texts.BUTTON_NO, "no")],
                2,
            ),
            Pending.CONFIRM_CANCEL: (
                texts.CONFIRM_CANCEL,
                [(texts.BUTTON_YES_CANCEL, "yes"), (texts.BUTTON_NO, "no")],
                2,
            ),
            Pending.CONSENT_DECLINED: (
                texts.CONSENT_WHY,
                [
                    (self.form[FieldId.CONSENT].options[0].label, "yes"),
                    (texts.BUTTON_CANCEL, "cancel"),
                ],
                1,
            ),
        }[pending]
        return Prompt(text.render(lang), self._buttons(pending, actions, lang, per_row))

    @staticmethod
    def _buttons(
        qid: str, actions: Sequence[tuple[Text, str]], lang: Lang, per_row: int = 1
    ) -> tuple[tuple[Button, ...], ...]:
        buttons = [Button(label.render(lang), f"{qid}:{action}") for label, action in actions]
        return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))

    def _typed_button(self, draft: Draft, qid: str, text: str, lang: Lang) -> Pressed | None:
        """Typing a button's label (any case) presses it; on pure choices, so does its number."""
        buttons = [b for row in self.prompt(draft, lang).buttons for b in row]
        if not buttons:
            return None
        folded = _fold(text)
        for button in buttons:
            if _fold(button.label) == folded:
                return Pressed(button.data)
        # Not on the summary: a stray digit must never send a report.
        numbered = qid in _PENDING or (
            qid != SUMMARY and self.form[FieldId(qid)].kind in (Kind.CHOICE, Kind.CONSENT)
        )
        if numbered and folded.isdigit() and 1 <= int(folded) <= len(buttons):
            return Pressed(buttons[int(folded) - 1].data)
        return None


def is_anonymous(answers: Mapping[str, Any]) -> bool:
    return answers.get(FieldId.IDENTITY_MODE) == ANONYMOUS
