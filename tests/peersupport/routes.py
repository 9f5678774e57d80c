from django.contrib.contenttypes.models import ContentType

from tests.role_matrix import Route, same, signed_in

ROUTES = [
    Route("home", same(200)),
    Route("help", same(200)),
    Route("healthz", same(200)),
    # The design system's page: administrators only (or anyone under DEBUG, tested apart).
    Route("styleguide", {**same(404), "admin": 200}),
    Route("accounts:profile", signed_in(200)),
    # Reporting a profile: only for those who may see it (the form must not reveal names by id).
    Route(
        "moderation:report",
        {
            **signed_in(404),
            "member": 200,
            "muted_member": 200,
            "facilitator": 200,
            "admin": 200,
        },
        kwargs=lambda w: {
            "content_type_id": ContentType.objects.get_for_model(w.users["member"]).pk,
            "object_id": w.users["member"].pk,
        },
        label="profile",
    ),
    Route("accounts:security", signed_in(200)),
    Route("accounts:sign_out_others", signed_in(302), method="POST"),
    Route("accounts:delete", signed_in(200)),
    # A wrong password: the form again with a clear error, nothing changed.
    Route(
        "accounts:delete",
        signed_in(400),
        method="POST",
        data=lambda w: {"choice": "remove_all", "password": "not-it", "confirm": "on"},
        label="wrong-password",
    ),
    Route("accounts:deletion_scheduled", same(200)),
    # Only a browser that has just signed in to an account waiting to be deleted gets the page.
    Route("accounts:deletion_cancel", same(404)),
    # A profile is seen only by people who share a group with the member, and administrators.
    Route(
        "profiles:member",
        {
            **signed_in(404),
            "member": 200,
            "muted_member": 200,
            "facilitator": 200,
            "admin": 200,
        },
        kwargs=lambda w: {"handle": w.users["member"].handle},
    ),
    # A removed member: their own page, the group's facilitator (members page) and administrators.
    Route(
        "profiles:member",
        {**signed_in(404), "removed_member": 200, "facilitator": 200, "admin": 200},
        kwargs=lambda w: {"handle": w.users["removed_member"].handle},
        label="removed",
    ),
]
