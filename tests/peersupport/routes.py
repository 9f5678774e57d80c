from tests.role_matrix import Route, same, signed_in

ROUTES = [
    Route("home", same(200)),
    Route("help", same(200)),
    Route("healthz", same(200)),
    Route("accounts:profile", signed_in(200)),
    Route("accounts:member", signed_in(200), kwargs=lambda w: {"pk": w.users["member"].pk}),
]
