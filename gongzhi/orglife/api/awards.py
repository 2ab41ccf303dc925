"""Organization-life API of the awards part."""

from ninja import Router

router = Router()
