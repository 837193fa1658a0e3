"""JSON Schemas of the author-written files, so editors can check and autocomplete them."""

from __future__ import annotations

from typing import Any

from course_builder.model import Brand, CourseSettings, ModuleFrontMatter


def json_schemas() -> dict[str, dict[str, Any]]:
    brand = Brand.model_json_schema()
    for set_by_the_loader in ("source", "logo_raster"):
        brand["properties"].pop(set_by_the_loader, None)
    brand["required"] = [r for r in brand.get("required", []) if r != "id"]
    return {
        "course": CourseSettings.model_json_schema(),
        "brand": brand,
        "module": ModuleFrontMatter.model_json_schema(),
    }
