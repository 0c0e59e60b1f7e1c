/// The OpenAPI 3 document of the JSON API, written by hand to match `api.md`. A test checks
/// it against `WebApp.routes` and calls every route it names.
enum OpenAPI {
    static let document = #"""
    {
      "openapi": "3.0.3",
      "info": {"title": "Defuse", "version": "1.0.0",
               "description": "The escalation desk and account-health watch. Times are ISO 8601, printed in UTC with Z."},
      "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "defuse token create --user NAME"}},
        "schemas": {
          "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
          "Report": {"type": "object", "required": ["as_of", "summary", "accounts", "thresholds"],
            "properties": {"as_of": {"type": "string"}, "summary": {"type": "object"}, "accounts": {"type": "array", "items": {"type": "object"}},
                           "thresholds": {"type": "object"}}},
          "Account": {"type": "object", "required": ["account_id", "name", "level", "flags"],
            "properties": {"account_id": {"type": "string"}, "name": {"type": "string"}, "level": {"type": "string", "enum": ["red", "yellow", "green"]},
                           "flags": {"type": "array", "items": {"type": "string"}}, "evidence": {"type": "object"}}},
          "Escalation": {"type": "object", "required": ["id", "account_id", "state", "opened_at", "clocks", "ceo_loop", "risks", "commitments", "concessions"],
            "properties": {"id": {"type": "string"}, "account_id": {"type": "string"},
                           "state": {"type": "string", "enum": ["threatened", "triage_call", "ceo_loop", "executing", "resolved", "closed"]},
                           "opened_at": {"type": "string"}, "clocks": {"type": "array", "items": {"type": "object"}}, "ceo_loop": {"type": "object"},
                           "risks": {"type": "array", "items": {"type": "string"}}, "commitments": {"type": "array", "items": {"type": "object"}},
                           "concessions": {"type": "array", "items": {"type": "object"}}}},
          "NewEscalation": {"type": "object", "required": ["account_id", "channel", "text"],
            "properties": {"account_id": {"type": "string"}, "channel": {"type": "string", "enum": ["slack", "twitter", "linkedin", "email", "ticket", "review_site", "phone", "other"]},
                           "text": {"type": "string"}, "at": {"type": "string"}, "reach": {"type": "integer", "minimum": 0}, "press": {"type": "boolean"}}},
          "Event": {"type": "object", "required": ["event"], "additionalProperties": true,
            "description": "The event's fields are named as its CLI flags without dashes (need_now for --need-now).",
            "properties": {"event": {"type": "string"}, "at": {"type": "string"}}},
          "Draft": {"type": "object", "required": ["markdown", "html", "warnings"],
            "properties": {"kind": {"type": "string"}, "markdown": {"type": "string"}, "html": {"type": "string"}, "warnings": {"type": "array", "items": {"type": "string"}}}},
          "ImportCounts": {"type": "object", "required": ["added", "updated", "skipped"],
            "properties": {"kind": {"type": "string"}, "added": {"type": "integer"}, "updated": {"type": "integer"}, "skipped": {"type": "integer"}}},
          "ImportErrors": {"type": "object", "required": ["error", "errors"],
            "properties": {"error": {"type": "string"}, "errors": {"type": "array", "items": {"type": "object", "properties": {"line": {"type": "integer"}, "column": {"type": "string"}, "message": {"type": "string"}}}}}},
          "User": {"type": "object", "required": ["name", "role"],
            "properties": {"name": {"type": "string"}, "role": {"type": "string", "enum": ["csm", "manager", "exec", "viewer"]}, "email": {"type": "string", "nullable": true}, "password": {"type": "string"}}}
        },
        "parameters": {
          "as_of": {"name": "as_of", "in": "query", "required": false, "schema": {"type": "string"}, "description": "ISO 8601 moment; default now"},
          "id": {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}
        },
        "responses": {
          "Error": {"description": "what was wrong", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        }
      },
      "security": [{"bearer": []}],
      "paths": {
        "/healthz": {"get": {"security": [], "summary": "liveness", "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
        "/metrics": {"get": {"summary": "Prometheus text format", "responses": {"200": {"description": "metrics", "content": {"text/plain": {"schema": {"type": "string"}}}}, "401": {"$ref": "#/components/responses/Error"}}}},
        "/api/openapi.json": {"get": {"summary": "this document", "responses": {"200": {"description": "OpenAPI 3", "content": {"application/json": {"schema": {"type": "object"}}}}, "401": {"$ref": "#/components/responses/Error"}}}},
        "/api/report": {"get": {"summary": "the daily early-warning report",
          "parameters": [{"$ref": "#/components/parameters/as_of"}, {"name": "level", "in": "query", "required": false, "schema": {"type": "string", "enum": ["all"]}}],
          "responses": {"200": {"description": "report", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}}}},
                        "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}}}},
        "/api/accounts/{id}": {"get": {"summary": "one account with the evidence behind each flag",
          "parameters": [{"$ref": "#/components/parameters/id"}, {"$ref": "#/components/parameters/as_of"}],
          "responses": {"200": {"description": "account", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Account"}}}},
                        "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}},
        "/api/imports": {"post": {"summary": "import one CSV export, all or nothing",
          "parameters": [{"name": "skip_bad", "in": "query", "required": false, "schema": {"type": "string", "enum": ["true", "false"]}},
                         {"name": "at", "in": "query", "required": false, "schema": {"type": "string"}}],
          "requestBody": {"required": true, "content": {"text/csv": {"schema": {"type": "string"}}}},
          "responses": {"200": {"description": "counts", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ImportCounts"}}}},
                        "400": {"description": "nothing imported", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ImportErrors"}}}},
                        "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "413": {"$ref": "#/components/responses/Error"}}}},
        "/api/escalations": {
          "get": {"summary": "escalations, the most urgent first",
            "parameters": [{"name": "open", "in": "query", "required": false, "schema": {"type": "string", "enum": ["true", "false"]}}, {"$ref": "#/components/parameters/as_of"}],
            "responses": {"200": {"description": "list", "content": {"application/json": {"schema": {"type": "object", "required": ["escalations"],
                            "properties": {"escalations": {"type": "array", "items": {"$ref": "#/components/schemas/Escalation"}}}}}}},
                          "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}}},
          "post": {"summary": "open an escalation (the threat)",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewEscalation"}}}},
            "responses": {"201": {"description": "opened", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Escalation"}}}},
                          "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"},
                          "404": {"$ref": "#/components/responses/Error"}}}},
        "/api/escalations/{id}": {"get": {"summary": "one escalation as of a moment",
          "parameters": [{"$ref": "#/components/parameters/id"}, {"$ref": "#/components/parameters/as_of"}],
          "responses": {"200": {"description": "escalation", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Escalation"}}}},
                        "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}},
        "/api/escalations/{id}/events": {"post": {"summary": "log one playbook event",
          "parameters": [{"$ref": "#/components/parameters/id"}],
          "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Event"}}}},
          "responses": {"201": {"description": "recorded", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Escalation"}}}},
                        "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"},
                        "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}}}},
        "/api/escalations/{id}/drafts/{kind}": {"get": {"summary": "a draft message",
          "parameters": [{"$ref": "#/components/parameters/id"}, {"name": "kind", "in": "path", "required": true,
                          "schema": {"type": "string", "enum": ["triage", "recap", "ceo", "public", "postmortem"]}}, {"$ref": "#/components/parameters/as_of"}],
          "responses": {"200": {"description": "draft", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Draft"}}}},
                        "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}},
        "/api/users": {
          "get": {"summary": "users (managers only)", "responses": {"200": {"description": "users", "content": {"application/json": {"schema": {"type": "object",
                   "properties": {"users": {"type": "array", "items": {"$ref": "#/components/schemas/User"}}}}}}},
                   "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}}},
          "post": {"summary": "add or change a user (managers only)",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
            "responses": {"201": {"description": "saved", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
                          "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}}}}
      }
    }
    """#
}
