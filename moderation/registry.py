"""The small protocol through which moderation knows content, without importing it.

Content apps (stories, replies, chat, profiles) register one adapter per model in their
AppConfig.ready(): `registry.register(Story, StoryModeration())`. Moderation then finds the
adapter from a content type and never imports the content app.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from groups.models import Group
    from peersupport.accounts.models import User


class ModeratedContent(ABC):
    """How moderation reads and changes one kind of content.

    `group` may return None for site-wide things (member profiles): only administrators
    moderate those. `hide`/`restore`/`redact`/`hold`/`release` change only the object itself;
    moderation stores the original text in the action and audit row before calling them.
    """

    # Which actions make sense for this kind of content (a profile cannot be "held").
    can_hide: bool = True
    can_redact: bool = True
    can_hold: bool = True
    # A short noun for pages: "story", "reply", "chat message", "profile".
    noun: str = "post"

    @abstractmethod
    def group(self, obj: Any) -> Group | None: ...

    @abstractmethod
    def author(self, obj: Any) -> User | None: ...

    @abstractmethod
    def title(self, obj: Any) -> str: ...

    def excerpt(self, obj: Any) -> str:
        text = self.text(obj)
        return text if len(text) <= 200 else text[:199].rstrip() + "…"

    @abstractmethod
    def text(self, obj: Any) -> str: ...

    def rendered_html(self, obj: Any) -> str:
        """The item as members see it (safe HTML); by default its plain text, escaped."""
        from django.template.defaultfilters import linebreaks_filter

        return linebreaks_filter(self.text(obj), autoescape=True)

    def warnings(self, obj: Any) -> list[str]:
        """The content warnings the author gave, as labels (none by default)."""
        return []

    def scan_text(self, obj: Any) -> str:
        """Everything the author wrote that the safety scan should read (a story's title too)."""
        return self.text(obj)

    @abstractmethod
    def url(self, obj: Any) -> str: ...

    @abstractmethod
    def is_visible(self, obj: Any) -> bool: ...

    def hide(self, obj: Any, *, pending: bool) -> None:
        raise NotImplementedError

    def restore(self, obj: Any) -> None:
        raise NotImplementedError

    def redact(self, obj: Any, *, new_text: str) -> None:
        raise NotImplementedError

    def hold(self, obj: Any) -> None:
        raise NotImplementedError

    def release(self, obj: Any) -> None:
        raise NotImplementedError


_adapters: dict[str, ModeratedContent] = {}


def _key(model: type[models.Model]) -> str:
    return model._meta.label_lower


def register(model_class: type[models.Model], adapter: ModeratedContent) -> None:
    """Make a model reportable and moderatable (call from the content app's AppConfig.ready)."""
    _adapters[_key(model_class)] = adapter


def unregister(model_class: type[models.Model]) -> None:
    _adapters.pop(_key(model_class), None)


def is_registered(model_class: type[models.Model]) -> bool:
    return _key(model_class) in _adapters


def adapter_for(obj_or_model: Any) -> ModeratedContent:
    """The adapter for an object or model; LookupError when the model is not moderated."""
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    try:
        return _adapters[_key(model)]
    except KeyError:
        raise LookupError(f"{_key(model)} is not registered for moderation") from None


def adapter_for_content_type(content_type: ContentType) -> ModeratedContent:
    try:
        return _adapters[f"{content_type.app_label}.{content_type.model}"]
    except KeyError:
        raise LookupError(f"{content_type} is not registered for moderation") from None


def get_content(content_type_id: int, object_id: int) -> tuple[ContentType, Any, ModeratedContent]:
    """Load a registered item by content type and id; Http404 for anything else."""
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
        adapter = adapter_for_content_type(content_type)
        model = content_type.model_class()
    except (ContentType.DoesNotExist, LookupError):
        raise Http404 from None
    if model is None:
        raise Http404
    try:
        obj = model._default_manager.get(pk=object_id)
    except (model.DoesNotExist, ValueError):
        raise Http404 from None
    return content_type, obj, adapter


# --- member profiles ------------------------------------------------------------------------
class ProfileModeration(ModeratedContent):
    """Reports on member profiles: site-wide (no group), moderated by administrators.

    A profile cannot be hidden or held; its bio can be redacted, and its owner warned or banned.
    """

    can_hide = False
    can_hold = False
    noun = "profile"

    def group(self, obj: Any) -> None:
        return None

    def author(self, obj: Any) -> Any:
        return obj

    def title(self, obj: Any) -> str:
        return obj.display_name

    def text(self, obj: Any) -> str:
        return obj.bio or ""

    def url(self, obj: Any) -> str:
        return obj.get_absolute_url()

    def is_visible(self, obj: Any) -> bool:
        return bool(obj.is_active)

    def redact(self, obj: Any, *, new_text: str) -> None:
        obj.bio = new_text
        obj.save(update_fields=["bio"])
