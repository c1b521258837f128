//! The OpenAPI 3.1 document of the JSON API, served at `/api/openapi.json`. Written next to the
//! routes it describes; a test checks that every path it lists is routed.

use axum::Json;
use serde_json::{Value, json};

fn error_response(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

fn body(schema: &str) -> Value {
    json!({ "required": true, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } })
}

fn ok(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "type": "object" } } } })
}

fn session_id() -> Value {
    json!([{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }])
}

fn exam_query(required: bool) -> Value {
    json!([{ "name": "exam", "in": "query", "required": required, "schema": { "type": "string", "examples": ["ai-103"] } }])
}

fn team_params() -> Value {
    json!([
        { "name": "id", "in": "path", "required": true, "schema": { "type": "string" } },
        { "name": "exam", "in": "query", "required": false, "schema": { "type": "string", "default": "ai-103" } }
    ])
}

/// The document as JSON.
pub fn spec() -> Value {
    let auth_errors = |mut responses: serde_json::Map<String, Value>| {
        responses.insert("401".into(), error_response("not signed in"));
        responses.insert(
            "403".into(),
            error_response("cross-site request refused, or the account's role does not allow it"),
        );
        responses.insert(
            "404".into(),
            error_response("no such session for this account"),
        );
        responses.insert(
            "422".into(),
            error_response("the request breaks a rule or has a wrong shape"),
        );
        Value::Object(responses)
    };
    let map = |v: Value| v.as_object().cloned().unwrap_or_default();
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "certprep API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Practice sessions and mock exams over the certprep engine. Sign in with /api/v1/auth/login; use the session cookie with a same-origin Origin header (or X-CSRF-Token), or send `Authorization: Bearer TOKEN`."
        },
        "components": {
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer" },
                "cookie": { "type": "apiKey", "in": "cookie", "name": crate::auth::COOKIE }
            },
            "schemas": {
                "Error": { "type": "object", "required": ["error"], "properties": { "error": { "type": "string" } } },
                "Credentials": {
                    "type": "object", "required": ["email", "password"], "additionalProperties": false,
                    "properties": { "email": { "type": "string", "format": "email" }, "password": { "type": "string", "minLength": 10, "maxLength": 1024 } }
                },
                "StartSession": {
                    "type": "object", "required": ["exam"], "additionalProperties": false,
                    "properties": {
                        "exam": { "type": "string", "examples": ["ai-103"] },
                        "mode": { "type": "string", "enum": ["study", "exam", "custom", "adaptive"], "description": "adaptive: the adaptive readiness check (items chosen one at a time near the cut until pass or fail is decided, at most 30; no feedback and no going back)" },
                        "seed": { "type": "integer", "minimum": 0 },
                        "outline": { "type": "string", "format": "date" },
                        "domains": { "type": "array", "items": { "type": "string" } },
                        "objectives": { "type": "array", "items": { "type": "string" } },
                        "missed": { "type": "boolean" }, "marked": { "type": "boolean" }, "unseen": { "type": "boolean" },
                        "count": { "type": "integer", "minimum": 1, "maximum": 1000 },
                        "minutes": { "type": "integer", "minimum": 1, "maximum": 1440 },
                        "pausable": { "type": "boolean" },
                        "form": { "type": "string", "description": "A fixed form (published practice test) by id; sat as an exam unless mode is study" },
                        "shuffle": { "type": "boolean", "default": true, "description": "Show each item's options, actions, sources and drop-down choices in an order drawn from the seed, lettered as shown; answers use the letters shown. false keeps the written order" }
                    }
                },
                "Answer": {
                    "type": "object", "required": ["item_id", "answer"], "additionalProperties": false,
                    "properties": {
                        "item_id": { "type": "string" },
                        "answer": { "description": "See docs/answers.md: \"B\", [\"A\",\"C\"], [true,false,null], true …, in the letters the session shows (its display order)" },
                        "confidence": { "type": "string", "enum": ["low", "medium", "high"], "description": "How sure you are (guess, think so, sure): feeds spaced repetition only, never the score" }
                    }
                },
                "NewTeam": { "type": "object", "required": ["name"], "additionalProperties": false, "properties": { "name": { "type": "string", "minLength": 1, "maxLength": 100 } } },
                "JoinTeam": { "type": "object", "required": ["code"], "additionalProperties": false, "properties": { "code": { "type": "string" } } },
                "ExamRef": { "type": "object", "required": ["exam"], "additionalProperties": false, "properties": { "exam": { "type": "string", "examples": ["ai-103"] } } },
                "ExamDate": { "type": "object", "required": ["exam", "date"], "additionalProperties": false, "properties": { "exam": { "type": "string", "examples": ["ai-103"] }, "date": { "type": "string", "format": "date", "description": "YYYY-MM-DD, today or later" } } },
                "Calibrate": { "type": "object", "additionalProperties": false, "properties": { "three_pl": { "type": "boolean", "default": false, "description": "fit a guessing parameter (3PL) as well" } } },
                "Item": { "type": "object", "required": ["item_id"], "additionalProperties": false, "properties": { "item_id": { "type": "string" } } },
                "NewReport": {
                    "type": "object", "required": ["item_id", "kind", "note"], "additionalProperties": false,
                    "properties": {
                        "item_id": { "type": "string" },
                        "kind": { "type": "string", "enum": ["wrong-key", "ambiguous", "outdated", "typo", "other"] },
                        "note": { "type": "string", "minLength": 1, "maxLength": 2000, "description": "what is wrong and why" },
                        "session_id": { "type": "string", "description": "where the answer was shown (default: found from the caller's answers)" }
                    }
                },
                "Resolve": {
                    "type": "object", "required": ["resolution", "note"], "additionalProperties": false,
                    "properties": {
                        "resolution": { "type": "string", "enum": ["fixed", "rejected", "duplicate"] },
                        "note": { "type": "string", "minLength": 1, "maxLength": 2000, "description": "what the reporter reads: what was fixed, why the item stands, or which report it duplicates" }
                    }
                }
            }
        },
        "security": [{ "bearer": [] }, { "cookie": [] }],
        "paths": {
            "/healthz": { "get": { "security": [], "responses": { "200": { "description": "the server is up", "content": { "text/plain": { "schema": { "type": "string" } } } } } } },
            "/api/v1/auth/register": { "post": {
                "security": [], "requestBody": body("Credentials"),
                "responses": { "202": ok("the same answer whether the email was free or already had an account (so a sign-up form cannot tell which emails have one); sign in next with POST /api/v1/auth/login"), "400": error_response("invalid email, or a password that is short, common or the email itself (the message says why)"), "429": error_response("too many sign-ups from this address this minute") }
            } },
            "/api/v1/auth/login": { "post": {
                "security": [], "requestBody": body("Credentials"),
                "responses": { "200": ok("signed in; a new session cookie and token"), "400": error_response("invalid email"), "401": error_response("wrong email or password (the same answer, and the same work, for an unknown email)"), "429": error_response("too many failed sign-ins from this address this minute; failures on one account slow further attempts on it instead, and a correct password still signs in") }
            } },
            "/api/v1/auth/logout": { "post": { "responses": auth_errors(map(json!({ "204": { "description": "signed out" } }))) } },
            "/api/v1/me": { "get": { "responses": auth_errors(map(json!({ "200": ok("the signed-in account") }))) } },
            "/api/v1/exams": { "get": { "security": [], "responses": { "200": ok("the exam catalog") } } },
            "/api/v1/sessions": { "post": { "requestBody": body("StartSession"), "responses": auth_errors(map(json!({ "201": ok("the new session: session_id, mode, deadline, items, current") }))) } },
            "/api/v1/sessions/{id}": { "get": { "parameters": session_id(), "responses": auth_errors(map(json!({ "200": ok("the session and its current item (no key before submission in exam mode); every position (lines, review, current) counts from 1, as shown to people; options, actions, sources and drop-down choices are lettered in the session's display order") }))) } },
            "/api/v1/sessions/{id}/answers": { "post": { "parameters": session_id(), "requestBody": body("Answer"), "responses": auth_errors(map(json!({ "200": ok("the answer is durable"), "409": error_response("refused by the exam rules") }))) } },
            "/api/v1/sessions/{id}/goto": { "post": { "parameters": session_id(), "requestBody": body("Item"), "responses": auth_errors(map(json!({ "200": ok("the session on that item"), "409": error_response("refused by the exam rules") }))) } },
            "/api/v1/sessions/{id}/mark": { "post": { "parameters": session_id(), "requestBody": body("Item"), "responses": auth_errors(map(json!({ "200": ok("marked or unmarked"), "409": error_response("refused by the exam rules") }))) } },
            "/api/v1/sessions/{id}/submit": { "post": { "parameters": session_id(), "responses": auth_errors(map(json!({ "200": ok("the score report: scaled_score, passed, points, max_points, domains") }))) } },
            "/api/v1/history": { "get": { "responses": auth_errors(map(json!({ "200": ok("the account's sessions, newest first") }))) } },
            "/api/v1/readiness": { "get": { "parameters": exam_query(true), "responses": auth_errors(map(json!({ "200": ok("readiness for the exam's current outline: pass_probability, interval [low, high], theta, se, cut, items_answered, domains, timeline, exam_date, objectives, note"), "400": error_response("no exam named") }))) } },
            "/api/v1/review": { "get": { "parameters": exam_query(false), "responses": auth_errors(map(json!({ "200": ok("the items due for review (most forgotten first), studied, next_due; only the exam's items when one is named") }))) } },
            "/api/v1/review/start": { "post": { "requestBody": body("ExamRef"), "responses": auth_errors(map(json!({ "201": ok("a study session of the items due for review, as POST /sessions returns it") }))) } },
            "/api/v1/next": { "get": { "parameters": exam_query(true), "responses": auth_errors(map(json!({ "200": ok("what to do next: exam, activity {kind: review|practise|mock_exam|adaptive_check}, reason, command"), "400": error_response("no exam named") }))) } },
            "/api/v1/exam-date": { "put": { "requestBody": body("ExamDate"), "responses": auth_errors(map(json!({ "200": ok("the planned exam date: exam, date"), "400": error_response("a malformed date or one in the past") }))) } },
            "/api/v1/bank/health": { "get": { "responses": auth_errors(map(json!({ "200": ok("item analysis over every user's answers: items (facility, discrimination_index, point_biserial, distractors, flags), forms (kr20, alpha); instructors and admins only") }))) } },
            "/api/v1/calibrate": { "post": { "requestBody": body("Calibrate"), "responses": auth_errors(map(json!({ "200": ok("the calibration report: candidates, responses, items, converged, reliability, usable, misfitting, calibrated; admins only") }))) } },
            "/api/v1/disputes": {
                "get": {
                    "parameters": [
                        { "name": "open", "in": "query", "schema": { "type": "boolean" }, "description": "only reports not yet resolved" },
                        { "name": "item", "in": "query", "schema": { "type": "string" }, "description": "only reports about this item" },
                        { "name": "mine", "in": "query", "schema": { "type": "boolean" }, "description": "only the caller's own (always so for members)" }
                    ],
                    "responses": auth_errors(map(json!({ "200": ok("reports, newest first: id, item_id, item_version, kind, note, created_at, and once resolved resolution, resolution_note, resolved_at; instructors and admins see everyone's") })))
                },
                "post": { "requestBody": body("NewReport"), "responses": auth_errors(map(json!({ "201": ok("the report, stored with the item's version"), "409": error_response("the item's answer has not been shown to the caller yet"), "422": error_response("unknown item or kind, or a missing or too long note"), "429": error_response("too many reports this minute") }))) }
            },
            "/api/v1/disputes/{id}/resolve": { "post": {
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
                "requestBody": body("Resolve"),
                "responses": auth_errors(map(json!({ "200": ok("the resolved report; the reporter sees the resolution and its note"), "403": error_response("instructors and admins only"), "404": error_response("no such report") })))
            } },
            "/api/v1/teams": {
                "get": { "responses": auth_errors(map(json!({ "200": ok("your teams and your role in each") }))) },
                "post": { "requestBody": body("NewTeam"), "responses": auth_errors(map(json!({ "201": ok("the team, with its invite code; you are its instructor"), "400": error_response("bad name") }))) }
            },
            "/api/v1/teams/join": { "post": { "requestBody": body("JoinTeam"), "responses": auth_errors(map(json!({ "200": ok("the team joined and your role") }))) } },
            "/api/v1/teams/{id}": { "get": { "parameters": team_params(), "responses": auth_errors(map(json!({ "200": ok("the dashboard: members (instructors see all), domain averages, projected passes") }))) } },
            "/api/v1/teams/{id}/export.csv": { "get": { "parameters": team_params(), "responses": auth_errors(map(json!({ "200": { "description": "the dashboard as CSV", "content": { "text/csv": { "schema": { "type": "string" } } } } }))) } }
        }
    })
}

pub async fn document() -> Json<Value> {
    Json(spec())
}
