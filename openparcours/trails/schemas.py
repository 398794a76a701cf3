import marshmallow as ma
from flask_smorest.fields import Upload
from marshmallow import fields, validate

from openparcours.accounts.schemas import OrganisationRefSchema
from openparcours.curriculum.tables import media_competence_keys
from openparcours.fields import Id, Text
from openparcours.tasks.registry import TASK_TYPES, ClientTaskSchema, HintSchema
from openparcours.trails.models import Checkin, TrailOrder, Visibility

LANGUAGES = ["de", "en"]
# Each kind of release rule with its fields, the first required.
RELEASE_FIELDS = {"after": ("station_ids", "count"), "clock": ("time",), "after_join": ("minutes",)}

# A task as the catalogue, partner schools and anyone else read it: what it asks, not how it
# is judged, nor the feedback and hints that give the answer away.
READER_TASK_FIELDS = ("id", "type", "prompt", "points", "max_attempts")
SECRET_STATION_FIELDS = ("code", "qr_url", "tasks")
# The OpenAPI document's mark of a field that only the trail's authors get.
AUTHORS_ONLY = {"x-authors-only": True}


def as_read_by_others(trail: dict) -> dict:
    """A trail (as the API shows the draft, or a version's content) for people who do not author
    it: stations keep their texts and places, never their check-in codes (with a code, a class
    checks in without being there), and tasks keep their prompt and points only."""
    return {
        **trail,
        "stations": [
            {
                **{k: v for k, v in station.items() if k not in SECRET_STATION_FIELDS},
                "tasks": [
                    {name: task[name] for name in READER_TASK_FIELDS if name in task}
                    for task in station.get("tasks", [])
                ],
            }
            for station in trail.get("stations", [])
        ],
    }


def subject_list():
    return fields.List(
        Text(60),
        validate=validate.Length(max=20),
        load_default=list,
        metadata={
            "description": "Names of the NRW subjects table (GET /curriculum/tables); a free "
            "name from before the table stays while the trail keeps it"
        },
    )


def media_competence_list():
    return fields.List(
        fields.String(validate=validate.OneOf(media_competence_keys())),
        validate=validate.Length(max=24),
        load_default=list,
        metadata={"description": 'Keys of the Medienkompetenzrahmen NRW, e.g. "2.1"'},
    )


class CurriculumReferenceSchema(ma.Schema):
    """Where the trail meets the Kernlehrplan ("Bezug zum Kernlehrplan")."""

    text = Text(500, required=True)
    url = fields.URL(
        schemes={"http", "https"},
        allow_none=True,
        load_default=None,
        validate=validate.Length(max=500),
    )


class TrailFieldsSchema(ma.Schema):
    """What an author sets on a trail."""

    title = Text(200, required=True)
    description = Text(5000, min_length=0, load_default="")
    subjects = subject_list()
    grades = fields.List(
        fields.Integer(strict=True, validate=validate.Range(1, 13)),
        validate=validate.Length(max=13),
        load_default=list,
    )
    media_competences = media_competence_list()
    curriculum_reference = fields.Nested(
        CurriculumReferenceSchema, allow_none=True, load_default=None
    )
    duration_minutes = fields.Integer(
        strict=True, allow_none=True, load_default=None, validate=validate.Range(5, 600)
    )
    language = fields.String(load_default="de", validate=validate.OneOf(LANGUAGES))
    cover_media_id = Id(allow_none=True, load_default=None)
    cover_alt = Text(300, min_length=0, allow_none=True, load_default=None)
    order = fields.Enum(TrailOrder, by_value=True, load_default=TrailOrder.fixed)
    visibility = fields.Enum(Visibility, by_value=True, load_default=Visibility.partners)


class TrailCreateSchema(TrailFieldsSchema):
    organisation_id = Id(required=True)


class TrailUpdateSchema(TrailFieldsSchema):
    """Any subset of the trail's fields; use with `partial=True`."""

    archived = fields.Boolean(metadata={"description": "Archive or restore the trail"})


class StationMediaSchema(ma.Schema):
    media_id = Id(required=True)
    alt = Text(300, min_length=0, load_default="", metadata={"description": "Alt text"})


