"""Notifications: every kind is given once, to the right people; the list, its unread count,
marking read; each user's choices per kind."""

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from openparcours.database import utcnow
from openparcours.extensions import db
from openparcours.notifications import reminders
from openparcours.notifications.digest import send_digests
from openparcours.notifications.models import Delivery, Kind, Notification
from openparcours.notifications.service import notify, set_preferences
from openparcours.organisations.models import Role
from openparcours.organisations.service import accept_invite, create_invite
from openparcours.partnerships import service as partnerships
from openparcours.visits.models import Event, Team
from tests.factories import TODAY
from tests.helpers import mails_to, text_of


def told(kind: Kind) -> list[tuple[int, dict]]:
    """(user id, params) of every notification of this kind, in the order given."""
    rows = db.session.scalars(
        select(Notification).where(Notification.kind == kind).order_by(Notification.id)
    )
    return [(n.user_id, n.params) for n in rows]


def told_users(kind: Kind) -> list[int]:
    return sorted(user_id for user_id, _ in told(kind))


@pytest.fixture
def sides(make_organisation, make_user, make_trail):
    """A museum and a school, each with two admins and a member who signs for no one."""
    museum = make_organisation("museum", name="Stadtmuseum Bochum")
    school = make_organisation("school", name="Gesamtschule Mitte")
    people = {
        "museum admin": make_user(roles={museum: ["admin"]}),
        "museum admin 2": make_user(roles={museum: ["admin", "educator"]}),
        "educator": make_user(roles={museum: ["educator"]}),
        "school admin": make_user(roles={school: ["admin"]}),
        "school admin 2": make_user(roles={school: ["admin", "teacher"]}),
        "teacher": make_user(roles={school: ["teacher"]}),
        "site admin": make_user(site_admin=True),
    }
    trail = make_trail(museum, published=True)
    return {"museum": museum, "school": school, "trail": trail, "people": people}


def ids(sides, *names: str) -> list[int]:
    return sorted(sides["people"][name].id for name in names)


def proposed(sides, **dates):
    admin = sides["people"]["museum admin"]
    draft = partnerships.start_partnership(admin, sides["school"], sides["museum"])
    partnerships.update_draft(
        admin,
        draft,
        content={"goals": "Lernen"},
        trail_ids=[sides["trail"].id],
        starts_on=dates.get("starts_on", TODAY - timedelta(days=1)),
        ends_on=dates.get("ends_on"),
        review_on=dates.get("review_on"),
    )
    return partnerships.propose(admin, draft)


def test_a_proposal_tells_the_admins_of_both_sides_but_the_proposer(sides):
    version = proposed(sides)
    assert told_users(Kind.agreement_proposed) == ids(
        sides, "museum admin 2", "school admin", "school admin 2"
    )
    (_, params), *_ = told(Kind.agreement_proposed)
    assert params == {
        "school": "Gesamtschule Mitte",
        "institution": "Stadtmuseum Bochum",
        "number": 1,
    }
    (notification,) = db.session.scalars(
        select(Notification).where(Notification.user_id == sides["people"]["school admin"].id)
    )
    assert notification.link == f"/partners/partnerships/{version.partnership_id}"


def test_a_signature_tells_the_other_side_and_the_second_both_that_it_is_in_force(sides):
    version = proposed(sides)
    people = sides["people"]
    partnerships.sign(people["school admin"], version, None, signer_name="A", signer_role="L")
    assert told_users(Kind.agreement_signed) == ids(sides, "museum admin", "museum admin 2")
    assert told(Kind.agreement_signed)[0][1]["signed_by"] == "Gesamtschule Mitte"
    assert told(Kind.agreement_in_force) == []
    partnerships.sign(people["museum admin"], version, None, signer_name="B", signer_role="L")
    assert len(told(Kind.agreement_signed)) == 2  # nobody is told again of a signature
    assert told_users(Kind.agreement_in_force) == ids(
        sides, "museum admin 2", "school admin", "school admin 2"
    )


def test_review_due_and_ending_are_told_once(sides):
    version = proposed(
        sides, review_on=TODAY + timedelta(days=30), ends_on=TODAY + timedelta(days=90)
    )
    people = sides["people"]
    for admin in (people["school admin"], people["museum admin"]):
        partnerships.sign(admin, version, None, signer_name="A", signer_role="L")
    admins = ids(sides, "school admin", "school admin 2", "museum admin", "museum admin 2")
    assert reminders.agreement_reminders() == 2
    assert reminders.agreement_reminders() == 0
    assert told_users(Kind.agreement_review_due) == admins
    assert told(Kind.agreement_review_due)[0][1]["date"] == str(TODAY + timedelta(days=30))
    assert told_users(Kind.agreement_ending) == admins
    # Ended earlier by one side: its new last day is told of once more.
    partnerships.end(people["museum admin"], version, TODAY + timedelta(days=10))
    assert reminders.agreement_reminders() == 1
    assert told(Kind.agreement_ending)[-1][1]["date"] == str(TODAY + timedelta(days=10))


