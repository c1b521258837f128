//! Reports of a problem with an item (a wrong key, an ambiguous stem, outdated facts, a typo),
//! filed by the people who answer it and resolved by its authors. A report names the item's
//! version, so once the item changes, a report against the old version no longer flags it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The longest note a report or a resolution may carry, in characters.
pub const NOTE_MAX_CHARS: usize = 2000;

/// What is wrong with the item, in the reporter's view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DisputeKind {
    WrongKey,
    Ambiguous,
    Outdated,
    Typo,
    Other,
}

impl DisputeKind {
    pub const ALL: [DisputeKind; 5] = [
        DisputeKind::WrongKey,
        DisputeKind::Ambiguous,
        DisputeKind::Outdated,
        DisputeKind::Typo,
        DisputeKind::Other,
    ];

    pub fn parse(s: &str) -> Option<DisputeKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DisputeKind::WrongKey => "wrong-key",
            DisputeKind::Ambiguous => "ambiguous",
            DisputeKind::Outdated => "outdated",
            DisputeKind::Typo => "typo",
            DisputeKind::Other => "other",
        }
    }

    /// In words, for the form that files a report.
    pub fn describe(self) -> &'static str {
        match self {
            DisputeKind::WrongKey => "The key is wrong",
            DisputeKind::Ambiguous => "More than one answer is defensible",
            DisputeKind::Outdated => "Outdated: the service or the documentation changed",
            DisputeKind::Typo => "A typo or a formatting problem",
            DisputeKind::Other => "Something else",
        }
    }
}

/// How an author closed a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Resolution {
    /// The report is right: the item is (or will be) corrected in a new version.
    Fixed,
    /// The item stands; the note says why.
    Rejected,
    /// Another report already covers it.
    Duplicate,
}

impl Resolution {
    pub const ALL: [Resolution; 3] = [
        Resolution::Fixed,
        Resolution::Rejected,
        Resolution::Duplicate,
    ];

    pub fn parse(s: &str) -> Option<Resolution> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Fixed => "fixed",
            Resolution::Rejected => "rejected",
            Resolution::Duplicate => "duplicate",
        }
    }
}

/// A report and, once an author closed it, how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispute {
    pub id: i64,
    /// The reporter's user id.
    pub user: String,
    /// The reporter's email, where the account has one (the terminal app's user has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reporter_email: Option<String>,
    pub item_id: String,
    /// The version of the item the reporter saw.
    pub item_version: u32,
    /// The session the item was answered in, if the report came from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    pub kind: DisputeKind,
    pub note: String,
    pub created_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Resolution>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution_note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<DateTime<Utc>>,
}

impl Dispute {
    pub fn is_open(&self) -> bool {
        self.resolution.is_none()
    }

    /// An upheld wrong-key report flags the item until its version moves past the one
    /// reported: the fix has not shipped while the bank still serves that version.
    pub fn flags(&self, current_version: u32) -> bool {
        self.kind == DisputeKind::WrongKey
            && self.resolution == Some(Resolution::Fixed)
            && current_version <= self.item_version
    }
}

/// Trims a note and checks its length; `what` names it in the message.
pub fn checked_note(note: &str, what: &str, required: bool) -> Result<String, String> {
    let note = note.trim();
    if required && note.is_empty() {
        return Err(format!("{what} is required: say what is wrong and why"));
    }
    let chars = note.chars().count();
    if chars > NOTE_MAX_CHARS {
        return Err(format!(
            "{what} is {chars} characters; at most {NOTE_MAX_CHARS}"
        ));
    }
    Ok(note.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(kind: DisputeKind, resolution: Option<Resolution>, version: u32) -> Dispute {
        Dispute {
            id: 1,
            user: "u".into(),
            reporter_email: None,
            item_id: "i".into(),
            item_version: version,
            session_id: None,
            kind,
            note: "n".into(),
            created_at: DateTime::default(),
            resolution,
            resolution_note: None,
            resolved_by: None,
            resolved_at: None,
        }
    }

    #[test]
    fn an_upheld_wrong_key_flags_the_item_until_its_version_changes() {
        let upheld = report(DisputeKind::WrongKey, Some(Resolution::Fixed), 2);
        assert!(upheld.flags(2));
        assert!(!upheld.flags(3));
        assert!(
            !report(DisputeKind::WrongKey, None, 2).flags(2),
            "open: not yet upheld"
        );
        assert!(!report(DisputeKind::WrongKey, Some(Resolution::Rejected), 2).flags(2));
        assert!(!report(DisputeKind::Typo, Some(Resolution::Fixed), 2).flags(2));
    }

    #[test]
    fn kinds_and_resolutions_read_back() {
        for k in DisputeKind::ALL {
            assert_eq!(DisputeKind::parse(k.as_str()), Some(k));
        }
        for r in Resolution::ALL {
            assert_eq!(Resolution::parse(r.as_str()), Some(r));
        }
        assert_eq!(DisputeKind::parse("wrong key"), None);
    }

    #[test]
    fn notes_are_trimmed_and_bounded() {
        assert_eq!(
            checked_note("  typo in B  ", "the note", true),
            Ok("typo in B".into())
        );
        assert!(checked_note("  ", "the note", true).is_err());
        assert_eq!(checked_note("", "the note", false), Ok(String::new()));
        assert!(checked_note(&"x".repeat(NOTE_MAX_CHARS + 1), "the note", true).is_err());
    }
}
