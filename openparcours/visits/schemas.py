import marshmallow as ma
from marshmallow import fields, validate

from openparcours.fields import Id, Text
from openparcours.play.schemas import PositionSchema, TeamSchema
from openparcours.tasks.registry import TASK_TYPES


class VisitCountsSchema(ma.Schema):
    teams = fields.Integer()
    players = fields.Integer()
    completed_teams = fields.Integer()
    mean_points = fields.Float()


PLAY_UNTIL = (
    "The game's end: phones count down to it, then take no more answers (between start and end)"
)


class VisitCreateSchema(ma.Schema):
    trail_id = Id(required=True)
    class_label = Text(60, required=True, metadata={"description": "e.g. 7b"})
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    show_points = fields.Boolean(load_default=True)
    share_positions = fields.Boolean(
        load_default=False,
        metadata={"description": "Show the teams' positions on the live board (phones say so)"},
    )
    leaderboard = fields.Boolean(load_default=False)
    play_until = fields.AwareDateTime(
        allow_none=True,
        load_default=None,
        metadata={"description": PLAY_UNTIL},
    )
    souvenirs = fields.Boolean(
        load_default=False,
        metadata={"description": "Each team gets a souvenir page with what the teacher approves"},
    )
    retention_days = fields.Integer(
        strict=True,
        allow_none=True,
        load_default=None,
        validate=validate.Range(1, 3650),
        metadata={"description": "Days until teams, events and photos are deleted"},
    )
    school_id = Id(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "The class's school, for teachers of several schools; "
            "default: the one whose partner offers the trail"
        },
    )
    agreement_id = Id(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "The agreement in force the visit is part of; default: the "
            "only one that offers the trail to the school"
        },
    )


class VisitUpdateSchema(ma.Schema):
    closed = fields.Boolean()
    souvenirs = fields.Boolean()
    play_until = fields.AwareDateTime(
        allow_none=True, metadata={"description": PLAY_UNTIL + "; null: no end of its own"}
    )

    @ma.validates_schema
    def one_of_them(self, data, **kwargs):
        if not data:
            raise ma.ValidationError("Send closed, souvenirs or play_until.", "closed")


class VisitSchema(ma.Schema):
    id = fields.Integer()
    trail_id = fields.Integer()
    trail_title = fields.String(attribute="trail.title")
    version = fields.Integer(attribute="version.number")
    agreement_id = fields.Integer(allow_none=True)
    class_label = fields.String()
    join_code = fields.String()
    join_url = fields.String(metadata={"description": "Opens the join screen with the code"})
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    play_until = fields.DateTime(allow_none=True, metadata={"description": PLAY_UNTIL})
    show_points = fields.Boolean()
    share_positions = fields.Boolean()
    leaderboard = fields.Boolean()
    souvenirs = fields.Boolean()
    retention_days = fields.Integer()
    deletes_data_at = fields.DateTime(
        metadata={"description": "When teams, events, photos and souvenir pages are deleted"}
    )
    school_id = fields.Integer(allow_none=True, metadata={"description": "The class's school"})
    data_deleted_at = fields.DateTime(allow_none=True)
    summary = fields.Nested(
        VisitCountsSchema,
        allow_none=True,
        metadata={"description": "Anonymous counts kept after the data is deleted"},
    )


class LiveStationSchema(ma.Schema):
    id = fields.Integer()
    title = fields.String()


class LivePositionSchema(PositionSchema):
    at = fields.DateTime()


class LiveTeamSchema(TeamSchema):
    points = fields.Integer()
    last_sync_at = fields.DateTime(allow_none=True)
    last_seen_at = fields.DateTime(
        metadata={"description": "The team's last sync, or its joining if it has sent nothing"}
    )
    silent = fields.Boolean(metadata={"description": "Nothing heard for over five minutes"})
    position = fields.Nested(
        LivePositionSchema,
        allow_none=True,
        metadata={"description": "Only in visits that share positions"},
    )
    stations = fields.List(
        fields.String(validate=validate.OneOf(["locked", "open", "checked_in", "done", "review"])),
        metadata={"description": "Per station, in order"},
    )
    read_last_message = fields.Boolean(
        allow_none=True,
        metadata={"description": "Has read the last message to it; null: none was sent to it"},
    )


class LiveBoardSchema(ma.Schema):
    stations = fields.List(fields.Nested(LiveStationSchema))
    teams = fields.List(fields.Nested(LiveTeamSchema))