class ReleaseRuleSchema(ma.Schema):
    """When the station opens (openparcours/trails/release.py); none: always."""

    kind = fields.String(
        required=True,
        validate=validate.OneOf(RELEASE_FIELDS),
        metadata={
            "description": "after: once `count` of `station_ids` are done; clock: from `time` "
            "on the visit's day; after_join: `minutes` after the team joined"
        },
    )
    station_ids = fields.List(Id(), validate=validate.Length(min=1, max=50))
    count = fields.Integer(strict=True, validate=validate.Range(1, 50))
    time = fields.String(
        validate=validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="Give a time as 10:30."),
        metadata={"description": "HH:MM, German time"},
    )
    minutes = fields.Integer(strict=True, validate=validate.Range(1, 600))

    @ma.validates_schema
    def fields_of_its_kind(self, data, **kwargs):
        kind = data.get("kind")
        if kind not in RELEASE_FIELDS:
            return
        errors = {
            name: ["Missing data for required field."]
            for name in RELEASE_FIELDS[kind][:1]
            if name not in data
        } | {
            name: ["Unknown field."]
            for name in data
            if name != "kind" and name not in RELEASE_FIELDS[kind]
        }
        if errors:
            raise ma.ValidationError(errors)

    @ma.post_load
    def counted(self, data, **kwargs):
        if data["kind"] == "after":
            data["station_ids"] = list(dict.fromkeys(data["station_ids"]))
            data.setdefault("count", 1)
            if data["count"] > len(data["station_ids"]):
                raise ma.ValidationError({"count": ["At most as many as the stations named."]})
        return data


class StationFieldsSchema(ma.Schema):
    title = Text(200, required=True)
    content = Text(20000, min_length=0, load_default="", metadata={"description": "Markdown"})
    media = fields.List(
        fields.Nested(StationMediaSchema), validate=validate.Length(max=10), load_default=list
    )
    lat = fields.Float(allow_none=True, load_default=None, validate=validate.Range(-90, 90))
    lon = fields.Float(allow_none=True, load_default=None, validate=validate.Range(-180, 180))
    radius_m = fields.Integer(strict=True, load_default=30, validate=validate.Range(10, 500))
    checkin = fields.Enum(Checkin, by_value=True, load_default=Checkin.none)
    subjects = subject_list()
    media_competences = media_competence_list()
    release = fields.Nested(ReleaseRuleSchema, allow_none=True, load_default=None)


class StationUpdateSchema(StationFieldsSchema):
    """Any subset of the station's fields; use with `partial=True`."""


class TaskOutSchema(ma.Schema):
    id = fields.Integer()
    type = fields.String(validate=validate.OneOf(list(TASK_TYPES)))
    prompt = fields.String()
    points = fields.Integer()
    hints = fields.List(fields.Nested(HintSchema), metadata=AUTHORS_ONLY)
    max_attempts = fields.Integer()
    feedback_correct = fields.String(allow_none=True, metadata=AUTHORS_ONLY)
    feedback_wrong = fields.String(allow_none=True, metadata=AUTHORS_ONLY)
    definition = fields.Dict(metadata={"description": "Depends on the task type"} | AUTHORS_ONLY)


class TaskInSchema(ma.Schema):
    """A task as the editor sends it; the registry of task types validates it in full."""

    class Meta:
        unknown = ma.INCLUDE

    type = fields.String(required=True, validate=validate.OneOf(list(TASK_TYPES)))


class StationOutSchema(StationFieldsSchema):
    id = fields.Integer()
    position = fields.Integer()
    code = fields.String(metadata={"description": "Printed under the QR code"} | AUTHORS_ONLY)
    qr_url = fields.String(
        dump_only=True, metadata={"description": "What the station's QR code holds"} | AUTHORS_ONLY
    )
    content_html = fields.String(metadata={"description": "The content rendered and sanitised"})
    tasks = fields.List(fields.Nested(TaskOutSchema), metadata=AUTHORS_ONLY)


class VersionSummarySchema(ma.Schema):
    number = fields.Integer()
    published_at = fields.DateTime()


class TrailSummarySchema(TrailFieldsSchema):
    id = fields.Integer()
    organisation = fields.Nested(OrganisationRefSchema)
    station_count = fields.Integer()
    latest_version = fields.Nested(VersionSummarySchema, allow_none=True)
    unpublished_changes = fields.Boolean()
    archived = fields.Boolean()
    updated_at = fields.DateTime()


