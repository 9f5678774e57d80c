"""Factories for test data. Every other app adds its own here."""
import factory
from allauth.account.models import EmailAddress
from django.conf import settings

from peersupport.accounts.models import User

TEST_PASSWORD = "a-long-test-password-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Member {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: object, **kwargs: object) -> None:
        if not create:
            return
        self.save()
        if extracted is not False:
            EmailAddress.objects.get_or_create(user=self, email=self.email, defaults={"verified": True, "primary": True})


class AdminFactory(UserFactory):
    is_staff = True
    is_superuser = True
    display_name = factory.Sequence(lambda n: f"Admin {n}")


__all__ = ["AdminFactory", "TEST_PASSWORD", "UserFactory", "settings"]
