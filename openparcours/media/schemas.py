import marshmallow as ma
from flask_smorest.fields import Upload
from marshmallow import fields, validate


class UploadSchema(ma.Schema):
    file = Upload(required=True, metadata={"description": "An image or an audio file"})


class PhotoSizeSchema(ma.Schema):
    size = fields.String(
        load_default="full",
        validate=validate.OneOf(["full", "thumbnail"]),
        metadata={"description": "The photo (at most 1600 px) or its thumbnail (400 px)"},
    )


class MediaSchema(ma.Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "image or audio"})
    mime = fields.String()
    url = fields.String(dump_only=True)
    thumbnail_url = fields.String(dump_only=True, allow_none=True)
    width = fields.Integer(allow_none=True)
    height = fields.Integer(allow_none=True)
    size = fields.Integer(metadata={"description": "Bytes"})
