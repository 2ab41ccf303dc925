"""Volunteering API of the wishes part."""

from ninja import Router

router = Router()
