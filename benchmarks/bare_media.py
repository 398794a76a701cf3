"""The ceiling for the media benchmark: one S3 object streamed by bare boto3 under Flask."""

import os

import boto3
from flask import Flask, Response

app = Flask(__name__)
s3 = boto3.client("s3")


@app.get("/object/<path:key>")
def stream(key: str):
    answer = s3.get_object(Bucket=os.environ["BARE_BUCKET"], Key=key)
    response = Response(answer["Body"].iter_chunks(64 * 1024), direct_passthrough=True)
    response.content_type = answer["ContentType"]
    response.content_length = answer["ContentLength"]
    return response
