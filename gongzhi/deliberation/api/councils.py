"""API of the councils part of deliberation, under /api/v1/deliberation/."""

from ninja import Router

router = Router()
