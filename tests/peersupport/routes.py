from tests.role_matrix import Route, same, signed_in

ROUTES = [
    Route("home", same(200)),
    Route("help", same(200)),
    Route("healthz", same(200)),
    Route("accounts:profile", signed_in(200)),
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
