"""Volunteering API of the pairings part."""

from ninja import Router

router = Router()
