"""Volunteering API of the activities part."""

from ninja import Router

router = Router()