def test_a_review_further_off_is_not_told_yet(sides):
    version = proposed(sides, review_on=TODAY + timedelta(days=31))
    for admin in (sides["people"]["school admin"], sides["people"]["museum admin"]):
        partnerships.sign(admin, version, None, signer_name="A", signer_role="L")
    assert reminders.agreement_reminders() == 0
    assert told(Kind.agreement_review_due) == told(Kind.agreement_ending) == []


def test_a_colleague_who_joined_is_told_to_the_admins(sides, make_user):
    people = sides["people"]
    _, token = create_invite(people["museum admin"], sides["museum"], Role.educator)
    newcomer = make_user(name="Nele Neu")
    accept_invite(token, newcomer)
    assert told_users(Kind.member_joined) == ids(sides, "museum admin", "museum admin 2")
    assert told(Kind.member_joined)[0][1] == {
        "organisation": "Stadtmuseum Bochum",
        "name": "Nele Neu",
        "role": "educator",
    }


@pytest.fixture
def photo_visit(sides, make_trail, make_visit, make_user):
    """A school's visit of a trail with a photo task, opened by the teacher."""
    photo_task = {"type": "photo", "prompt": "Fotografiert die Lore.", "points": 5}
    trail = make_trail(sides["museum"], published=True, tasks=[photo_task])
    return lambda **times: make_visit(
        trail,
        opened_by_id=sides["people"]["teacher"].id,
        school_id=sides["school"].id,
        **times,
    )


def answer(visit, graded: bool = False) -> None:
    name = f"Team {uuid.uuid4().hex[:8]}"
    team = Team(visit=visit, name=name, name_key=name.casefold(), token_hash=uuid.uuid4().hex)
    db.session.add(team)
    db.session.flush()
    station = visit.version.content["stations"][0]
    db.session.add(
        Event(
            event_id=str(uuid.uuid4()),
            visit_id=visit.id,
            team_id=team.id,
            type="answer",
            station_id=station["id"],
            task_id=station["tasks"][0]["id"],
            answer={"media_id": 1},
            client_at=utcnow(),
            graded_at=utcnow() if graded else None,
        )
    )
    db.session.commit()


def test_answers_waiting_for_grading_are_told_an_hour_after_the_visit(sides, photo_visit):
    ended = photo_visit(starts=timedelta(hours=-3), ends=timedelta(minutes=-61))
    just_ended = photo_visit(starts=timedelta(hours=-3), ends=timedelta(minutes=-30))
    graded = photo_visit(starts=timedelta(hours=-3), ends=timedelta(hours=-2))
    for visit in (ended, ended, just_ended):
        answer(visit)
    answer(graded, graded=True)
    assert reminders.grading_reminders() == 1
    assert reminders.grading_reminders() == 0
    assert told(Kind.grading_waiting) == [
        (sides["people"]["teacher"].id, {"class_label": "7b", "trail": "Unter Tage", "count": 2})
    ]
    # Half an hour later the other visit's hour has passed.
    assert reminders.grading_reminders(utcnow() + timedelta(minutes=31)) == 1
    assert [p["count"] for _, p in told(Kind.grading_waiting)] == [2, 1]


def test_a_visit_closed_early_is_told_an_hour_after_closing(sides, photo_visit):
    visit = photo_visit(closed_at=utcnow() - timedelta(hours=2))
    answer(visit)
    assert reminders.grading_reminders() == 1


def test_a_teacher_who_left_is_not_told(sides, photo_visit):
    from openparcours.organisations.service import remove_member

    visit = photo_visit(starts=timedelta(hours=-3), ends=timedelta(hours=-2))
    answer(visit)
    people = sides["people"]
    remove_member(people["school admin"], sides["school"], people["teacher"].id)
    assert reminders.grading_reminders() == 0
    assert told(Kind.grading_waiting) == []


def test_a_visits_deletion_is_told_seven_days_before(sides, photo_visit):
    soon = photo_visit(starts=timedelta(days=-23, hours=-2), ends=timedelta(days=-23))
    later = photo_visit(starts=timedelta(days=-22, hours=-2), ends=timedelta(days=-22))
    assert reminders.deletion_reminders() == 1
    assert reminders.deletion_reminders() == 0
    deleted_on = (soon.ends_at + timedelta(days=30)).astimezone(ZoneInfo("Europe/Berlin"))
    ((user_id, params),) = told(Kind.data_deletion)
    assert (user_id, params) == (
        sides["people"]["teacher"].id,
        {"class_label": "7b", "trail": "Unter Tage", "date": str(deleted_on.date())},
    )
    # A day later the other visit's turn comes.
    assert reminders.deletion_reminders(utcnow() + timedelta(days=1)) == 1
    assert told(Kind.data_deletion)[-1][1]["date"] == str(
        (later.ends_at + timedelta(days=30)).astimezone(ZoneInfo("Europe/Berlin")).date()
    )