# --- Messages to the phones ---------------------------------------------------------------


class VisitMessageInSchema(ma.Schema):
    text = Text(200, required=True, metadata={"description": "e.g. In 10 Minuten am Eingang!"})
    team_id = Id(load_default=None, metadata={"description": "One team; none: every team"})


class MessageTeamSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String()


class VisitMessageSchema(ma.Schema):
    id = fields.Integer(attribute="message.id")
    text = fields.String(attribute="message.text")
    sent_at = fields.DateTime(attribute="message.sent_at")
    team = fields.Nested(
        MessageTeamSchema,
        attribute="message.team",
        allow_none=True,
        metadata={"description": "The one team it went to; null: every team"},
    )
    unread = fields.List(
        fields.Nested(MessageTeamSchema),
        metadata={"description": "The teams it went to that have not read it yet"},
    )


# --- Results -------------------------------------------------------------------------------


class TaskWorkSchema(ma.Schema):
    state = fields.String(
        validate=validate.OneOf(["open", "correct", "wrong", "review", "answered"]),
        metadata={"description": "review: an answer to grade; answered: a survey's"},
    )
    points = fields.Integer(attribute="work.points")
    attempts = fields.Integer(attribute="work.attempts")
    hints = fields.Integer(attribute="work.hints")
    graded = fields.Boolean(attribute="work.graded")


class ResultTeamSchema(TeamSchema):
    points = fields.Integer()
    rank = fields.Integer(metadata={"description": "1 + the number of teams with more points"})
    stations_done = fields.Integer()
    last_at = fields.DateTime(allow_none=True, metadata={"description": "Its latest event"})
    tasks = fields.List(
        fields.Nested(TaskWorkSchema), metadata={"description": "Per task, in `tasks` order"}
    )
    souvenir_url = fields.String(
        attribute="team.souvenir_url",
        allow_none=True,
        metadata={"description": "Its souvenir page, in visits with souvenirs"},
    )


class StationFiguresSchema(ma.Schema):
    id = fields.Integer()
    title = fields.String()
    teams = fields.Integer(metadata={"description": "Teams that did anything here"})
    mean_seconds = fields.Float(
        allow_none=True, metadata={"description": "Mean time from a team's first to last event"}
    )


class TaskFiguresSchema(ma.Schema):
    id = fields.Integer()
    station_id = fields.Integer()
    label = fields.String(metadata={"description": "Station and task number, e.g. 2.1"})
    type = fields.String(validate=validate.OneOf(list(TASK_TYPES)))
    prompt = fields.String()
    points = fields.Integer()
    teacher_grades = fields.Boolean()
    answered = fields.Integer(metadata={"description": "Teams that answered"})
    correct_rate = fields.Float(
        allow_none=True, metadata={"description": "Share of judged teams that got it right"}
    )
    mean_attempts = fields.Float(allow_none=True)
    hint_rate = fields.Float(allow_none=True, metadata={"description": "Share that took hints"})
    mean_points = fields.Float(allow_none=True)


class GradedAnswerSchema(ma.Schema):
    event_id = fields.Integer(attribute="id")
    task_id = fields.Integer()
    team_id = fields.Integer()
    correct = fields.Boolean(allow_none=True)
    points = fields.Integer()
    graded = fields.Boolean(dump_only=True)
    comment = fields.String(attribute="grade_comment", allow_none=True)


class AnswerToGradeSchema(ma.Schema):
    event_id = fields.Integer(attribute="event.id")
    task_id = fields.Integer(attribute="event.task_id")
    team_id = fields.Integer(attribute="event.team_id")
    team_name = fields.String()
    at = fields.DateTime(attribute="event.client_at")
    correct = fields.Boolean(attribute="event.correct", allow_none=True)
    points = fields.Integer(attribute="event.points")
    graded = fields.Boolean(attribute="event.graded")
    comment = fields.String(attribute="event.grade_comment", allow_none=True)
    on_souvenir = fields.Boolean(
        attribute="event.on_souvenir",
        metadata={"description": "The teacher approved it for the team's souvenir page"},
    )


class PhotoAnswerSchema(AnswerToGradeSchema):
    url = fields.String(allow_none=True)
    thumbnail_url = fields.String(allow_none=True)


class TextAnswerSchema(AnswerToGradeSchema):
    text = fields.String()


class TextGroupSchema(ma.Schema):
    text = fields.String(metadata={"description": "As the first team wrote it"})
    answers = fields.List(fields.Nested(TextAnswerSchema))


