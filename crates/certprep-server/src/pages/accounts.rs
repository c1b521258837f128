//! Sign up, sign in and sign out.

use super::*;

#[derive(Template)]
#[template(path = "auth.html")]
pub(crate) struct AuthPage {
    title: &'static str,
    nav: Nav,
    action: &'static str,
    form_csrf: String,
    email: String,
    error: Option<String>,
    notice: Option<&'static str>,
    autocomplete: &'static str,
    other: &'static str,
}

pub(crate) fn auth_page(
    signup: bool,
    headers: &HeaderMap,
    email: String,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    auth_page_with(signup, headers, email, error, None, status)
}

fn auth_page_with(
    signup: bool,
    headers: &HeaderMap,
    email: String,
    error: Option<String>,
    notice: Option<&'static str>,
    status: StatusCode,
) -> Response {
    let token = cookie(headers, FORM_CSRF_COOKIE)
        .filter(|t| t.len() == 64)
        .unwrap_or_else(auth::new_token);
    let page = AuthPage {
        title: if signup { "Sign up" } else { "Sign in" },
        nav: Nav::default(),
        action: if signup { "/signup" } else { "/signin" },
        form_csrf: token.clone(),
        email,
        error,
        notice,
        autocomplete: if signup {
            "new-password"
        } else {
            "current-password"
        },
        other: if signup {
            "Already have an account? <a href=\"/signin\">Sign in</a>."
        } else {
            "New here? <a href=\"/signup\">Sign up</a>."
        },
    };
    let mut response = render(&page);
    *response.status_mut() = status;
    let value = format!("{FORM_CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
    if let Ok(v) = HeaderValue::from_str(&value) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

pub async fn signin_page(headers: HeaderMap, Query(q): Query<Message>) -> Response {
    let mut page = auth_page(false, &headers, String::new(), None, StatusCode::OK);
    // After a sign-up: the same words whether the email was free or not.
    if q.m.as_deref() == Some("registered") {
        page = auth_page_with(
            false,
            &headers,
            String::new(),
            None,
            Some(crate::api::REGISTERED),
            StatusCode::OK,
        );
    }
    page
}

pub async fn signup_page(headers: HeaderMap) -> Response {
    auth_page(true, &headers, String::new(), None, StatusCode::OK)
}

pub(crate) async fn auth_submit(
    state: AppState,
    client: String,
    headers: HeaderMap,
    form: FormPairs,
    signup: bool,
) -> Response {
    let email = form.get("email").unwrap_or_default().to_string();
    let fail = |msg: String, status| auth_page(signup, &headers, email.clone(), Some(msg), status);
    let expected = cookie(&headers, FORM_CSRF_COOKIE).unwrap_or_default();
    if let Err(e) = check_form_csrf(&form, &expected) {
        return fail(e.message, StatusCode::FORBIDDEN);
    }
    let body = crate::api::Credentials {
        email: email.clone(),
        password: form.get("password").unwrap_or_default().to_string(),
    };
    if signup {
        // Whether the email was free or not, the answer is the same: sign in next.
        return match crate::api::register_account(&state, &client, body).await {
            Ok(_) => Redirect::to("/signin?m=registered").into_response(),
            Err(e) => fail(e.message, e.status),
        };
    }
    let account = match crate::api::login_account(&state, &client, body).await {
        Ok(a) => a,
        Err(e) => return fail(e.message, e.status),
    };
    match crate::api::start_web_session(&state, &account, cookie(&headers, auth::COOKIE)).await {
        Ok((token, _)) => {
            let mut r = Redirect::to("/").into_response();
            if let Ok(v) =
                HeaderValue::from_str(&auth::session_cookie(&token, state.secure(&headers)))
            {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            r
        }
        Err(e) => e.into_response(),
    }
}

pub async fn signin_submit(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    form: FormPairs,
) -> Response {
    auth_submit(state, client, headers, form, false).await
}

pub async fn signup_submit(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    form: FormPairs,
) -> Response {
    auth_submit(state, client, headers, form, true).await
}

pub async fn signout(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    headers: HeaderMap,
    form: FormPairs,
) -> Response {
    let Some((_, csrf, hash)) = viewer else {
        return to_signin();
    };
    if let Err(e) = check_form_csrf(&form, &csrf) {
        return e.into_response();
    }
    if let Err(e) = state.store.delete_web_session(&hash).await {
        return ApiError::from(e).into_response();
    }
    let mut r = Redirect::to("/signin").into_response();
    if let Ok(v) = HeaderValue::from_str(&auth::clear_cookie(state.secure(&headers))) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

// ---------------------------------------------------------------------------------------------
// Home, catalog, history