def test_a_notification_names_no_student_data(sides, photo_visit):
    visit = photo_visit(starts=timedelta(days=-25), ends=timedelta(days=-24))
    answer(visit)
    reminders.grading_reminders(utcnow())
    reminders.deletion_reminders()
    team_names = set(db.session.scalars(select(Team.name)))
    for notification in db.session.scalars(select(Notification)):
        assert not team_names & {str(v) for v in notification.params.values()}


# --- The list, its count, marking read ----------------------------------------------------


def test_my_list_its_unread_count_and_marking_read(make_user, make_client):
    me, other = make_user(), make_user()
    for n in range(3):
        notify([me, other], Kind.partner_news, params={"n": n}, link="/")
    db.session.commit()
    browser = make_client(me)
    listed = browser.get("/api/v1/notifications?page_size=2")
    assert [n["params"]["n"] for n in listed.json] == [2, 1]
    assert listed.headers["X-Pagination"]
    assert browser.get("/api/v1/notifications/unread").json == {"unread": 3}
    first = listed.json[0]["id"]
    read = browser.post(f"/api/v1/notifications/{first}/read")
    assert read.status_code == 200
    assert read.json["read_at"]
    assert browser.get("/api/v1/notifications/unread").json == {"unread": 2}
    theirs = db.session.scalar(select(Notification.id).where(Notification.user_id == other.id))
    assert browser.post(f"/api/v1/notifications/{theirs}/read").status_code == 403
    assert browser.post("/api/v1/notifications/999999/read").status_code == 404
    assert browser.post("/api/v1/notifications/read").status_code == 204
    assert browser.get("/api/v1/notifications/unread").json == {"unread": 0}
    assert make_client(other).get("/api/v1/notifications/unread").json == {"unread": 3}


def test_the_unread_count_is_one_query(make_user, make_client, count_queries):
    me = make_user()
    notify([me], Kind.partner_news, params={}, link="/")
    db.session.commit()
    browser = make_client(me)
    browser.get("/api/v1/me")  # the login's last request is written now, not below
    with count_queries() as queries:
        assert browser.get("/api/v1/notifications/unread").json == {"unread": 1}
    assert len([q for q in queries if "notifications" in q]) == 1


def test_each_recipient_is_told_once(make_user):
    me = make_user()
    assert len(notify([me, me], Kind.partner_news, params={}, link="/")) == 1
    assert notify([], Kind.partner_news, params={}, link="/") == []


# --- Choices per kind -----------------------------------------------------------------------


def test_preferences_have_defaults_and_keep_what_is_chosen(make_user, make_client):
    browser = make_client(make_user())
    defaults = {
        p["kind"]: p["delivery"]
        for p in browser.get("/api/v1/me/notification-preferences").json["preferences"]
    }
    assert defaults == {
        "agreement_proposed": "at_once",
        "agreement_signed": "at_once",
        "agreement_in_force": "at_once",
        "agreement_review_due": "digest",
        "agreement_ending": "digest",
        "member_joined": "digest",
        "grading_waiting": "digest",
        "data_deletion": "at_once",
        "forum_message": "digest",
        "partner_news": "digest",
        "practice_shared": "digest",
    }
    chosen = [
        {"kind": "data_deletion", "delivery": "in_app"},
        {"kind": "forum_message", "delivery": "at_once"},
    ]
    answer = browser.put("/api/v1/me/notification-preferences", {"preferences": chosen})
    assert answer.status_code == 200
    now = {p["kind"]: p["delivery"] for p in answer.json["preferences"]}
    assert now == defaults | {"data_deletion": "in_app", "forum_message": "at_once"}
    again = [{"kind": "data_deletion", "delivery": "digest"}]
    browser.put("/api/v1/me/notification-preferences", {"preferences": again})
    stored = browser.get("/api/v1/me/notification-preferences").json["preferences"]
    assert {p["kind"]: p["delivery"] for p in stored}["data_deletion"] == "digest"
    bad = [{"kind": "data_deletion", "delivery": "sometimes"}]
    refused = browser.put("/api/v1/me/notification-preferences", {"preferences": bad})
    assert refused.status_code == 422


