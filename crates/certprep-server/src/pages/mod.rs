//! Server-rendered pages (askama), usable without JavaScript: sign up, sign in, home, catalog,
//! a session's items of every type, review, results with an SVG chart, history with the score
//! trend. Forms carry CSRF tokens: the signed-in session's, or before sign-in a double-submit
//! cookie. Every change goes through the same service as the API.

mod accounts;
mod advisor;
mod disputes;
mod home;
mod learning;
mod sessions;
mod teams;

pub use accounts::*;
pub use advisor::*;
pub use disputes::*;
pub use home::*;
pub use learning::*;
pub use sessions::*;
pub use teams::*;

use askama::Template;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use certprep_domain::form::CustomFilter;
use certprep_domain::grading::Answer;
use certprep_domain::item::ItemKind;
use certprep_domain::present::PresentedItem;
use certprep_domain::session::{Confidence, Mode};
use certprep_service::learning::Activity;
use certprep_service::{Service, StartRequest};
use certprep_store::{Account, SessionSummary, Store};
use serde::Deserialize;

use crate::api::ClientAddr;
use crate::auth;
use crate::error::ApiError;
use crate::state::AppState;

pub(crate) const FORM_CSRF_COOKIE: &str = "certprep_form_csrf";

/// Markdown to HTML with raw HTML escaped (bank text is data, never markup to trust).
pub fn markdown(md: &str) -> String {
    use pulldown_cmark::{Event, Parser, html};
    let events = Parser::new(md).map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    // A code block may scroll sideways: keyboard users must be able to reach it to scroll it.
    out.replace("<pre>", "<pre tabindex=\"0\">")
}

/// Markdown of one line of text (an option, a statement, a note, a message) as inline HTML: the
/// paragraph a renderer wraps around a single line is dropped, so it sits inside a label or a
/// table cell. Raw HTML is escaped, as in [`markdown`].
pub fn inline_markdown(md: &str) -> String {
    let html = markdown(md);
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|rest| rest.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => html,
    }
}

/// Markdown whose `{{N}}` placeholders (in prose or inside code) become `fill(N)`: the
/// drop-downs of a "complete the code" item sit in their places in the text, in order.
pub fn markdown_with_slots(md: &str, fill: impl Fn(u32) -> String) -> String {
    // Private-use characters survive Markdown and HTML escaping untouched.
    const OPEN: char = '\u{E000}';
    const CLOSE: char = '\u{E001}';
    let mut marked = String::with_capacity(md.len());
    let mut rest = md;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() && after[digits.len()..].starts_with("}}") {
            marked.push_str(&rest[..start]);
            marked.push(OPEN);
            marked.push_str(&digits);
            marked.push(CLOSE);
            rest = &after[digits.len() + 2..];
        } else {
            marked.push_str(&rest[..start + 2]);
            rest = after;
        }
    }
    marked.push_str(rest);
    let html = markdown(&marked);
    let mut seen = std::collections::BTreeSet::new();
    let mut out = String::with_capacity(html.len());
    let mut chars = html.split(OPEN);
    if let Some(first) = chars.next() {
        out.push_str(first);
    }
    for part in chars {
        match part.split_once(CLOSE) {
            Some((n, tail)) => {
                match n.parse::<u32>() {
                    // A placeholder used twice: one drop-down, and its choice echoed.
                    Ok(number) if !seen.insert(number) => out.push_str(&format!(
                        "<span class=\"slot-echo\" data-echo=\"slot{number}\">[drop-down {number}]</span>"
                    )),
                    Ok(number) => out.push_str(&fill(number)),
                    Err(_) => out.push_str(n),
                }
                out.push_str(tail);
            }
            None => out.push_str(part),
        }
    }
    out
}

/// The header's state: who is signed in and the token their forms carry.
#[derive(Debug, Clone, Default)]
pub struct Nav {
    pub email: Option<String>,
    pub csrf: String,
    /// A status message as HTML (see [`message_html`]).
    pub message: Option<String>,
    /// Instructors and admins: the nav links the bank health page.
    pub staff: bool,
}

/// The signed-in user of a page, if any. Pages check the CSRF token of forms themselves.
pub struct Viewer(pub Option<(Account, String, String)>);

impl FromRequestParts<AppState> for Viewer {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(token) = cookie(&parts.headers, auth::COOKIE) else {
            return Ok(Viewer(None));
        };
        let hash = auth::token_hash(&token);
        let found = state.store.web_session(&hash, state.now()).await?;
        Ok(Viewer(found.map(|(account, csrf)| (account, csrf, hash))))
    }
}

pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|p| p.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_string())
}

pub(crate) fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => ApiError::internal(format!("template: {e}")).into_response(),
    }
}

#[derive(Template)]
#[template(path = "problem.html")]
pub(crate) struct ProblemPage {
    title: String,
    nav: Nav,
    message: String,
    /// The answer the candidate chose and that could not be saved, in words.
    kept: Option<String>,
    link: Option<(String, String)>,
}

