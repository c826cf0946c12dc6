"""Shared model pieces. No concrete models live in core."""

from __future__ import annotations

import uuid

from django.db import models


class PublicIdModel(models.Model):
    """Rows that appear in URLs carry a random UUID; internal ids never leave the server."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True
