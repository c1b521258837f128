//! Reports of a problem with an item: filed by a user who has seen the item's answer, listed for
//! the reporter and for authors, and resolved by an author with a note the reporter then sees.
//! Who may list and resolve everyone's reports is the interface's decision (the server lets
//! instructors and admins; the terminal's single user is its own author).

use certprep_domain::dispute::{Dispute, DisputeKind, Resolution, checked_note};
use certprep_store::{DisputeFilter, NewDispute, ResolveDispute};
use chrono::{DateTime, Utc};

use crate::{Result, Service, ServiceError};

impl Service<'_> {
    /// Files a report on `item_id`. The user must have seen the item's answer: in `session_id`
    /// when given (checked in study, or after the exam's submission), or else in any of their
    /// sessions, so a report is about an item they could judge.
    pub async fn file_dispute(
        &self,
        item_id: &str,
        kind: DisputeKind,
        note: &str,
        session_id: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Dispute> {
        let item = self
            .library
            .bank
            .item(item_id)
            .ok_or_else(|| ServiceError::Invalid(format!("unknown item `{item_id}`")))?;
        let note = checked_note(note, "the note", true).map_err(ServiceError::Invalid)?;
        let seen_in = self
            .where_answer_was_shown(item_id, session_id, now)
            .await?;
        let dispute = NewDispute {
            user: self.user.clone(),
            item_id: item.id.clone(),
            item_version: item.version,
            session_id: seen_in,
            kind,
            note,
            created_at: now,
        };
        Ok(self.store.file_dispute(&dispute).await?)
    }

    /// The session in which the user was shown the item's answer, or a refusal saying when a
    /// report becomes possible.
    async fn where_answer_was_shown(
        &self,
        item_id: &str,
        session_id: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Option<String>> {
        let candidates: Vec<String> = match session_id {
            Some(id) => vec![id.to_string()],
            None => {
                let mut ids: Vec<String> = self
                    .store
                    .responses(&self.user)
                    .await?
                    .into_iter()
                    .filter(|r| r.item_id == item_id)
                    .map(|r| r.session_id)
                    .collect();
                ids.dedup();
                ids
            }
        };
        for id in candidates {
            let session = self.load(&id, now).await?;
            if session
                .position_of(item_id)
                .is_some_and(|p| session.may_reveal(p) && session.states[p].answer.is_some())
            {
                return Ok(Some(session.id));
            }
        }
        Err(ServiceError::Conflict(
            "report an item once its answer has been shown to you: after checking it in a \
             study session, or after the exam is submitted"
                .into(),
        ))
    }

    /// The user's own reports, newest first, with any resolution.
    pub async fn my_disputes(&self) -> Result<Vec<Dispute>> {
        Ok(self
            .store
            .disputes(&DisputeFilter {
                user: Some(self.user.clone()),
                ..DisputeFilter::default()
            })
            .await?)
    }

    /// Every user's reports (an author's queue), newest first.
    pub async fn all_disputes(
        &self,
        open_only: bool,
        item_id: Option<&str>,
    ) -> Result<Vec<Dispute>> {
        Ok(self
            .store
            .disputes(&DisputeFilter {
                user: None,
                open_only,
                item_id: item_id.map(str::to_string),
            })
            .await?)
    }

    /// Closes a report as an author. A note is required: the reporter reads it.
    pub async fn resolve_dispute(
        &self,
        id: i64,
        resolution: Resolution,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<Dispute> {
        let note =
            checked_note(note, "the resolution note", true).map_err(ServiceError::Invalid)?;
        let resolve = ResolveDispute {
            resolution,
            note,
            by: self.user.clone(),
            at: now,
        };
        Ok(self.store.resolve_dispute(id, &resolve).await?)
    }
}
