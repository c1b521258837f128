//! The team store: PostgreSQL, for several server processes behind a load balancer. Nothing is
//! kept in a process; a commit is durable (`synchronous_commit` on, the server default). Queries
//! are checked at compile time against `.sqlx/` (see `scripts/sqlx-prepare`).

use std::time::Duration;

use async_trait::async_trait;
use certprep_domain::session::{Response, Session};
use certprep_store::{
    LoggedResponse, Outcome, Result, SessionSummary, Store, StoreError, summary_of,
};
use chrono::{DateTime, Utc};
use sqlx::postgres::PgPoolOptions;
use sqlx::{PgPool, Postgres, Transaction};

#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

fn db(e: sqlx::Error) -> StoreError {
    StoreError::Database(e.to_string())
}

fn millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

impl PgStore {
    /// Connects to `url` (`postgres://…`) and brings the schema up to date. Several processes
    /// may do this at once: sqlx serialises migrations with an advisory lock.
    pub async fn connect(url: &str) -> Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .map_err(|e| StoreError::Open {
                path: redact(url),
                message: e.to_string(),
            })?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Migrate(e.to_string()))?;
        Ok(PgStore { pool })
    }

    async fn ensure_user(tx: &mut Transaction<'_, Postgres>, user: &str, now: i64) -> Result<()> {
        sqlx::query!(
            "INSERT INTO users (id, created_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
            user,
            now
        )
        .execute(&mut **tx)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn write_session(
        tx: &mut Transaction<'_, Postgres>,
        session: &Session,
        outcome: Option<Outcome>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let summary = summary_of(session, outcome, now);
        let state =
            serde_json::to_string(session).map_err(|e| StoreError::Database(e.to_string()))?;
        let started = millis(summary.started_at);
        let deadline = summary.deadline.map(millis);
        let submitted = summary.submitted_at.map(millis);
        let items = i64::from(summary.items);
        let answered = i64::from(summary.answered);
        let scaled = outcome.map(|o| i64::from(o.scaled_score));
        let passed = outcome.map(|o| o.passed);
        let points = outcome.map(|o| i64::from(o.points));
        let max_points = outcome.map(|o| i64::from(o.max_points));
        let updated = millis(now);
        sqlx::query!(
            r#"INSERT INTO sessions (id, user_id, exam, outline, mode, started_at, deadline,
                   submitted_at, items, answered, scaled_score, passed, points, max_points, state, updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
               ON CONFLICT (id) DO UPDATE SET
                   deadline = excluded.deadline, submitted_at = excluded.submitted_at,
                   answered = excluded.answered,
                   scaled_score = COALESCE(excluded.scaled_score, sessions.scaled_score),
                   passed = COALESCE(excluded.passed, sessions.passed),
                   points = COALESCE(excluded.points, sessions.points),
                   max_points = COALESCE(excluded.max_points, sessions.max_points),
                   state = excluded.state, updated_at = excluded.updated_at"#,
            summary.id,
            summary.user,
            summary.exam,
            summary.outline,
            summary.mode,
            started,
            deadline,
            submitted,
            items,
            answered,
            scaled,
            passed,
            points,
            max_points,
            state,
            updated
        )
        .execute(&mut **tx)
        .await
        .map_err(db)?;
        sqlx::query!("DELETE FROM marks WHERE session_id = $1", summary.id)
            .execute(&mut **tx)
            .await
            .map_err(db)?;
        for (item, state) in session.items.iter().zip(&session.states) {
            if state.marked {
                sqlx::query!(
                    "INSERT INTO marks (session_id, item_id) VALUES ($1, $2)",
                    summary.id,
                    item.item_id
                )
                .execute(&mut **tx)
                .await
                .map_err(db)?;
            }
        }
        Ok(())
    }
}

