"""Factories for test data. Every other app adds its own here."""

import factory
from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone as dj_timezone

from peersupport.accounts.models import User

TEST_PASSWORD = "a-long-test-password-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Member {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)
    # A member who consented at sign-up; tests of consent pass health_consent_at=None.
    health_consent_at = factory.LazyFunction(dj_timezone.now)
    health_consent_version = 1

    @factory.post_generation
    def verified(self, create: bool, extracted: object, **kwargs: object) -> None:
        if not create:
            return
        self.save()
        if extracted is not False:
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class AdminFactory(UserFactory):
    is_staff = True
    is_superuser = True
    display_name = factory.Sequence(lambda n: f"Admin {n}")


__all__ = ["AdminFactory", "TEST_PASSWORD", "UserFactory", "settings"]


# --- groups ---------------------------------------------------------------------------------
from datetime import timedelta  # noqa: E402

from django.utils import timezone  # noqa: E402

from groups.models import Group, Invitation, JoinRequest, Membership  # noqa: E402
from peersupport.markdown import render_markdown  # noqa: E402


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Support circle {n}")
    slug = factory.Sequence(lambda n: f"support-circle-{n}")
    topic = "Anxiety"
    description = "A calm place to talk about living with anxiety."
    rules = "1. Be kind.\n2. Keep what is shared here, here."
    rules_html = factory.LazyAttribute(lambda o: render_markdown(o.rules))
    visibility = Group.Visibility.LISTED
    join_policy = Group.JoinPolicy.OPEN


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    group = factory.SubFactory(GroupFactory)
    role = Membership.Role.MEMBER
    status = Membership.Status.ACTIVE
    rules_accepted_version = factory.LazyAttribute(lambda o: o.group.rules_version)
    rules_accepted_at = factory.LazyFunction(timezone.now)


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinRequest

    user = factory.SubFactory(UserFactory)
    group = factory.SubFactory(GroupFactory, join_policy=Group.JoinPolicy.REQUEST)
    message = "I'd like to join, please."


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    group = factory.SubFactory(GroupFactory, join_policy=Group.JoinPolicy.INVITE)
    created_by = None
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    max_uses = 5


# --- resources ------------------------------------------------------------------------------
from resources.models import Category, Resource, Suggestion, Tag  # noqa: E402


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"tag{n}")
    slug = factory.LazyAttribute(lambda o: o.name)


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    kind = Resource.Kind.ARTICLE
    title = factory.Sequence(lambda n: f"Resource {n}")
    slug = factory.Sequence(lambda n: f"resource-{n}")
    summary = "Something calm and useful."
    body = "Take a slow breath."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))
    status = Resource.Status.PUBLISHED
    last_reviewed = factory.LazyFunction(timezone.localdate)


class CrisisLineFactory(ResourceFactory):
    kind = Resource.Kind.CRISIS_LINE
    body = ""
    phone = "116 123"
    countries = factory.LazyFunction(lambda: ["GB"])


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suggestion

    kind = Suggestion.Kind.LINK
    title = factory.Sequence(lambda n: f"A helpful site {n}")
    url = "https://example.org/helpful"
    suggested_by = factory.SubFactory(UserFactory)


# --- stories --------------------------------------------------------------------------------
from stories.models import Reply, Story, make_excerpt  # noqa: E402


class StoryFactory(factory.django.DjangoModelFactory):
    """A visible story by a member of its group (the membership is created too)."""

    class Meta:
        model = Story

    group = factory.SubFactory(GroupFactory)
    author = factory.LazyAttribute(lambda o: MembershipFactory(group=o.group).user)
    title = factory.Sequence(lambda n: f"A day that felt heavy {n}")
    body = "Some days are harder than others. Writing it down helps."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))
    excerpt = factory.LazyAttribute(lambda o: make_excerpt(o.body_html))


class ReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reply

    story = factory.SubFactory(StoryFactory)
    author = factory.LazyAttribute(lambda o: MembershipFactory(group=o.story.group).user)
    body = "Thank you for writing this. I recognise so much of it."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))


# --- notifications --------------------------------------------------------------------------
from peersupport.notifications.models import Kind, Notification  # noqa: E402


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = Kind.REPLY_TO_MY_STORY
    url = "/notifications/"
    text = factory.Sequence(lambda n: f"Someone replied to you ({n})")
