//! The advisor on the web, on both stores: the advice page and its form, the study plan with
//! its calendar file, real results with renewal, the team's certified counts and the accuracy
//! section of bank health.

mod common;

use axum::http::StatusCode;
use common::{As, Client, on_both_stores};

const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");

async fn post_form(c: &Client, path: &str, body: &str, who: &As) -> common::Response {
    let csrf = who.csrf.clone().unwrap_or_default();
    c.raw(
        "POST",
        path,
        &[FORM],
        format!("csrf={csrf}&{body}").into_bytes(),
        who,
    )
    .await
}

/// Follows a redirect (the pages post, then redirect with a message).
async fn follow(c: &Client, res: &common::Response, who: &As) -> common::Response {
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    let to = res.header("location");
    c.send("GET", &to, None, who).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_advice_page_saves_a_profile_and_explains_the_verdict() {
    on_both_stores(|store, name| async move {
        let c = Client::new(store, |_| {});
        let (_, browser) = c.account("ada@example.com").await;
        let first = c.send("GET", "/advise", None, &browser).await;
        assert_eq!(first.status, StatusCode::OK, "{name}: {}", first.text);
        assert!(first.text.contains("Is it worth it?"), "{name}");
        // With nothing said, the advice is still given, saying what it could not weigh.
        assert!(first.text.contains("Not weighed, as you did not say"), "{name}");
        assert!(first.text.contains("US$255–US$525"), "{name}");

        let saved = post_form(
            &c,
            "/advise",
            "exam=ai-103&role=software-engineer&years=4&foundation=software&foundation=cloud&foundation=data&foundations_said=1&employer_cloud=aws&partner=no&client_facing=no&industry=technology&hours_per_week=6&budget=400&currency=&usd_rate=&fee=&course=0&book=&labs=",
            &browser,
        )
        .await;
        let page = follow(&c, &saved, &browser).await;
        assert_eq!(page.status, StatusCode::OK, "{name}");
        assert!(page.text.contains("Consider an alternative"), "{name}: {}", page.text);
        assert!(page.text.contains("another cloud"), "{name}");
        // The course set to 0: 165 + 0 + 40–60 + 20–100.
        assert!(page.text.contains("US$225–US$325"), "{name}");
        assert!(page.text.contains("your figure"), "{name}");
        assert!(page.text.contains("Google Cloud Professional Machine Learning Engineer"), "{name}");
        // The form shows what was said.
        assert!(page.text.contains("value=\"aws\" selected"), "{name}");

        // AI-102: retired, with what carries over to AI-103.
        let old = c.send("GET", "/advise?exam=ai-102", None, &browser).await;
        assert!(old.text.contains("retired on 2026-06-30"), "{name}");
        assert!(old.text.contains("carries over to AI-103"), "{name}");

        // A mistake keeps what was typed and says why, with a 4xx.
        let bad = post_form(&c, "/advise", "exam=ai-103&hours_per_week=0&budget=12", &browser).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {}", bad.text);
        assert!(bad.text.contains("hours per week must be more than 0"), "{name}");
        assert!(bad.text.contains("value=\"12\""), "{name}");
        let unknown = post_form(&c, "/advise", "exam=ai-103&role=astronaut", &browser).await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        let no_exam = c.send("GET", "/advise?exam=zz-999", None, &browser).await;
        assert!(no_exam.status.is_client_error(), "{name}: {}", no_exam.status);
        // Signed out: to the sign-in page.
        let anon = c.send("GET", "/advise", None, &As::default()).await;
        assert_eq!(anon.status, StatusCode::SEE_OTHER, "{name}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_study_plan_is_made_shown_and_exported_as_a_calendar() {
    on_both_stores(|store, name| async move {
        let c = Client::new(store, |_| {});
        let (_, browser) = c.account("ben@example.com").await;
        let empty = c.send("GET", "/plan/ai-103", None, &browser).await;
        assert_eq!(empty.status, StatusCode::OK, "{name}");
        assert!(empty.text.contains("Make a plan"), "{name}");
        // The clock of the tests is 2026-11-27; twelve weeks at 10 hours reach 80–150's middle.
        let saved = post_form(
            &c,
            "/plan/ai-103",
            "date=2027-02-19&hours_per_week=10",
            &browser,
        )
        .await;
        let page = follow(&c, &saved, &browser).await;
        assert!(page.text.contains("Plan saved."), "{name}");
        assert!(
            page.text.contains("Reachable: 120 hours over 12 week(s)"),
            "{name}: {}",
            page.text
        );
        assert!(
            page.text
                .contains("Adaptive check: find your starting point"),
            "{name}"
        );
        assert!(
            page.text.contains("Final mock exam under the real rules"),
            "{name}"
        );
        assert!(
            page.text.contains("Hours planned and logged per week"),
            "{name}"
        );
        // Too few hours: not reachable, and the page says which date is.
        let short = post_form(
            &c,
            "/plan/ai-103",
            "date=2026-12-20&hours_per_week=3",
            &browser,
        )
        .await;
        let page = follow(&c, &short, &browser).await;
        assert!(page.text.contains("Not reachable"), "{name}: {}", page.text);
        assert!(
            page.text.contains("is the first date for the lower end"),
            "{name}"
        );

        let ics = c.send("GET", "/plan/ai-103/plan.ics", None, &browser).await;
        assert_eq!(ics.status, StatusCode::OK, "{name}");
        assert!(
            ics.header("content-type").starts_with("text/calendar"),
            "{name}"
        );
        assert!(
            ics.header("content-disposition")
                .contains("certprep-ai-103-plan.ics"),
            "{name}"
        );
        let calendar: icalendar::Calendar =
            ics.text.parse().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(calendar.components.len() >= 4, "{name}: {}", ics.text);
        assert!(ics.text.contains("SUMMARY:AI-103 exam"), "{name}");

        // Bad input: a 4xx message on the page, never a 5xx.
        for body in [
            "date=2020-01-01&hours_per_week=5",
            "date=2027-01-10&hours_per_week=lots",
            "date=2027-01-10&hours_per_week=0",
            "date=soon&hours_per_week=5",
        ] {
            let res = post_form(&c, "/plan/ai-103", body, &browser).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{name}: {body}");
            assert!(res.header("location").contains("m="), "{name}: {body}");
        }
        let unknown = post_form(
            &c,
            "/plan/zz-999",
            "date=2027-01-10&hours_per_week=5",
            &browser,
        )
        .await;
        assert!(
            unknown.status.is_client_error(),
            "{name}: {}",
            unknown.status
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_results_show_the_prediction_renewal_and_team_counts() {
    on_both_stores(|store, name| async move {
        let c = Client::new(store, |_| {});
        // The first account is the server's admin: it sees bank health.
        let (admin, admin_browser) = c.account("admin@example.com").await;
        let team = c
            .send(
                "POST",
                "/api/v1/teams",
                Some(r#"{"name":"Partner team"}"#),
                &admin,
            )
            .await
            .json();
        let team = team["id"].as_str().unwrap_or_default().to_string();
        let recorded = post_form(
            &c,
            "/results",
            "exam=ai-103&date=2026-11-20&outcome=pass&score=812",
            &admin_browser,
        )
        .await;
        let page = follow(&c, &recorded, &admin_browser).await;
        assert!(page.text.contains("Recorded."), "{name}: {}", page.text);
        assert!(
            page.text.contains(
                "Valid until 2027-11-20; the free renewal assessment opens on 2027-05-20."
            ),
            "{name}"
        );
        // AI-102 passed before its retirement: valid, but it cannot be renewed.
        let old = post_form(
            &c,
            "/results",
            "exam=ai-102&date=2026-03-02&outcome=pass",
            &admin_browser,
        )
        .await;
        let page = follow(&c, &old, &admin_browser).await;
        assert!(
            page.text
                .contains("cannot be renewed and lapses on 2027-03-02"),
            "{name}: {}",
            page.text
        );

        // The home page reminds of what the retirement does to the AI-102 credential.
        let home = c.send("GET", "/", None, &admin_browser).await;
        assert!(
            home.text.contains("Renewal:</strong> AI-102"),
            "{name}: {}",
            home.text
        );
        // Mistakes: a future day, a score that contradicts the outcome, no outcome.
        for (body, words) in [
            ("exam=ai-103&date=2027-01-01&outcome=pass", "after today"),
            (
                "exam=ai-103&date=2026-11-01&outcome=fail&score=900",
                "is a pass",
            ),
            ("exam=ai-103&date=2026-11-01", "Choose whether you passed"),
            (
                "exam=ai-103&date=2026-11-01&outcome=pass&score=abc",
                "not a whole number",
            ),
        ] {
            let res = post_form(&c, "/results", body, &admin_browser).await;
            let page = follow(&c, &res, &admin_browser).await;
            assert!(page.text.contains(words), "{name}: {body}: {}", page.text);
        }

        // The team counts the certified member.
        let board = c
            .send(
                "GET",
                &format!("/api/v1/teams/{team}?exam=ai-103"),
                None,
                &admin,
            )
            .await
            .json();
        assert_eq!(board["certified"], 1, "{name}: {board}");
        assert_eq!(board["due_for_renewal"], 0, "{name}");
        assert_eq!(
            board["members"][0]["credential"]["expires_on"], "2027-11-20",
            "{name}"
        );
        let html = c
            .send(
                "GET",
                &format!("/teams/{team}?exam=ai-103"),
                None,
                &admin_browser,
            )
            .await;
        assert!(
            html.text.contains("hold the credential now"),
            "{name}: {}",
            html.text
        );

        // Bank health: the accuracy section says how many results it has and waits for enough.
        let health = c.send("GET", "/bank/health", None, &admin_browser).await;
        assert!(
            health
                .text
                .contains("How well certprep predicted real results"),
            "{name}"
        );
        assert!(
            health.text.contains("the figures appear from 10"),
            "{name}: {}",
            health.text
        );
        let api = c
            .send("GET", "/api/v1/bank/health", None, &admin)
            .await
            .json();
        assert_eq!(api["prediction_accuracy"]["minimum"], 10, "{name}");

        // Deleting a result: only one's own.
        let (_, other) = c.account("other@example.com").await;
        let theirs = post_form(&c, "/results/1/delete", "", &other).await;
        let page = follow(&c, &theirs, &other).await;
        assert!(
            page.text.contains("no recorded result #1"),
            "{name}: {}",
            page.text
        );
        let list = c.send("GET", "/results", None, &admin_browser).await;
        let id = list
            .text
            .split("action=\"/results/")
            .nth(1)
            .and_then(|s| s.split('/').next())
            .unwrap_or_default()
            .to_string();
        let deleted = post_form(&c, &format!("/results/{id}/delete"), "", &admin_browser).await;
        let page = follow(&c, &deleted, &admin_browser).await;
        assert!(page.text.contains("Result deleted."), "{name}");
    })
    .await;
}