#[async_trait]
impl Store for PgStore {
    async fn create_session(&self, session: &Session) -> Result<()> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await.map_err(db)?;
        Self::ensure_user(&mut tx, &session.user, millis(now)).await?;
        Self::write_session(&mut tx, session, None, now).await?;
        tx.commit().await.map_err(db)
    }

    async fn load_session(&self, id: &str) -> Result<Session> {
        let row = sqlx::query!("SELECT state FROM sessions WHERE id = $1", id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or_else(|| StoreError::NotFound(id.to_string()))?;
        serde_json::from_str(&row.state).map_err(|e| StoreError::Corrupt {
            id: id.to_string(),
            message: e.to_string(),
        })
    }

    async fn save_session(&self, session: &Session, outcome: Option<Outcome>) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        Self::write_session(&mut tx, session, outcome, Utc::now()).await?;
        tx.commit().await.map_err(db)
    }

    async fn record_answer(&self, session: &Session, response: &Response) -> Result<()> {
        let answer = serde_json::to_string(&response.answer)
            .map_err(|e| StoreError::Database(e.to_string()))?;
        let version = i64::from(response.item_version);
        let points = i64::from(response.points);
        let max_points = i64::from(response.max_points);
        let spent = i64::try_from(response.time_spent_ms).unwrap_or(i64::MAX);
        let at = millis(response.answered_at);
        let mut tx = self.pool.begin().await.map_err(db)?;
        sqlx::query!(
            r#"INSERT INTO responses (user_id, session_id, item_id, item_version, outline, answer,
                   points, max_points, time_spent_ms, answered_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"#,
            response.user,
            response.session_id,
            response.item_id,
            version,
            response.outline,
            answer,
            points,
            max_points,
            spent,
            at
        )
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        Self::write_session(&mut tx, session, None, response.answered_at).await?;
        tx.commit().await.map_err(db)
    }

    async fn sessions(&self, user: &str) -> Result<Vec<SessionSummary>> {
        let rows = sqlx::query!(
            r#"SELECT id, user_id, exam, outline, mode, started_at, deadline, submitted_at, items,
                      answered, scaled_score, passed, points, max_points
               FROM sessions WHERE user_id = $1 ORDER BY started_at DESC, id"#,
            user
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        let count = |n: i64| u32::try_from(n).unwrap_or(0);
        Ok(rows
            .into_iter()
            .map(|r| SessionSummary {
                outcome: match (r.scaled_score, r.passed, r.points, r.max_points) {
                    (Some(s), Some(passed), Some(p), Some(m)) => Some(Outcome {
                        scaled_score: count(s),
                        passed,
                        points: count(p),
                        max_points: count(m),
                    }),
                    _ => None,
                },
                id: r.id,
                user: r.user_id,
                exam: r.exam,
                outline: r.outline,
                mode: r.mode,
                started_at: time(r.started_at),
                deadline: r.deadline.map(time),
                submitted_at: r.submitted_at.map(time),
                items: count(r.items),
                answered: count(r.answered),
            })
            .collect())
    }

    async fn responses(&self, user: &str) -> Result<Vec<LoggedResponse>> {
        let rows = sqlx::query!(
            r#"SELECT id, user_id, session_id, item_id, item_version, outline, answer,
                      points, max_points, time_spent_ms, answered_at
               FROM responses WHERE user_id = $1 ORDER BY id"#,
            user
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.into_iter()
            .map(|r| {
                let answer = serde_json::from_str(&r.answer).map_err(|e| StoreError::Corrupt {
                    id: format!("response {}", r.id),
                    message: e.to_string(),
                })?;
                Ok(LoggedResponse {
                    id: r.id,
                    user: r.user_id,
                    session_id: r.session_id,
                    item_id: r.item_id,
                    item_version: u32::try_from(r.item_version).unwrap_or(0),
                    outline: r.outline,
                    answer,
                    points: u32::try_from(r.points).unwrap_or(0),
                    max_points: u32::try_from(r.max_points).unwrap_or(0),
                    time_spent_ms: u64::try_from(r.time_spent_ms).unwrap_or(0),
                    answered_at: time(r.answered_at),
                })
            })
            .collect()
    }

    async fn marked_items(&self, user: &str) -> Result<Vec<String>> {
        let rows = sqlx::query!(
            r#"SELECT DISTINCT m.item_id FROM marks m JOIN sessions s ON s.id = m.session_id
               WHERE s.user_id = $1 ORDER BY m.item_id"#,
            user
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        Ok(rows.into_iter().map(|r| r.item_id).collect())
    }
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            let user = credentials.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}
