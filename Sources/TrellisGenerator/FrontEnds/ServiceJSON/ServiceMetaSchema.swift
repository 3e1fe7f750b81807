// The service declaration meta-schema, as shipped in trellis-service.schema.json (a test
// checks that the two are identical). Editors can point a declaration's "$schema" at the file.

enum ServiceMetaSchema {
    static let text = ##"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "urn:trellis:service-declaration:1",
          "title": "Trellis service declaration",
          "description": "One service: its operations, their parameters, bodies and responses, and the models they reference with $ref. Models are JSON Schema files next to this declaration.",
          "type": "object",
          "required": ["info", "operations"],
          "additionalProperties": false,
          "properties": {
            "$schema": {"type": "string"},
            "name": {"$ref": "#/$defs/swiftIdentifier", "description": "The Swift name of the service protocol (default: the title in PascalCase)."},
            "info": {"$ref": "#/$defs/info"},
            "servers": {"type": "array", "items": {"$ref": "#/$defs/server"}},
            "tags": {"type": "array", "items": {"$ref": "#/$defs/tag"}},
            "models": {
              "type": "array",
              "items": {"type": "string"},
              "description": "Model files (relative paths) to generate types for even when no operation references them. Every model an operation references is generated anyway."
            },
            "securitySchemes": {
              "type": "object",
              "propertyNames": {"$ref": "#/$defs/name"},
              "additionalProperties": {"$ref": "#/$defs/securityScheme"}
            },
            "security": {"$ref": "#/$defs/securityRequirements"},
            "dependencies": {
              "type": "object",
              "propertyNames": {"$ref": "#/$defs/swiftIdentifier"},
              "additionalProperties": {"$ref": "#/$defs/dependency"}
            },
            "globalDependencies": {"$ref": "#/$defs/dependencyList", "description": "Dependencies every operation uses."},
            "operations": {
              "type": "object",
              "propertyNames": {"$ref": "#/$defs/swiftIdentifier"},
              "additionalProperties": {"$ref": "#/$defs/operation"}
            },
            "webSockets": {
              "type": "object",
              "propertyNames": {"$ref": "#/$defs/swiftIdentifier"},
              "additionalProperties": {"$ref": "#/$defs/webSocket"},
              "description": "WebSocket routes: JSON text messages, validated against receive, typed both ways."
            }
          },
          "$defs": {
            "swiftIdentifier": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
            "webSocket": {
              "type": "object",
              "additionalProperties": false,
              "required": ["path", "receive", "send"],
              "properties": {
                "path": {"type": "string", "pattern": "^/", "description": "The route: a path template, each {name} declared in parameters.path."},
                "summary": {"type": "string"},
                "description": {"type": "string"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "receive": {"$ref": "#/$defs/schemaOrReference", "description": "The schema of the messages the client sends."},
                "send": {"$ref": "#/$defs/schemaOrReference", "description": "The schema of the messages the server sends."},
                "security": {"$ref": "#/$defs/securityRequirements", "description": "Checked before the upgrade (the service's when absent)."},
                "parameters": {"$ref": "#/$defs/parameters", "description": "The upgrade request's parameters, validated before the upgrade (422)."},
                "dependencies": {"$ref": "#/$defs/dependencyList", "description": "Resolved before the upgrade; they live as long as the session."}
              }
            },
            "name": {"type": "string", "minLength": 1},
            "info": {
              "type": "object",
              "required": ["title", "version"],
              "additionalProperties": false,
              "properties": {
                "title": {"type": "string", "minLength": 1},
                "version": {"type": "string", "minLength": 1},
                "summary": {"type": "string"},
                "description": {"type": "string"},
                "termsOfService": {"type": "string"},
                "contact": {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {"name": {"type": "string"}, "url": {"type": "string"}, "email": {"type": "string"}}
                },
                "license": {
                  "type": "object",
                  "required": ["name"],
                  "additionalProperties": false,
                  "properties": {"name": {"type": "string"}, "identifier": {"type": "string"}, "url": {"type": "string"}}
                }
              }
            },
            "server": {
              "type": "object",
              "required": ["url"],
              "additionalProperties": false,
              "properties": {"url": {"type": "string"}, "description": {"type": "string"}}
            },
            "tag": {
              "type": "object",
              "required": ["name"],
              "additionalProperties": false,
              "properties": {
                "name": {"$ref": "#/$defs/name"},
                "description": {"type": "string"},
                "dependencies": {"$ref": "#/$defs/dependencyList", "description": "Dependencies of every operation with this tag."}
              }
            },
            "dependencyList": {"type": "array", "items": {"$ref": "#/$defs/swiftIdentifier"}, "uniqueItems": true},
            "dependency": {
              "type": "object",
              "required": ["type"],
              "additionalProperties": false,
              "properties": {
                "type": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_.]*$", "description": "The Swift type that provides the dependency."},
                "description": {"type": "string"},
                "parameters": {"$ref": "#/$defs/parameters", "description": "Request values the dependency reads (documented on every operation that uses it)."},
                "responses": {"$ref": "#/$defs/responses", "description": "Answers the dependency can give instead of the operation (e.g. 401)."},
                "security": {"$ref": "#/$defs/securityRequirements"}
              }
            },
            "operation": {
              "type": "object",
              "required": ["method", "path", "responses"],
              "additionalProperties": false,
              "properties": {
                "method": {"enum": ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"]},
                "path": {"type": "string", "pattern": "^/"},
                "summary": {"type": "string"},
                "description": {"type": "string"},
                "tags": {"type": "array", "items": {"$ref": "#/$defs/name"}, "uniqueItems": true},
                "deprecated": {"type": "boolean"},
                "parameters": {"$ref": "#/$defs/parameters"},
                "body": {"$ref": "#/$defs/body"},
                "responses": {"$ref": "#/$defs/responses"},
                "dependencies": {"$ref": "#/$defs/dependencyList"},
                "security": {"$ref": "#/$defs/securityRequirements"}
              }
            },
            "parameters": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "path": {"$ref": "#/$defs/parameterMap"},
                "query": {"$ref": "#/$defs/parameterMap"},
                "header": {"$ref": "#/$defs/parameterMap"},
                "cookie": {"$ref": "#/$defs/parameterMap"}
              }
            },
            "parameterMap": {
              "type": "object",
              "propertyNames": {"$ref": "#/$defs/name"},
              "additionalProperties": {"$ref": "#/$defs/parameter"}
            },
            "parameter": {
              "description": "A schema (object, or a string: a $ref to a model file), or a parameter object with a schema.",
              "if": {"type": "object", "required": ["schema"]},
              "then": {"$ref": "#/$defs/parameterObject"},
              "else": {"$ref": "#/$defs/schemaOrReference"}
            },
            "parameterObject": {
              "type": "object",
              "required": ["schema"],
              "additionalProperties": false,
              "properties": {
                "schema": {"$ref": "#/$defs/schemaOrReference"},
                "required": {"type": "boolean", "description": "Default: true when the schema has no default (as in FastAPI)."},
                "description": {"type": "string"},
                "deprecated": {"type": "boolean"},
                "style": {"enum": ["form", "commaSeparated"], "description": "Query arrays: repeated keys (form, the default) or one comma-separated value."},
                "example": true
              }
            },
            "body": {
              "description": "A schema (object, or a string: a $ref to a model file), or a body object with a schema.",
              "if": {"type": "object", "required": ["schema"]},
              "then": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "schema": {"$ref": "#/$defs/schemaOrReference"},
                  "contentType": {
                    "description": "The media type, or the media types it is accepted in (the first preferred): JSON types, application/x-www-form-urlencoded and multipart/form-data are read into the typed body; others arrive as bytes.",
                    "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1, "uniqueItems": true}],
                    "default": "application/json"
                  },
                  "encoding": {
                    "description": "How the fields of a form are written (OpenAPI's encoding): for a form field its style and explode; for a file of multipart/form-data the media types it may have (contentType, comma-separated; image/* allowed).",
                    "type": "object",
                    "additionalProperties": {
                      "type": "object",
                      "additionalProperties": false,
                      "properties": {
                        "contentType": {"type": "string"},
                        "headers": {
                          "description": "A multipart part's header fields, each checked (422 at [body, field, header, name]).",
                          "type": "object",
                          "additionalProperties": {
                            "type": "object",
                            "additionalProperties": false,
                            "required": ["schema"],
                            "properties": {"schema": {"type": "object"}, "required": {"type": "boolean"}, "description": {"type": "string"}}
                          }
                        },
                        "style": {"enum": ["form", "spaceDelimited", "pipeDelimited", "deepObject"]},
                        "explode": {"type": "boolean"}
                      }
                    }
                  },
                  "limits": {
                    "description": "The bounds of a multipart/form-data body (default: the configuration's maxUploadSize, maxMultipartParts, maxBodySize). One file's bound is its property's maxLength.",
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                      "maxBytes": {"type": "integer", "minimum": 1},
                      "maxParts": {"type": "integer", "minimum": 1},
                      "maxFieldBytes": {"type": "integer", "minimum": 1}
                    }
                  },
                  "required": {"type": "boolean", "default": true},
                  "description": {"type": "string"}
                }
              },
              "else": {"$ref": "#/$defs/schemaOrReference"}
            },
            "responses": {
              "type": "object",
              "propertyNames": {"pattern": "^([1-5][0-9][0-9]|default)$"},
              "minProperties": 1,
              "additionalProperties": {"$ref": "#/$defs/response"}
            },
            "response": {
              "description": "A string (a $ref to a model file: the JSON body), or a response object.",
              "anyOf": [
                {"type": "string"},
                {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "description": {"type": "string"},
                    "schema": {"$ref": "#/$defs/schemaOrReference"},
                    "contentType": {"type": "string"},
                    "content": {
                      "description": "The body in several media types, the preferred first (instead of schema and contentType): the answer's is chosen by the request's Accept.",
                      "type": "object", "minProperties": 1,
                      "additionalProperties": {"$ref": "#/$defs/schemaOrReference"}
                    },
                    "stream": {"type": "boolean", "description": "The body is written in pieces as the handler produces them (a ResponseStream); contentType says what they are (default application/octet-stream)."},
                    "headers": {"$ref": "#/$defs/parameterMap"}
                  }
                }
              ]
            },
            "schemaOrReference": {
              "anyOf": [
                {"type": "string", "description": "A $ref: a model file, optionally with a fragment (Pet.json, common.json#/$defs/Tag)."},
                {"type": ["object", "boolean"], "description": "A JSON Schema."}
              ]
            },
            "securityRequirements": {
              "type": "array",
              "items": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}
            },
            "securityScheme": {
              "type": "object",
              "required": ["type"],
              "properties": {
                "type": {"enum": ["apiKey", "http", "oauth2", "openIdConnect", "mutualTLS"]},
                "description": {"type": "string"},
                "name": {"type": "string"},
                "in": {"enum": ["query", "header", "cookie"]},
                "scheme": {"type": "string"},
                "bearerFormat": {"type": "string"},
                "flows": {"type": "object"},
                "openIdConnectUrl": {"type": "string"},
                "verifier": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_.]*$", "description": "The Swift SecurityVerifier type that checks this scheme's credentials: generated code binds it (securityVerifiers)."}
              },
              "allOf": [
                {"if": {"properties": {"type": {"const": "apiKey"}}}, "then": {"required": ["name", "in"]}},
                {"if": {"properties": {"type": {"const": "http"}}}, "then": {"required": ["scheme"]}},
                {"if": {"properties": {"type": {"const": "oauth2"}}}, "then": {"required": ["flows"]}},
                {"if": {"properties": {"type": {"const": "openIdConnect"}}}, "then": {"required": ["openIdConnectUrl"]}}
              ]
            }
          }
        }
        """##
}
