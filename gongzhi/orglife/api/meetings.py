"""Organization-life API of the meetings part."""

from ninja import Router

router = Router()
