"""Privacy routes (notice, consent, data export), asked by every role."""

from tests.role_matrix import ROLES, Route, same, signed_in


def _member_export_token(w) -> dict:
    def make():
        from peersupport.accounts.privacy.export import data_export_build, data_export_request

        export, _created = data_export_request(user=w.users["member"])
        data_export_build(export_id=export.pk)
        return export.token

    return {"token": w.once("member_export", make)}


ROUTES = [
    Route("accounts:privacy", same(200)),
    Route("accounts:privacy_seen", signed_in(302), method="POST"),
    Route("accounts:privacy_seen", signed_in(405), label="get"),
    Route("accounts:consent", signed_in(200)),
    Route("accounts:consent", signed_in(200), method="POST", label="unticked"),
    Route("accounts:consent", signed_in(302), method="POST", data=lambda w: {"agree": "on"}),
    Route("accounts:data", signed_in(200)),
    Route("accounts:data", signed_in(302), method="POST"),
    # Only the member's own export downloads; for anyone else the link does not exist.
    Route(
        "accounts:data_download",
        {**dict.fromkeys(ROLES, 404), "visitor": 302, "member": 200},
        kwargs=_member_export_token,
    ),
    Route(
        "accounts:data_download",
        {**dict.fromkeys(ROLES, 404), "visitor": 302},
        kwargs=lambda w: {"token": "not-a-real-token"},
        label="tampered",
    ),
]
