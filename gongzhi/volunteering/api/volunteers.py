"""Volunteering API of the volunteers part."""

from ninja import Router

router = Router()