/// A page that says what went wrong, in words, with the candidate's unsaved answer when there
/// is one: never a raw JSON error in the browser.
pub(crate) fn render_problem(
    viewer: &Option<(Account, String, String)>,
    status: StatusCode,
    title: &str,
    message: &str,
    kept: Option<String>,
    link: Option<(String, String)>,
) -> Response {
    let page = ProblemPage {
        title: title.to_string(),
        nav: nav(viewer, None),
        message: message.to_string(),
        kept,
        link,
    };
    let mut response = render(&page);
    *response.status_mut() = status;
    response
}

pub(crate) fn problem(
    viewer: &Option<(Account, String, String)>,
    status: StatusCode,
    title: &str,
    message: &str,
) -> Response {
    render_problem(
        viewer,
        status,
        title,
        message,
        None,
        Some(("/".into(), "Home".into())),
    )
}

/// A service error as a page: a missing session is a 404, a refusal by the rules a 409 or 422
/// with its reason; only a failure underneath is a 500.
pub(crate) fn problem_for(
    viewer: &Option<(Account, String, String)>,
    e: certprep_service::ServiceError,
) -> Response {
    let message = e.to_string();
    let status = ApiError::from(e).status;
    let title = match status {
        StatusCode::NOT_FOUND => "Not found",
        s if s.is_client_error() => "That cannot be done",
        _ => "Something went wrong",
    };
    problem(viewer, status, title, &message)
}

pub(crate) fn to_signin() -> Response {
    Redirect::to("/signin").into_response()
}

/// A status message (often from the address, so never trusted) as HTML: everything escaped,
/// and only `code` spans rendered, so no Markdown backtick reaches the page and no link can be
/// smuggled in.
pub(crate) fn message_html(m: &str) -> String {
    let escaped = m
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;");
    let parts: Vec<&str> = escaped.split('`').collect();
    let backticks = parts.len() - 1;
    let mut out = String::with_capacity(escaped.len());
    for (i, part) in parts.iter().enumerate() {
        // Segment i lies between backticks i-1 and i: code when both exist.
        if i % 2 == 1 && i < backticks {
            out.push_str("<code>");
            out.push_str(part);
            out.push_str("</code>");
        } else {
            out.push_str(part);
        }
    }
    out
}

pub(crate) fn nav(viewer: &Option<(Account, String, String)>, message: Option<String>) -> Nav {
    Nav {
        email: viewer.as_ref().map(|v| v.0.email.clone()),
        csrf: viewer.as_ref().map(|v| v.1.clone()).unwrap_or_default(),
        message: message.as_deref().map(message_html),
        staff: viewer
            .as_ref()
            .is_some_and(|v| crate::api::is_staff(v.0.role)),
    }
}

/// Form fields as pairs (repeated keys kept, for multiple-response checkboxes).
pub struct FormPairs(pub Vec<(String, String)>);

impl FormPairs {
    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
    fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

impl<S: Send + Sync> axum::extract::FromRequest<S> for FormPairs {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::new(e.status(), e.body_text()))?;
        let pairs: Vec<(String, String)> = form_urlencoded::parse(&bytes).into_owned().collect();
        // Text fields may span lines; nothing may hold NUL or other control characters, which
        // the database or a response header would refuse.
        if pairs.iter().any(|(k, v)| {
            crate::hardening::has_control(k, false) || crate::hardening::has_control(v, true)
        }) {
            return Err(ApiError::bad_request(
                "the form holds a control character (such as NUL): remove it and send it again",
            ));
        }
        Ok(FormPairs(pairs))
    }
}

/// The signed-in sender of a state-changing form, once its CSRF token checks out; otherwise the
/// response to send instead (to sign-in, or 403).
pub(crate) fn form_sender<'v>(
    viewer: &'v Option<(Account, String, String)>,
    form: &FormPairs,
) -> Result<&'v Account, Box<Response>> {
    let Some((account, csrf, _)) = viewer else {
        return Err(Box::new(to_signin()));
    };
    check_form_csrf(form, csrf).map_err(|e| Box::new(e.into_response()))?;
    Ok(account)
}

pub(crate) fn check_form_csrf(form: &FormPairs, expected: &str) -> Result<(), ApiError> {
    match form.get("csrf") {
        Some(t) if !expected.is_empty() && t == expected => Ok(()),
        _ => Err(ApiError::forbidden(
            "the form has expired or came from another site: reload the page and try again",
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Sign up, sign in, sign out

/// Where a learning form goes back to: a path of ours (never another site), else home.
pub(crate) fn back_to(form: &FormPairs, default: &str) -> String {
    form.get("back")
        .and_then(crate::hardening::local_path)
        .unwrap_or(default)
        .to_string()
}

pub(crate) fn with_message(path: &str, m: &str) -> Response {
    let sep = if path.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{path}{sep}m={}", urlencode(m))).into_response()
}
