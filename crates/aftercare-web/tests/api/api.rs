//! The JSON API: the stateless plan, check and triage with the CONTRACT shapes, the clinic
//! resources with a bearer token, and the generated OpenAPI document.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn the_plan_endpoint_answers_the_contract_shape_and_refuses_bad_values() {
    let app = spawn_app().await;
    let client = reqwest::Client::new();

    let response = client
        .post(app.at("/api/v1/plan"))
        .json(&json!({"treated_at": "2026-11-26 15:00", "tz": "Europe/Berlin", "skin": ["sensitive"], "days": 3}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let plan: Value = response.json().await.unwrap();
    assert_eq!(plan["treated_at"], "2026-11-26T15:00:00+01:00");
    assert_eq!(plan["days"].as_array().unwrap().len(), 3);
    let makeup = plan["restrictions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "makeup")
        .unwrap();
    assert_eq!(makeup["earliest_hours"], 24);
    assert_eq!(makeup["until_hours"], 48);
    assert_eq!(makeup["until"], "2026-11-28T15:00:00+01:00");

    for (body, status, needle) in [
        (
            json!({"treated_at": "2026-11-26 15:00", "tz": "Mars/Olympus"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "tz",
        ),
        (
            json!({"treated_at": "2026-11-26 15:00", "tz": "UTC", "skin": ["greasy"]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "greasy",
        ),
        (
            json!({"treated_at": "2028-01-01T10:00:00Z"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "future",
        ),
        (
            json!({"treated_at": "2026-11-26T15:00:00Z", "days": 0}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "days",
        ),
        (
            json!({"treated": "2026-11-26T15:00:00Z"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "treated",
        ),
    ] {
        let response = client
            .post(app.at("/api/v1/plan"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{body}");
        let error: Value = response.json().await.unwrap();
        assert!(
            error["error"]["message"].as_str().unwrap().contains(needle),
            "{error}"
        );
    }
    let malformed = client
        .post(app.at("/api/v1/plan"))
        .header("content-type", "application/json")
        .body("{\"treated_at\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    let not_json = client
        .post(app.at("/api/v1/plan"))
        .body("treated_at=now")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn the_triage_endpoint_follows_contract_section_5() {
    let app = spawn_app().await;
    let client = reqwest::Client::new();
    let check_in = |extra: Value| {
        let mut body =
            json!({"treated_at": "2026-11-20T15:00:00+01:00", "at": "2026-11-23T09:00:00+01:00"});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };

    let response = client
        .post(app.at("/api/v1/triage"))
        .json(&check_in(
            json!({"id": "c01", "symptoms": ["flaking", "dryness"]}),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let result: Value = response.json().await.unwrap();
    assert_eq!(result["id"], "c01");
    assert_eq!(result["level"], "expected");
    assert!(!result["advice"].as_array().unwrap().is_empty());
    // Even an "expected" result carries the emergency guidance and its source.
    assert_carries_emergency_guidance(&result);

    let fever: Value = client
        .post(app.at("/api/v1/triage"))
        .json(&check_in(json!({"symptoms": [], "temperature_c": 38.0})))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        fever["level"], "urgent",
        "38.0 °C is a fever even when not ticked"
    );
    let emergency: Value = client
        .post(app.at("/api/v1/triage"))
        .json(&check_in(json!({"symptoms": ["throat_swelling"]})))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(emergency["level"], "emergency");
    assert!(
        !emergency["reasons"].as_array().unwrap().is_empty(),
        "every result names its rules"
    );

    for (extra, needle) in [
        (json!({"symptoms": ["sneezing"]}), "sneezing"),
        (json!({"ratings": {"pain": 11}}), "ratings.pain"),
        (json!({"temperature_c": 50.0}), "temperature_c"),
        (
            json!({"at": "2026-11-19T09:00:00+01:00"}),
            "before the treatment",
        ),
    ] {
        let response = client
            .post(app.at("/api/v1/triage"))
            .json(&check_in(extra.clone()))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{extra}"
        );
        let error: Value = response.json().await.unwrap();
        assert!(
            error["error"]["message"].as_str().unwrap().contains(needle),
            "{error}"
        );
        assert_carries_emergency_guidance(&error);
    }

    // A refused check-in may still report a red flag: whatever is wrong with it (not JSON,
    // bad JSON, too big), the answer tells where to turn in an emergency.
    let too_big = check_in(json!({
        "id": "x".repeat(app.settings.limits.body_bytes),
        "symptoms": ["fever"],
    }));
    for (body, content_type, status) in [
        (
            r#"{"symptoms": ["throat_swelling"]"#.to_owned(),
            "application/json",
            StatusCode::BAD_REQUEST,
        ),
        (
            r#"{"symptoms": ["throat_swelling"]}"#.to_owned(),
            "text/plain",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            too_big.to_string(),
            "application/json",
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
        (
            "[]".to_owned(),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let response = client
            .post(app.at("/api/v1/triage"))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{content_type}");
        let error: Value = response.json().await.unwrap();
        assert!(error["error"]["code"].is_string(), "{error}");
        // In the caller's words, not serde's ("expected struct TriageRequest").
        assert!(
            !error["error"]["message"]
                .as_str()
                .unwrap()
                .contains("struct"),
            "{error}"
        );
        assert_carries_emergency_guidance(&error);
    }
}

/// The protocol's emergency guidance with its source, as every triage answer carries it.
fn assert_carries_emergency_guidance(answer: &Value) {
    let text = answer["emergency"]["text"].as_str().unwrap_or_default();
    assert!(text.contains("emergency number"), "{answer}");
    assert!(
        answer["emergency"]["source"]
            .as_str()
            .is_some_and(|s| !s.is_empty()),
        "{answer}"
    );
}

#[tokio::test]
async fn a_practitioner_works_through_the_api_with_a_bearer_token() {
    let app = spawn_app().await;
    let clinic = app.create_clinic("Api Clinic", "ann@api.example").await;
    let client = reqwest::Client::new();

    let wrong = client
        .post(app.at("/api/v1/sessions"))
        .json(&json!({"email": clinic.admin_email, "password": "nope"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let anonymous = client
        .get(app.at("/api/v1/treatments"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        anonymous.json::<Value>().await.unwrap()["error"]["code"],
        "unauthenticated"
    );

    let session: Value = client
        .post(app.at("/api/v1/sessions"))
        .json(&json!({"email": clinic.admin_email, "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = session["token"].as_str().unwrap().to_owned();
    let auth = |request: reqwest::RequestBuilder| request.bearer_auth(&token);

    let bad = auth(client.post(app.at("/api/v1/treatments")))
        .json(&json!({"patient_label": "", "treated_at": "2026-11-24 15:00", "time_zone": "Europe/Berlin"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let created = auth(client.post(app.at("/api/v1/treatments")))
        .json(&json!({
            "patient_label": "A. P. I.",
            "treated_at": "2026-11-24 15:00",
            "time_zone": "Europe/Berlin",
            "skin": ["oily"],
            "areas": ["back"],
            "fitzpatrick": "IV"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    let id = created["treatment"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        created["treatment"]["treated_at"],
        "2026-11-24T15:00:00+01:00"
    );
    assert_eq!(created["treatment"]["day"], 3);
    let link_url = created["patient_link"]["url"].as_str().unwrap().to_owned();
    assert!(link_url.starts_with(&format!("{}/p/", app.url)));

    let link_path = link_url.strip_prefix(&app.url).unwrap().to_owned();
    app.check_in(&link_path, &[("symptoms", "hives"), ("discharge", "none")])
        .await;

    let list: Value = auth(client.get(app.at("/api/v1/treatments")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["latest_level"], "urgent");
    assert_eq!(list[0]["open_alerts"], 1);
    let detail: Value = auth(client.get(app.at(&format!("/api/v1/treatments/{id}"))))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(detail["check_ins"].as_array().unwrap().len(), 1);
    assert_eq!(detail["links"].as_array().unwrap().len(), 1);
    let alerts: Value = auth(client.get(app.at("/api/v1/alerts")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let alert_id = alerts[0]["id"].as_str().unwrap().to_owned();
    let empty_note = auth(client.post(app.at(&format!("/api/v1/alerts/{alert_id}/acknowledge"))))
        .json(&json!({"note": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(empty_note.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let acknowledged: Value =
        auth(client.post(app.at(&format!("/api/v1/alerts/{alert_id}/acknowledge"))))
            .json(&json!({"note": "Antihistamine advice given by phone."}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert!(acknowledged["acknowledged_at"].is_string());

    let link_id = detail["links"][0]["id"].as_str().unwrap();
    let revoked = auth(client.delete(app.at(&format!("/api/v1/treatments/{id}/links/{link_id}"))))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        reqwest::get(&link_url).await.unwrap().status(),
        StatusCode::GONE
    );

    let signed_out = auth(client.delete(app.at("/api/v1/sessions/current")))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_out.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        auth(client.get(app.at("/api/v1/alerts")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_openapi_document_is_generated_from_the_code() {
    let app = spawn_app().await;

    let document = app.openapi_document().await;
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/plan",
        "/api/v1/check",
        "/api/v1/triage",
        "/api/v1/treatments",
        "/api/v1/alerts/{id}/acknowledge",
    ] {
        assert!(
            document["paths"].get(path).is_some(),
            "{path} is documented"
        );
    }
    insta::assert_json_snapshot!("openapi", document);
}

#[tokio::test]
async fn the_check_endpoint_answers_contract_section_4() {
    let app = spawn_app().await;
    let client = reqwest::Client::new();

    let by_hours: Value = client
        .post(app.at("/api/v1/check"))
        .json(&json!({"ingredients": "Aqua, Retinol, Sodium Hyaluronate", "hours": 48}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(by_hours["verdict"], "wait");
    assert_eq!(by_hours["usable_from_hours"], 168);
    assert!(
        by_hours["categories"]
            .as_array()
            .unwrap()
            .contains(&json!("retinoid"))
    );
    let retinol = by_hours["ingredients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["input"] == "Retinol")
        .unwrap();
    assert_eq!(retinol["status"], "wait");

    let dated: Value = client
        .post(app.at("/api/v1/check"))
        .json(&json!({"ingredients": "Aqua, Retinol", "treated_at": "2026-11-26 15:00", "at": "2026-11-27 09:00", "tz": "Europe/Berlin"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(dated["usable_from"], "2026-12-03T15:00:00+01:00");

    for (body, needle) in [
        (json!({"ingredients": ""}), "empty"),
        (json!({"ingredients": "Aqua", "skin": "greasy"}), "greasy"),
        (
            json!({"ingredients": "Aqua", "hours": 3, "day": 2}),
            "at most one",
        ),
        (json!({"ingredients": "Aqua", "type": "potion"}), "potion"),
    ] {
        let response = client
            .post(app.at("/api/v1/check"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
        let error: Value = response.json().await.unwrap();
        assert!(
            error["error"]["message"].as_str().unwrap().contains(needle),
            "{error}"
        );
    }
}
