import marshmallow as ma
from flask_smorest.fields import Upload
from marshmallow import fields

from server.media import service


class UploadSchema(ma.Schema):
    file = Upload(required=True, metadata={"description": "An image or an audio file"})


class MediaSchema(ma.Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "image or audio"})
    mime = fields.String()
    url = fields.Function(lambda m: service.file_url(m.file), metadata={"type": "string"})
    thumbnail_url = fields.Function(
        lambda m: service.file_url(m.thumbnail), metadata={"type": "string", "nullable": True}
    )
    width = fields.Integer(allow_none=True)
    height = fields.Integer(allow_none=True)
    size = fields.Integer(metadata={"description": "Bytes"})