def test_a_notification_keeps_the_delivery_chosen_when_it_came(make_user, make_client):
    me = make_user()
    make_client(me).put(
        "/api/v1/me/notification-preferences",
        {"preferences": [{"kind": "partner_news", "delivery": "in_app"}]},
    )
    (mine,) = notify([me], Kind.partner_news, params={}, link="/")
    (theirs,) = notify([make_user()], Kind.partner_news, params={}, link="/")
    assert (mine.delivery, theirs.delivery) == ("in_app", "digest")


# --- Mail: at once, in the daily digest, or not at all --------------------------------------


def choose(user, kind: str, delivery: str) -> None:
    set_preferences(user, {Kind(kind): Delivery(delivery)})


def test_signatures_are_mailed_at_once_by_default(sides):
    proposed(sides)
    db.session.commit()
    (mail,) = mails_to(sides["people"]["school admin"].email)
    assert mail["Subject"] == "Kooperationsvereinbarung zur Unterschrift"
    text = text_of(mail)
    assert "zwischen Gesamtschule Mitte und Stadtmuseum Bochum (Fassung 1)" in text
    assert "http://127.0.0.1:5000/partners/partnerships/" in text
    assert "Ändern unter http://127.0.0.1:5000/account" in text
    assert mails_to(sides["people"]["museum admin"].email) == []  # who proposed it
    assert mails_to(sides["people"]["teacher"].email) == []  # who signs for no one


def test_a_recipient_who_wants_it_in_the_app_only_gets_no_mail(sides):
    people = sides["people"]
    choose(people["school admin"], "agreement_proposed", "in_app")
    choose(people["school admin 2"], "agreement_proposed", "digest")
    proposed(sides)
    db.session.commit()
    assert mails_to(people["school admin"].email) == mails_to(people["school admin 2"].email) == []
    assert len(told(Kind.agreement_proposed)) == 3  # all see it in the app


def test_a_mail_is_in_the_recipients_language(sides):
    people = sides["people"]
    people["school admin"].language = "en"
    version = proposed(sides)
    partnerships.sign(people["school admin"], version, None, signer_name="A", signer_role="L")
    (mail,) = mails_to(people["school admin"].email)
    assert mail["Subject"] == "Cooperation agreement to sign"
    (signed,) = mails_to(people["museum admin"].email)
    assert signed["Subject"] == "Gesamtschule Mitte hat unterschrieben"


MORNING = datetime.combine(TODAY, time(8, 0), ZoneInfo("Europe/Berlin"))


def test_the_digest_is_mailed_once_a_day_with_what_came(make_user):
    me, quiet = make_user(), make_user()
    choose(quiet, "partner_news", "in_app")
    for title in ("Neue Ausstellung", "Ferienprogramm"):
        notify(
            [me, quiet],
            Kind.partner_news,
            params={"institution": "Stadtmuseum Bochum", "title": title},
            link="/",
        )
    db.session.commit()
    assert send_digests(MORNING.replace(hour=6)) == 0  # not before the morning
    assert send_digests(MORNING) == 1
    (digest,) = mails_to(me.email)
    assert digest["Subject"] == f"Ihre Benachrichtigungen vom {TODAY:%d.%m.%Y}"
    text = text_of(digest)
    assert "„Neue Ausstellung“" in text
    assert "„Ferienprogramm“" in text
    assert mails_to(quiet.email) == []
    # Later that day something new comes: it waits for tomorrow's digest.
    notify([me], Kind.partner_news, params={"institution": "M", "title": "Lesung"}, link="/")
    db.session.commit()
    assert send_digests(MORNING + timedelta(hours=3)) == 0
    assert len(mails_to(me.email)) == 1
    assert send_digests(MORNING + timedelta(days=1)) == 1
    tomorrow = mails_to(me.email)[-1]
    assert "„Lesung“" in text_of(tomorrow)
    assert "Ferienprogramm" not in text_of(tomorrow)
    assert send_digests(MORNING + timedelta(days=2)) == 0  # nothing new, no mail


def test_what_was_read_in_the_app_stays_out_of_the_digest(make_user):
    me = make_user()
    (read,) = notify([me], Kind.partner_news, params={"institution": "M", "title": "Alt"}, link="/")
    read.read_at = utcnow()
    db.session.commit()
    assert send_digests(MORNING) == 0


def test_names_with_line_breaks_do_not_break_a_mail(make_user):
    me = make_user()
    choose(me, "partner_news", "at_once")
    notify(
        [me],
        Kind.partner_news,
        params={"institution": "Museum\r\nBcc: x@example.org", "title": "Neu\nBcc: y"},
        link="/",
    )
    db.session.commit()
    (mail,) = mails_to(me.email)
    assert mail["Bcc"] is None
    assert mail["Subject"] == "Neuigkeiten von Museum Bcc: x@example.org: Neu Bcc: y"
