#!/usr/bin/env python3
"""Writes a synthetic Trellis service: a declaration of 300 operations and 500 model files.

Usage: synthetic_service.py OUTPUT_FOLDER [--models 500] [--operations 300] [--seed 1]

The mix, deterministic for a seed:
* objects (about 62%) of 5 to 15 properties: strings (plain, date-time, date, uuid, uri,
  email), integers, numbers, booleans with defaults, nullable values, inline string enums,
  nested inline objects, arrays of scalars and of models, maps, $refs to other models;
  some refer to themselves (through an array, or directly and optionally);
* string enums (14%), allOf of a model and an inline object (8%), oneOf of two or three
  models (8%, a third with a discriminator), arrays of a model (4%), maps of a model (4%);
* operations by resource, five per resource: list (query parameters, a page object),
  get (path parameter, 404), create (body, 201), update (path + body + header), delete (204).

Models live in OUTPUT_FOLDER/models/<Name>.json; the declaration is OUTPUT_FOLDER/service.json.
Prints the model files the benchmark edits: `hub PATH N` (the object model most referenced by
other models, N times) and `leaf PATH 0` (an object model nothing refers to).
"""
import argparse
import json
import os
import random

NOUNS = [
    "Account", "Address", "Invoice", "Order", "Product", "Customer", "Shipment", "Payment", "Refund", "Coupon",
    "Warehouse", "Supplier", "Category", "Review", "Cart", "Session", "Ticket", "Project", "Task", "Comment",
    "Team", "Member", "Role", "Policy", "Device", "Sensor", "Reading", "Alert", "Report", "Dashboard",
    "Widget", "Subscription", "Plan", "Feature", "Quota", "Webhook", "Event", "Notification", "Template", "Asset",
]
WORDS = [
    "name", "title", "label", "code", "reference", "note", "summary", "slug", "owner_id", "external_id",
    "createdAt", "updatedAt", "deletedAt", "expires_at", "count", "quantity", "amount", "price", "weight", "score",
    "rank", "priority", "enabled", "archived", "visible", "locale", "currency", "country", "region", "email",
    "website", "phone", "timezone", "version", "revision", "checksum", "color", "width", "height", "depth",
    "latitude", "longitude", "rating", "comment_count", "view_count", "is_default", "sort_order", "hash", "alias", "origin",
]
# Property names that get nested types (inline enums/objects): none is a top-level model name
# (those end in a number) nor a Swift type name.
ENUM_PROPERTIES = ["status", "level", "mode", "visibility", "stage", "tier", "channel", "severity"]
OBJECT_PROPERTIES = ["details", "settings", "metadata", "limits", "location", "audit", "billing", "preferences"]
ENUM_VALUES = ["draft", "active", "pending", "archived", "deleted", "low", "medium", "high", "critical", "public",
               "private", "internal", "blue", "green", "red", "in_progress", "on-hold", "v1", "v2", "beta"]


