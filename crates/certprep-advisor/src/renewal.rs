//! When a credential expires, when its free renewal assessment opens, and whether the exam's
//! retirement still lets it be renewed.

use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::data::RenewalPolicy;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RenewalStatus {
    /// Valid; the renewal window has not opened yet.
    Valid,
    /// The free renewal assessment can be taken now.
    WindowOpen,
    /// Valid, but the exam retired: it cannot be renewed, and lapses on its expiry.
    CannotRenew,
    Expired,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Renewal {
    pub passed_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub window_opens: NaiveDate,
    pub status: RenewalStatus,
    pub message: String,
}

/// The renewal of a credential earned on `passed_on`, seen on `today`. `retired_on` and
/// `successor` are the exam's; a credential whose exam (and so its renewal assessment) retired
/// before it could be renewed lapses.
pub fn renewal(
    policy: &RenewalPolicy,
    passed_on: NaiveDate,
    today: NaiveDate,
    retired_on: Option<NaiveDate>,
    successor: Option<&str>,
) -> Renewal {
    let expires_on = passed_on
        .checked_add_months(Months::new(policy.valid_months))
        .unwrap_or(passed_on);
    let window_opens = expires_on
        .checked_sub_months(Months::new(policy.window_months))
        .unwrap_or(expires_on);
    let retired = retired_on.filter(|r| *r <= today);
    let successor_text = successor
        .map(|s| {
            format!(
                " Earn its successor {} to stay certified.",
                s.to_ascii_uppercase()
            )
        })
        .unwrap_or_default();
    let (status, message) = if today >= expires_on {
        (
            RenewalStatus::Expired,
            format!("Expired on {expires_on}.{successor_text}"),
        )
    } else if let Some(r) = retired {
        (
            RenewalStatus::CannotRenew,
            format!(
                "Valid until {expires_on}, but the exam and its renewal assessment retired on {r}: it cannot be renewed and lapses on {expires_on}.{successor_text}"
            ),
        )
    } else if today >= window_opens {
        let late = retired_on
            .filter(|r| *r < expires_on)
            .map(|r| format!(" Renew before {r}, when the exam retires."))
            .unwrap_or_default();
        (
            RenewalStatus::WindowOpen,
            format!(
                "Renewal is open: take the free online assessment on Microsoft Learn before {expires_on}.{late}"
            ),
        )
    } else {
        let warning = retired_on
            .filter(|r| *r < expires_on)
            .map(|r| {
                if r <= window_opens {
                    format!(
                        " The exam retires on {r}, before the renewal window opens: it will not be renewable.{successor_text}"
                    )
                } else {
                    format!(" The exam retires on {r}: renew between {window_opens} and {r}.")
                }
            })
            .unwrap_or_default();
        (
            RenewalStatus::Valid,
            format!(
                "Valid until {expires_on}; the free renewal assessment opens on {window_opens}.{warning}"
            ),
        )
    };
    Renewal {
        passed_on,
        expires_on,
        window_opens,
        status,
        message,
    }
}
