"""Organization-life API of the records part."""

from ninja import Router

router = Router()