def scalar(rng):
    choice = rng.random()
    if choice < 0.30:
        return {"type": "string", "maxLength": rng.choice([32, 64, 255])}
    if choice < 0.38:
        return {"type": "string", "format": "date-time"}
    if choice < 0.42:
        return {"type": "string", "format": "date"}
    if choice < 0.48:
        return {"type": "string", "format": "uuid"}
    if choice < 0.52:
        return {"type": "string", "format": "uri"}
    if choice < 0.55:
        return {"type": "string", "format": "email"}
    if choice < 0.70:
        return {"type": "integer", "minimum": 0, **({"format": "int64"} if rng.random() < 0.3 else {})}
    if choice < 0.80:
        return {"type": "number", "minimum": 0}
    if choice < 0.90:
        return {"type": "boolean", "default": rng.random() < 0.5}
    return {"type": ["string", "null"]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    parser.add_argument("--models", type=int, default=500)
    parser.add_argument("--operations", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(os.path.join(args.output, "models"), exist_ok=True)

    count = args.models - 1  # plus ApiError
    names = ["%s%d" % (NOUNS[i % len(NOUNS)], i) for i in range(count)]
    kinds = []
    for i in range(count):
        r = rng.random()
        kind = ("object" if r < 0.62 else "enum" if r < 0.76 else "allOf" if r < 0.84 else "oneOf" if r < 0.92
                else "array" if r < 0.96 else "map")
        if i < 8:
            kind = "object"  # something to refer to from the start
        kinds.append(kind)
    objects = [i for i, k in enumerate(kinds) if k == "object"]
    discriminated = set(objects[::5])  # objects with a required "kind", for discriminated oneOfs
    schemas = {}

    def ref(i):
        return {"$ref": names[i] + ".json"}

    def earlier(i, wanted=None):
        pool = [j for j in range(i) if wanted is None or kinds[j] in wanted]
        return rng.choice(pool) if pool else None

    def object_schema(i, size):
        properties, required = {}, []
        words = rng.sample(WORDS, min(size, len(WORDS)))
        properties["id"] = {"type": "string", "format": "uuid", "readOnly": True}
        required.append("id")
        if i in discriminated:
            properties["kind"] = {"type": "string"}
            required.append("kind")
        enum_names = iter(rng.sample(ENUM_PROPERTIES, len(ENUM_PROPERTIES)))
        object_names = iter(rng.sample(OBJECT_PROPERTIES, len(OBJECT_PROPERTIES)))
        for word in words[: size - len(properties)]:
            r = rng.random()
            target = earlier(i, {"object", "enum", "allOf", "oneOf", "array", "map"})
            if r < 0.55 or target is None:
                schema = scalar(rng)
                if rng.random() < 0.15:
                    schema["description"] = "The %s of the %s." % (word.replace("_", " "), names[i])
                properties[word] = schema
            elif r < 0.65:
                name = next(enum_names, None)
                if name is None:
                    continue
                values = rng.sample(ENUM_VALUES, rng.randint(2, 6))
                properties[name] = {"type": "string", "enum": values, "default": values[0]}
            elif r < 0.72:
                name = next(object_names, None)
                if name is None:
                    continue
                inner = {w: scalar(rng) for w in rng.sample(WORDS, rng.randint(2, 4))}
                properties[name] = {"type": "object", "properties": inner, "required": list(inner)[:1]}
            elif r < 0.80:
                properties[word + "_list" if rng.random() < 0.5 else word + "s"] = {
                    "type": "array", "items": {"type": "string"}, "maxItems": 50}
            elif r < 0.90:
                properties[word + "_ref"] = ref(target)
            elif r < 0.96:
                properties[word + "_items"] = {"type": "array", "items": ref(target)}
            else:
                properties[word + "_map"] = {"type": "object", "additionalProperties": {"type": "string"}}
            if rng.random() < 0.35 and word in properties:
                required.append(word)
        if i % 41 == 3:
            properties["children"] = {"type": "array", "items": ref(i)}
        if i % 67 == 5:
            properties["parent"] = ref(i)
        return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}

    for i in range(count):
        kind = kinds[i]
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": names[i],
                  "description": "Synthetic model %d (%s)." % (i, kind)}
        if kind == "object":
            schema.update(object_schema(i, rng.randint(5, 15)))
        elif kind == "enum":
            schema.update({"type": "string", "enum": rng.sample(ENUM_VALUES, rng.randint(2, 8))})
        elif kind == "allOf":
            own = object_schema(i, rng.randint(3, 6))
            own.pop("additionalProperties")
            own["properties"].pop("id")
            own["required"].remove("id")
            schema["allOf"] = [ref(earlier(i, {"object"})), own]
        elif kind == "oneOf":
            if rng.random() < 0.33 and len([j for j in discriminated if j < i]) >= 2:
                choices = rng.sample([j for j in discriminated if j < i], 2)
                schema["oneOf"] = [ref(j) for j in choices]
                schema["discriminator"] = {"propertyName": "kind"}
            else:
                pool = [j for j in range(i) if kinds[j] == "object"]
                schema["oneOf"] = [ref(j) for j in rng.sample(pool, min(len(pool), rng.randint(2, 3)))]
        elif kind == "array":
            schema.update({"type": "array", "items": ref(earlier(i, {"object"})), "maxItems": 100})
        else:
            schema.update({"type": "object", "additionalProperties": ref(earlier(i, {"object"}))})
        schemas[names[i]] = schema
    schemas["ApiError"] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema", "title": "ApiError", "type": "object",
        "required": ["code", "message"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                       "details": {"type": "array", "items": {"type": "object", "properties": {
                           "field": {"type": "string"}, "reason": {"type": "string"}}}}}}
    for name, schema in schemas.items():
        with open(os.path.join(args.output, "models", name + ".json"), "w") as f:
            json.dump(schema, f, indent=2)

    operations = {}
    resources = objects[: (args.operations + 4) // 5]
    for i in resources:
        name = names[i]
        path = "/v1/%ss-%d" % (NOUNS[i % len(NOUNS)].lower(), i)
        model = "models/%s.json" % name
        error = {"description": "Not found", "schema": "models/ApiError.json"}
        tag = NOUNS[i % len(NOUNS)]
        sort = rng.sample(["name", "createdAt", "updatedAt", "priority"], 3)
        operations["list%ss" % name] = {
            "method": "GET", "path": path, "summary": "List %ss" % name, "tags": [tag],
            "parameters": {"query": {
                "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
                "offset": {"type": "integer", "minimum": 0, "default": 0},
                "sort": {"schema": {"enum": sort}, "required": False},
                "q": {"schema": {"type": "string"}, "required": False, "description": "Full-text filter"}}},
            "responses": {"200": {"description": "A page", "schema": {
                "type": "object", "required": ["items", "total"],
                "properties": {"items": {"type": "array", "items": {"$ref": model}}, "total": {"type": "integer"},
                               "next": {"type": ["string", "null"]}}}}}}
        operations["get%s" % name] = {
            "method": "GET", "path": path + "/{id}", "summary": "Get a %s" % name, "tags": [tag],
            "parameters": {"path": {"id": {"type": "string", "format": "uuid"}}},
            "responses": {"200": model, "404": error}}
        operations["create%s" % name] = {
            "method": "POST", "path": path, "summary": "Create a %s" % name, "tags": [tag],
            "body": model, "responses": {"201": {"description": "Created", "schema": model},
                                         "400": {"description": "Bad request", "schema": "models/ApiError.json"}}}
        operations["update%s" % name] = {
            "method": "PUT", "path": path + "/{id}", "summary": "Replace a %s" % name, "tags": [tag],
            "parameters": {"path": {"id": {"type": "string", "format": "uuid"}},
                           "header": {"If-Match": {"schema": {"type": "string"}, "required": False}}},
            "body": {"schema": model, "description": "The new %s" % name},
            "responses": {"200": model, "404": error}}
        operations["delete%s" % name] = {
            "method": "DELETE", "path": path + "/{id}", "summary": "Delete a %s" % name, "tags": [tag],
            "parameters": {"path": {"id": {"type": "string", "format": "uuid"}}},
            "responses": {"204": {"description": "Deleted"}, "404": error}}
    operations = dict(list(operations.items())[: args.operations])
    declaration = {
        "name": "Synthetic",
        "info": {"title": "Synthetic", "version": "1.0.0", "description": "A generated benchmark service."},
        "tags": [{"name": n} for n in sorted({NOUNS[i % len(NOUNS)] for i in resources})],
        "models": ["models/%s.json" % n for n in schemas],
        "operations": operations,
    }
    with open(os.path.join(args.output, "service.json"), "w") as f:
        json.dump(declaration, f, indent=2)
    # The edited model: the object model that most other models refer to.
    uses = {}
    for schema in schemas.values():
        for text in json.dumps(schema).split('"$ref": "')[1:]:
            target = text.split('"')[0]
            uses[target] = uses.get(target, 0) + 1
    candidates = [n for n in schemas if n != "ApiError" and kinds[names.index(n)] == "object"]
    hub = max(candidates, key=lambda n: uses.get(n + ".json", 0))
    used_by_operations = {names[i] for i in resources}
    leaf = next(n for n in reversed(candidates) if uses.get(n + ".json", 0) == 0 and n not in used_by_operations)
    print("hub %s %d" % (os.path.join(args.output, "models", hub + ".json"), uses.get(hub + ".json", 0)))
    print("leaf %s 0" % os.path.join(args.output, "models", leaf + ".json"))


if __name__ == "__main__":
    main()