class OfferedTrailSchema(TrailSummarySchema):
    offer = fields.String(
        metadata={
            "description": "Why the teacher may open it: a learning offer of an agreement in "
            "force (agreement), another trail of a partner institution (partner), or public",
            "enum": ["agreement", "partner", "public"],
        }
    )


class TrailSchema(TrailSummarySchema):
    stations = fields.List(
        fields.Nested(StationOutSchema),
        metadata={
            "description": "Without codes, hints, feedback and solutions for readers "
            "who do not author the trail"
        },
    )

    @ma.post_dump(pass_original=True)
    def for_readers(self, data, original, **kwargs):
        return as_read_by_others(data) if getattr(original, "for_readers", False) else data


class TrailListQuerySchema(ma.Schema):
    organisation_id = Id(strict=False)
    archived = fields.Boolean(load_default=False)


class StationOrderSchema(ma.Schema):
    station_ids = fields.List(Id(), required=True)


class TaskOrderSchema(ma.Schema):
    task_ids = fields.List(Id(), required=True)


class ProblemSchema(ma.Schema):
    path = fields.String(metadata={"description": "Where, e.g. stations/0/tasks/1/definition"})
    code = fields.String(metadata={"description": "Stable, e.g. station_empty"})
    message = fields.String(metadata={"description": "In English; clients word the code"})
    params = fields.Dict(
        keys=fields.String(),
        metadata={
            "description": "station, task, field, entry, media: counted from 1",
            "additionalProperties": {"type": ["string", "number", "null"]},
        },
    )


class ImportedTrailSchema(TrailSchema):
    warnings = fields.List(
        fields.Nested(ProblemSchema),
        attribute="import_warnings",
        metadata={
            "description": "What the import changed, e.g. `station_unnamed`: a station "
            'without a name is called "Station N"'
        },
    )


class PublishCheckSchema(ma.Schema):
    publishable = fields.Boolean()
    problems = fields.List(fields.Nested(ProblemSchema))


class VersionSchema(VersionSummarySchema):
    content = fields.Dict(
        metadata={
            "description": "The frozen trail: stations and tasks (for readers who do not "
            "author the trail without codes, hints, feedback and solutions)"
        },
    )

    @ma.post_dump(pass_original=True)
    def for_readers(self, data, original, **kwargs):
        if getattr(original, "for_readers", False):
            data["content"] = as_read_by_others(data["content"])
        return data


class PosterQuerySchema(ma.Schema):
    layout = fields.String(load_default="pages", validate=validate.OneOf(["pages", "sheet"]))


class TrailUploadSchema(ma.Schema):
    file = Upload(required=True, metadata={"description": "A .zip of a trail folder or a .geojson"})


class MarkdownSchema(ma.Schema):
    markdown = fields.String(required=True, validate=validate.Length(max=20000))
    html = fields.String(dump_only=True)


class BundleMediaSchema(ma.Schema):
    kind = fields.String(validate=validate.OneOf(["image", "audio"]))
    mime = fields.String()
    url = fields.String()
    alt = fields.String(metadata={"description": "Alt text, or a description of the sound"})


class BundleReleaseSchema(ma.Schema):
    after = fields.List(fields.Integer(), metadata={"description": "Stations it waits for"})
    count = fields.Integer(metadata={"description": "How many of them must be done"})
    opens_at = fields.DateTime(
        allow_none=True, metadata={"description": "Not before (the server's clock)"}
    )


class BundleStationSchema(ma.Schema):
    id = fields.Integer()
    title = fields.String()
    content_html = fields.String(metadata={"description": "Sanitised HTML"})
    checkin = fields.String(validate=validate.OneOf([c.value for c in Checkin]))
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)
    radius_m = fields.Integer()
    media = fields.List(fields.Nested(BundleMediaSchema))
    tasks = fields.List(fields.Nested(ClientTaskSchema))
    release = fields.Nested(
        BundleReleaseSchema,
        allow_none=True,
        metadata={"description": "When it opens for this team; null: always open"},
    )


class BundleSchema(ma.Schema):
    title = fields.String()
    description = fields.String()
    language = fields.String(validate=validate.OneOf(LANGUAGES))
    order = fields.String(validate=validate.OneOf([o.value for o in TrailOrder]))
    cover = fields.Nested(BundleMediaSchema, allow_none=True)
    stations = fields.List(fields.Nested(BundleStationSchema))
