"""Safety plan routes, asked by every role. The plan is its owner's alone: a shared plan is
readable only by its owner and the facilitators of the group it was shared with, and only
while the share lasts; everyone else (administrators included) gets 404."""

from datetime import timedelta

from django.utils import timezone

from tests.role_matrix import ROLES, Route, same, signed_in


def _member_share(w):
    def make():
        from peersupport.safety_plan.content import Contact, PlanContent
        from peersupport.safety_plan.services import safety_plan_save, safety_plan_share_create

        member = w.users["member"]
        safety_plan_save(
            owner=member,
            content=PlanContent(coping=["A walk"], people=[Contact("Sam", "07700 900123")]),
        )
        return safety_plan_share_create(owner=member, group=w.group)

    return w.once("member_share", make)


def _share_token(w) -> dict:
    return {"token": _member_share(w).token}


def _ended_share_token(w, *, revoked: bool) -> dict:
    from peersupport.safety_plan.models import SafetyPlanShare

    share = _member_share(w)
    now = timezone.now()
    if revoked:
        SafetyPlanShare.objects.filter(pk=share.pk).update(revoked_at=now)
    else:
        SafetyPlanShare.objects.filter(pk=share.pk).update(
            created_at=now - timedelta(hours=25), expires_at=now - timedelta(hours=1)
        )
    return {"token": share.token}


OWNER_AND_FACILITATOR = {
    **dict.fromkeys(ROLES, 404),
    "visitor": 302,
    "member": 200,
    "facilitator": 200,
}
NOBODY = {**dict.fromkeys(ROLES, 404), "visitor": 302}

ROUTES = [
    # /me/safety-plan/ is always the signed-in person's own plan: nobody can address another's.
    Route("safety_plan:detail", signed_in(200)),
    Route("safety_plan:edit", signed_in(200)),
    Route(
        "safety_plan:edit",
        signed_in(302),
        method="POST",
        data=lambda w: {"coping": "Make tea\nCall Sam", "people_name_1": "Sam"},
    ),
    Route(
        "safety_plan:edit",
        signed_in(200),
        method="POST",
        data=lambda w: {"coping": "\n".join(f"idea {i}" for i in range(11))},
        label="too-many",
    ),
    # Without a plan (or a group of one's own) the answer is a kind message on the plan page.
    Route(
        "safety_plan:share",
        signed_in(302),
        method="POST",
        data=lambda w: {"group": w.group.pk},
    ),
    Route(
        "safety_plan:share_revoke",
        {**dict.fromkeys(ROLES, 404), "visitor": 302, "member": 302},
        kwargs=lambda w: {"pk": _member_share(w).pk},
        method="POST",
    ),
    Route("safety_plan:shared_list", signed_in(200)),
    Route("safety_plan:shared_detail", OWNER_AND_FACILITATOR, kwargs=_share_token),
    Route(
        "safety_plan:shared_detail",
        NOBODY,
        kwargs=lambda w: _ended_share_token(w, revoked=False),
        label="expired",
    ),
    Route(
        "safety_plan:shared_detail",
        NOBODY,
        kwargs=lambda w: _ended_share_token(w, revoked=True),
        label="revoked",
    ),
    Route(
        "safety_plan:shared_detail",
        NOBODY,
        kwargs=lambda w: {"token": "00000000-0000-0000-0000-000000000000"},
        label="unknown",
    ),
    Route("safety_plan:service_worker", same(200)),
]
