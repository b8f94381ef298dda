//! Regressions found by API fuzzing (`tools/api-fuzz`: schemathesis against
//! `/api/openapi.json`, see docs/reliability.md): each test pins one answer that broke the
//! published schema or answered 5xx.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

/// The JSON types a schema's `type` allows (a single name or a list; none when it has none).
fn types(schema: &Value) -> Vec<String> {
    match &schema["type"] {
        Value::String(name) => vec![name.clone()],
        Value::Array(names) => names
            .iter()
            .filter_map(|n| n.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Schemathesis, seed 1: `POST /api/v1/triage` with `"id": 0` answered `{"id": 0, …}`, but the
/// document said the id is a string or null. CONTRACT §5 takes a string or a number and echoes
/// it as given, so the document now says so, in the request and in the answer.
#[tokio::test]
async fn a_numeric_triage_id_is_echoed_and_the_document_allows_it() {
    let app = spawn_app().await;
    let client = reqwest::Client::new();
    let document = app.openapi_document().await;
    let schemas = &document["components"]["schemas"];
    for name in ["TriageRequest", "TriageResponse"] {
        let allowed = types(&schemas[name]["properties"]["id"]);
        for expected in ["string", "number", "null"] {
            assert!(
                allowed.iter().any(|t| t == expected),
                "{name}.id allows {allowed:?}"
            );
        }
    }
    let allowed = types(&schemas["TriageResponse"]["properties"]["id"]);
    for id in [json!(0), json!(7.5), json!("abc-1")] {
        let response = client
            .post(app.at("/api/v1/triage"))
            .json(&json!({
                "id": id,
                "treated_at": "2026-11-20T15:00:00+01:00",
                "at": "2026-11-23T09:00:00+01:00",
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["id"], id);
        assert!(allowed.iter().any(|t| t == json_type(&body["id"])));
    }
}

/// Schemathesis `status_code_conformance` (ST103): a body that is not `application/json`
/// got `415`, and a malformed one `400`/`422`, on operations whose documented responses did not
/// list them. Every operation with a JSON body now documents them, and each is really answered
/// with the error body the document names.
#[tokio::test]
async fn every_json_body_operation_documents_the_extractor_answers_it_gives() {
    let app = spawn_app().await;
    let client = reqwest::Client::new();
    let document = app.openapi_document().await;
    let mut with_body = 0;
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if operation.get("requestBody").is_none() {
                continue;
            }
            with_body += 1;
            // The triage's errors also carry the emergency guidance.
            let schema = if path == "/api/v1/triage" {
                "#/components/schemas/TriageErrorResponse"
            } else {
                "#/components/schemas/ErrorResponse"
            };
            for status in ["400", "413", "415", "422"] {
                assert_eq!(
                    operation["responses"][status]["content"]["application/json"]["schema"]["$ref"],
                    schema,
                    "{method} {path} documents {status}"
                );
            }
        }
    }
    assert!(with_body >= 6, "only {with_body} operations with a body");

    // The answers themselves, on the operation the fuzzer found first (no session needed).
    let cases = [
        ("text/plain", "{}", StatusCode::UNSUPPORTED_MEDIA_TYPE),
        ("application/json", "{", StatusCode::BAD_REQUEST),
        ("application/json", "{}", StatusCode::UNPROCESSABLE_ENTITY),
    ];
    for (content_type, body, expected) in cases {
        let response = client
            .post(app.at("/api/v1/sessions"))
            .header("Content-Type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), expected, "{content_type} {body}");
        let answer: Value = response.json().await.unwrap();
        assert!(answer["error"]["code"].is_string(), "{answer}");
    }
}