class TextAnswersSchema(ma.Schema):
    task_id = fields.Integer()
    groups = fields.List(
        fields.Nested(TextGroupSchema), metadata={"description": "Same answers, most often first"}
    )


class TaskFiguresAndStationsSchema(ma.Schema):
    stations = fields.List(fields.Nested(StationFiguresSchema))
    tasks = fields.List(fields.Nested(TaskFiguresSchema))


class ResultsSchema(TaskFiguresAndStationsSchema):
    visit = fields.Nested(VisitSchema)
    teams = fields.List(
        fields.Nested(ResultTeamSchema), metadata={"description": "Most points first"}
    )
    photos = fields.List(fields.Nested(PhotoAnswerSchema))
    texts = fields.List(fields.Nested(TextAnswersSchema))


class TrailStatisticsSchema(TaskFiguresAndStationsSchema):
    version = fields.Integer(metadata={"description": "The version whose tasks are counted"})
    visits = fields.Integer()
    visits_deleted = fields.Integer(
        metadata={"description": "Visits whose data is deleted and no longer counted"}
    )
    teams = fields.Integer()


class TimelineEventSchema(ma.Schema):
    event_id = fields.Integer(attribute="event.id")
    at = fields.DateTime(attribute="event.client_at", metadata={"description": "The phone's time"})
    received_at = fields.DateTime(attribute="event.received_at")
    type = fields.String(
        attribute="event.type", validate=validate.OneOf(["checkin", "answer", "hint"])
    )
    station_title = fields.String()
    task_label = fields.String(allow_none=True)
    task_prompt = fields.String(allow_none=True)
    answer = fields.String(allow_none=True, metadata={"description": "As people read it"})
    photo_url = fields.String(allow_none=True)
    correct = fields.Boolean(attribute="event.correct", allow_none=True)
    points = fields.Integer(attribute="event.points")
    graded = fields.Boolean(attribute="event.graded")
    comment = fields.String(attribute="event.grade_comment", allow_none=True)


class TimelineSchema(ma.Schema):
    team = fields.Nested(TeamSchema)
    events = fields.List(fields.Nested(TimelineEventSchema))


class GradeSchema(ma.Schema):
    accepted = fields.Boolean(required=True)
    points = fields.Integer(
        strict=True,
        load_default=None,
        allow_none=True,
        metadata={"description": "Default: all the task's points if accepted, else none"},
    )
    comment = Text(500, min_length=0, load_default=None, allow_none=True)


class ExportSchema(ma.Schema):
    lang = fields.String(load_default="de", validate=validate.OneOf(["de", "en"]))


class CertificateSchema(ExportSchema):
    team_id = Id(
        strict=False, load_default=None, metadata={"description": "One team; default: all"}
    )


# --- Souvenir pages -------------------------------------------------------------------------


class SouvenirApprovalSchema(ma.Schema):
    approved = fields.Boolean(required=True)


class SouvenirApprovedSchema(ma.Schema):
    event_id = fields.Integer(attribute="id")
    on_souvenir = fields.Boolean()
    approved_at = fields.DateTime(attribute="souvenir_at", allow_none=True)


class SouvenirPhotoSchema(ma.Schema):
    event_id = fields.Integer()
    prompt = fields.String(metadata={"description": "The task"})
    url = fields.String(metadata={"description": "Served only with the page's token"})


class SouvenirAnswerSchema(ma.Schema):
    prompt = fields.String(metadata={"description": "The task"})
    text = fields.String(metadata={"description": "The team's answer"})


class SouvenirOfferSchema(ma.Schema):
    title = fields.String()
    url = fields.String(metadata={"description": "The offer in the public catalogue"})


class SouvenirSchema(ma.Schema):
    trail_title = fields.String()
    institution = fields.String()
    month = fields.String(metadata={"description": "Of the visit, e.g. 2026-11"})
    stations_done = fields.List(fields.String(), metadata={"description": "Their titles"})
    photos = fields.List(fields.Nested(SouvenirPhotoSchema))
    answers = fields.List(fields.Nested(SouvenirAnswerSchema))
    offers = fields.List(
        fields.Nested(SouvenirOfferSchema),
        metadata={"description": "The institution's public learning offers"},
    )
    opening_hours = fields.String()
    website = fields.String(allow_none=True)
    deleted_after = fields.DateTime(
        metadata={"description": "The page disappears with the visit's data"}
    )
