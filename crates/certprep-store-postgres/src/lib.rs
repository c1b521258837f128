//! The team store: PostgreSQL, for several server processes behind a load balancer. Nothing is
//! kept in a process; a commit is durable (`synchronous_commit` on, the server default). Queries
//! are checked at compile time against `.sqlx/` (see `scripts/sqlx-prepare`).

use std::time::Duration;

use async_trait::async_trait;
use certprep_domain::dispute::Dispute;
use certprep_domain::session::{Confidence, Response, Session};
use certprep_store::{
    Account, AccountStore, ItemCalibration, LoggedResponse, MemoryParameters, Outcome, ResponseRow,
    Result, Role, SessionSummary, Store, StoreError, Team, TeamRole, TeamStore, summary_of,
};
use certprep_store::{DisputeFilter, DisputeRow, NewDispute, ResolveDispute};
use certprep_store::{ExamResult, ExamResultRow, NewExamResult, StoredPlan};
use chrono::{DateTime, NaiveDate, Utc};
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
                   submitted_at, items, answered, scaled_score, passed, points, max_points, state,
                   updated_at, form)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
               ON CONFLICT (id) DO UPDATE SET
                   deadline = excluded.deadline, submitted_at = excluded.submitted_at,
                   answered = excluded.answered,
                   scaled_score = COALESCE(sessions.scaled_score, excluded.scaled_score),
                   passed = COALESCE(sessions.passed, excluded.passed),
                   points = COALESCE(sessions.points, excluded.points),
                   max_points = COALESCE(sessions.max_points, excluded.max_points),
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
            updated,
            summary.form
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

    async fn freeze_report(&self, id: &str, report: &str) -> Result<()> {
        sqlx::query!(
            "UPDATE sessions SET report = COALESCE(report, $1) WHERE id = $2",
            report,
            id
        )
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn frozen_report(&self, id: &str) -> Result<Option<String>> {
        let row = sqlx::query!("SELECT report FROM sessions WHERE id = $1", id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        Ok(row.and_then(|r| r.report))
    }

    async fn record_answer(&self, session: &Session, response: &Response) -> Result<()> {
        let answer = serde_json::to_string(&response.answer)
            .map_err(|e| StoreError::Database(e.to_string()))?;
        let version = i64::from(response.item_version);
        let points = i64::from(response.points);
        let max_points = i64::from(response.max_points);
        let spent = i64::try_from(response.time_spent_ms).unwrap_or(i64::MAX);
        let at = millis(response.answered_at);
        let confidence = response.confidence.map(Confidence::as_str);
        let mut tx = self.pool.begin().await.map_err(db)?;
        sqlx::query!(
            r#"INSERT INTO responses (user_id, session_id, item_id, item_version, outline, answer,
                   points, max_points, time_spent_ms, answered_at, confidence)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"#,
            response.user,
            response.session_id,
            response.item_id,
            version,
            response.outline,
            answer,
            points,
            max_points,
            spent,
            at,
            confidence
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
                      answered, scaled_score, passed, points, max_points, form
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
                form: r.form,
            })
            .collect())
    }

    async fn responses(&self, user: &str) -> Result<Vec<LoggedResponse>> {
        let rows = sqlx::query_as!(
            ResponseRow,
            r#"SELECT id, user_id, session_id, item_id, item_version, outline, answer,
                      points, max_points, time_spent_ms, answered_at, confidence
               FROM responses WHERE user_id = $1 ORDER BY id"#,
            user
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.into_iter().map(ResponseRow::logged).collect()
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

    async fn all_responses(&self) -> Result<Vec<LoggedResponse>> {
        let rows = sqlx::query_as!(
            ResponseRow,
            r#"SELECT id, user_id, session_id, item_id, item_version, outline, answer,
                      points, max_points, time_spent_ms, answered_at, confidence
               FROM responses ORDER BY user_id, id"#
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.into_iter().map(ResponseRow::logged).collect()
    }

    async fn sessions_in_mode(&self, mode: &str) -> Result<Vec<Session>> {
        let rows = sqlx::query!(
            "SELECT id, state FROM sessions WHERE mode = $1 ORDER BY id",
            mode
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.into_iter()
            .map(|r| {
                serde_json::from_str(&r.state).map_err(|e| StoreError::Corrupt {
                    id: r.id.clone(),
                    message: e.to_string(),
                })
            })
            .collect()
    }

    async fn exam_date(&self, user: &str, exam: &str) -> Result<Option<NaiveDate>> {
        let row = sqlx::query!(
            "SELECT exam_date FROM exam_dates WHERE user_id = $1 AND exam = $2",
            user,
            exam
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        Ok(row.and_then(|r| NaiveDate::parse_from_str(&r.exam_date, "%Y-%m-%d").ok()))
    }

    async fn set_exam_date(&self, user: &str, exam: &str, date: NaiveDate) -> Result<()> {
        let now = millis(Utc::now());
        let day = date.format("%Y-%m-%d").to_string();
        let mut tx = self.pool.begin().await.map_err(db)?;
        Self::ensure_user(&mut tx, user, now).await?;
        sqlx::query!(
            r#"INSERT INTO exam_dates (user_id, exam, exam_date, updated_at) VALUES ($1, $2, $3, $4)
               ON CONFLICT (user_id, exam) DO UPDATE SET exam_date = excluded.exam_date,
                   updated_at = excluded.updated_at"#,
            user,
            exam,
            day,
            now
        )
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn memory_parameters(&self, user: &str) -> Result<Option<MemoryParameters>> {
        let row = sqlx::query!(
            "SELECT parameters, reviews, computed_at FROM memory_parameters WHERE user_id = $1",
            user
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        row.map(|r| MemoryParameters::from_row(user, &r.parameters, r.reviews, time(r.computed_at)))
            .transpose()
    }

    async fn save_memory_parameters(
        &self,
        user: &str,
        parameters: &MemoryParameters,
    ) -> Result<()> {
        let json = serde_json::to_string(&parameters.parameters)
            .map_err(|e| StoreError::Database(e.to_string()))?;
        let reviews = i64::from(parameters.reviews);
        let at = millis(parameters.computed_at);
        let mut tx = self.pool.begin().await.map_err(db)?;
        Self::ensure_user(&mut tx, user, at).await?;
        sqlx::query!(
            r#"INSERT INTO memory_parameters (user_id, parameters, reviews, computed_at)
               VALUES ($1, $2, $3, $4)
               ON CONFLICT (user_id) DO UPDATE SET parameters = excluded.parameters,
                   reviews = excluded.reviews, computed_at = excluded.computed_at"#,
            user,
            json,
            reviews,
            at
        )
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn calibrations(&self) -> Result<Vec<ItemCalibration>> {
        let rows = sqlx::query!(
            r#"SELECT item_id, item_version, a, b, c, respondents, misfit, calibrated_at
               FROM item_calibrations ORDER BY item_id"#
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|r| ItemCalibration {
                item_id: r.item_id,
                item_version: u32::try_from(r.item_version).unwrap_or(0),
                a: r.a,
                b: r.b,
                c: r.c,
                respondents: u32::try_from(r.respondents).unwrap_or(0),
                misfit: r.misfit,
                calibrated_at: time(r.calibrated_at),
            })
            .collect())
    }

    async fn save_calibrations(&self, items: &[ItemCalibration]) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        sqlx::query!("DELETE FROM item_calibrations")
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        for item in items {
            let version = i64::from(item.item_version);
            let respondents = i64::from(item.respondents);
            let at = millis(item.calibrated_at);
            sqlx::query!(
                r#"INSERT INTO item_calibrations
                       (item_id, item_version, a, b, c, respondents, misfit, calibrated_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"#,
                item.item_id,
                version,
                item.a,
                item.b,
                item.c,
                respondents,
                item.misfit,
                at
            )
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn file_dispute(&self, d: &NewDispute) -> Result<Dispute> {
        let at = millis(d.created_at);
        let version = i64::from(d.item_version);
        let kind = d.kind.as_str();
        let mut tx = self.pool.begin().await.map_err(db)?;
        Self::ensure_user(&mut tx, &d.user, at).await?;
        let id = sqlx::query!(
            r#"INSERT INTO disputes (user_id, item_id, item_version, session_id, kind, note, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"#,
            d.user,
            d.item_id,
            version,
            d.session_id,
            kind,
            d.note,
            at
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?
        .id;
        tx.commit().await.map_err(db)?;
        self.dispute(id).await
    }

    async fn disputes(&self, filter: &DisputeFilter) -> Result<Vec<Dispute>> {
        let rows = sqlx::query_as!(
            DisputeRow,
            r#"SELECT d.id, d.user_id, u.email AS "email?", d.item_id, d.item_version,
                      d.session_id, d.kind, d.note, d.created_at, d.resolution,
                      d.resolution_note, d.resolved_by, d.resolved_at
               FROM disputes d JOIN users u ON u.id = d.user_id
               WHERE ($1::TEXT IS NULL OR d.user_id = $1)
                 AND (NOT $2 OR d.resolution IS NULL)
                 AND ($3::TEXT IS NULL OR d.item_id = $3)
               ORDER BY d.id DESC"#,
            filter.user,
            filter.open_only,
            filter.item_id
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.into_iter().map(DisputeRow::dispute).collect()
    }

    async fn dispute(&self, id: i64) -> Result<Dispute> {
        sqlx::query_as!(
            DisputeRow,
            r#"SELECT d.id, d.user_id, u.email AS "email?", d.item_id, d.item_version,
                      d.session_id, d.kind, d.note, d.created_at, d.resolution,
                      d.resolution_note, d.resolved_by, d.resolved_at
               FROM disputes d JOIN users u ON u.id = d.user_id
               WHERE d.id = $1"#,
            id
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?
        .ok_or(StoreError::NoReport(id))?
        .dispute()
    }

    async fn resolve_dispute(&self, id: i64, r: &ResolveDispute) -> Result<Dispute> {
        let at = millis(r.at);
        let resolution = r.resolution.as_str();
        let mut tx = self.pool.begin().await.map_err(db)?;
        Self::ensure_user(&mut tx, &r.by, at).await?;
        let changed = sqlx::query!(
            r#"UPDATE disputes SET resolution = $1, resolution_note = $2, resolved_by = $3,
                   resolved_at = $4
               WHERE id = $5"#,
            resolution,
            r.note,
            r.by,
            at,
            id
        )
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::NoReport(id));
        }
        tx.commit().await.map_err(db)?;
        self.dispute(id).await
    }

    async fn record_exam_result(&self, r: &NewExamResult) -> Result<ExamResult> {
        let at = millis(r.recorded_at);
        let day = r.taken_on.format("%Y-%m-%d").to_string();
        let score = r.score.map(i64::from);
        let mut tx = self.pool.begin().await.map_err(db)?;
        Self::ensure_user(&mut tx, &r.user, at).await?;
        let id = sqlx::query!(
            r#"INSERT INTO exam_results (user_id, exam, taken_on, passed, score, predicted, recorded_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"#,
            r.user,
            r.exam,
            day,
            r.passed,
            score,
            r.predicted,
            at
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?
        .id;
        tx.commit().await.map_err(db)?;
        Ok(ExamResult {
            id,
            user: r.user.clone(),
            exam: r.exam.clone(),
            taken_on: r.taken_on,
            passed: r.passed,
            score: r.score,
            predicted: r.predicted,
            recorded_at: time(at),
        })
    }

    async fn exam_results(&self, user: Option<&str>) -> Result<Vec<ExamResult>> {
        let rows = sqlx::query!(
            r#"SELECT id, user_id, exam, taken_on, passed, score,
                      predicted, recorded_at
               FROM exam_results WHERE ($1::TEXT IS NULL OR user_id = $1)
               ORDER BY taken_on DESC, id DESC"#,
            user
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.into_iter()
            .map(|r| {
                ExamResultRow {
                    id: r.id,
                    user_id: r.user_id,
                    exam: r.exam,
                    taken_on: r.taken_on,
                    passed: r.passed,
                    score: r.score,
                    predicted: r.predicted,
                    recorded_at: r.recorded_at,
                }
                .into_result()
            })
            .collect()
    }

    async fn delete_exam_result(&self, user: &str, id: i64) -> Result<bool> {
        let gone = sqlx::query!(
            "DELETE FROM exam_results WHERE id = $1 AND user_id = $2",
            id,
            user
        )
        .execute(&self.pool)
        .await
        .map_err(db)?
        .rows_affected();
        Ok(gone > 0)
    }

    async fn study_plan(&self, user: &str, exam: &str) -> Result<Option<StoredPlan>> {
        let row = sqlx::query!(
            "SELECT hours_per_week, starts_on FROM study_plans WHERE user_id = $1 AND exam = $2",
            user,
            exam
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        Ok(row.and_then(|r| {
            Some(StoredPlan {
                hours_per_week: r.hours_per_week,
                starts_on: NaiveDate::parse_from_str(&r.starts_on, "%Y-%m-%d").ok()?,
            })
        }))
    }

    async fn set_study_plan(&self, user: &str, exam: &str, plan: &StoredPlan) -> Result<()> {
        let now = millis(Utc::now());
        let day = plan.starts_on.format("%Y-%m-%d").to_string();
        let mut tx = self.pool.begin().await.map_err(db)?;
        Self::ensure_user(&mut tx, user, now).await?;
        sqlx::query!(
            r#"INSERT INTO study_plans (user_id, exam, hours_per_week, starts_on, updated_at)
               VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (user_id, exam) DO UPDATE SET hours_per_week = excluded.hours_per_week,
                   starts_on = excluded.starts_on, updated_at = excluded.updated_at"#,
            user,
            exam,
            plan.hours_per_week,
            day,
            now
        )
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn advisor_profile(&self, user: &str) -> Result<Option<String>> {
        let row = sqlx::query!(
            "SELECT profile FROM advisor_profiles WHERE user_id = $1",
            user
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        Ok(row.map(|r| r.profile))
    }

    async fn set_advisor_profile(&self, user: &str, profile: &str) -> Result<()> {
        let now = millis(Utc::now());
        let mut tx = self.pool.begin().await.map_err(db)?;
        Self::ensure_user(&mut tx, user, now).await?;
        sqlx::query!(
            r#"INSERT INTO advisor_profiles (user_id, profile, updated_at) VALUES ($1, $2, $3)
               ON CONFLICT (user_id) DO UPDATE SET profile = excluded.profile,
                   updated_at = excluded.updated_at"#,
            user,
            profile,
            now
        )
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)
    }
}

fn conflict_or(e: sqlx::Error, what: &str) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            StoreError::Conflict(what.to_string())
        }
        _ => db(e),
    }
}

fn account(id: String, email: String, role: &str, created_at: i64) -> Account {
    Account {
        id,
        email,
        role: Role::parse(role),
        created_at: time(created_at),
    }
}

#[async_trait]
impl AccountStore for PgStore {
    async fn create_account(
        &self,
        id: &str,
        email: &str,
        password_hash: &str,
        role: Role,
        now: DateTime<Utc>,
    ) -> Result<Account> {
        let created = millis(now);
        let requested = role.as_str();
        // The first account with an email is the server's admin; deciding it inside the insert
        // keeps two simultaneous first sign-ups from both becoming admins.
        let row = sqlx::query!(
            r#"INSERT INTO users (id, created_at, email, password_hash, role)
               VALUES ($1, $2, $3, $4,
                       CASE WHEN EXISTS (SELECT 1 FROM users WHERE email IS NOT NULL) THEN $5 ELSE 'admin' END)
               RETURNING role"#,
            id,
            created,
            email,
            password_hash,
            requested
        )
        .fetch_one(&self.pool)
        .await
        .map_err(|e| conflict_or(e, "an account with this email"))?;
        Ok(account(
            id.to_string(),
            email.to_string(),
            &row.role,
            created,
        ))
    }

    async fn account_by_email(&self, email: &str) -> Result<Option<(Account, String)>> {
        let row = sqlx::query!(
            r#"SELECT id, email AS "email!", password_hash AS "password_hash!", role, created_at
               FROM users WHERE email = $1 AND password_hash IS NOT NULL"#,
            email
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        Ok(row.map(|r| {
            (
                account(r.id, r.email, &r.role, r.created_at),
                r.password_hash,
            )
        }))
    }

    async fn create_web_session(
        &self,
        token_hash: &str,
        user_id: &str,
        csrf_token: &str,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let (created, expires) = (millis(now), millis(expires_at));
        sqlx::query!(
            "INSERT INTO web_sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            token_hash,
            user_id,
            csrf_token,
            created,
            expires
        )
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn web_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(Account, String)>> {
        let now = millis(now);
        let row = sqlx::query!(
            r#"SELECT u.id, u.email AS "email!", u.role, u.created_at, w.csrf_token
               FROM web_sessions w JOIN users u ON u.id = w.user_id
               WHERE w.token_hash = $1 AND w.expires_at > $2"#,
            token_hash,
            now
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        Ok(row.map(|r| (account(r.id, r.email, &r.role, r.created_at), r.csrf_token)))
    }

    async fn delete_web_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query!("DELETE FROM web_sessions WHERE token_hash = $1", token_hash)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn hit(&self, key: &str, window_start: DateTime<Utc>) -> Result<u32> {
        let start = millis(window_start);
        let mut tx = self.pool.begin().await.map_err(db)?;
        // Old windows of this key are no longer needed.
        sqlx::query!(
            "DELETE FROM rate_limits WHERE key = $1 AND window_start < $2",
            key,
            start
        )
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        let row = sqlx::query!(
            r#"INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1)
               ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1
               RETURNING hits"#,
            key,
            start
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(u32::try_from(row.hits).unwrap_or(u32::MAX))
    }

    async fn hits(&self, key: &str, window_start: DateTime<Utc>) -> Result<u32> {
        let start = millis(window_start);
        let row = sqlx::query!(
            "SELECT hits FROM rate_limits WHERE key = $1 AND window_start = $2",
            key,
            start
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        Ok(row.map_or(0, |r| u32::try_from(r.hits).unwrap_or(u32::MAX)))
    }
}

fn team(
    id: String,
    name: String,
    code: String,
    created_at: i64,
    role: TeamRole,
) -> (Team, TeamRole) {
    let invite_code = (role == TeamRole::Instructor).then_some(code);
    (
        Team {
            id,
            name,
            invite_code,
            created_at: time(created_at),
        },
        role,
    )
}

#[async_trait]
impl TeamStore for PgStore {
    async fn create_team(
        &self,
        id: &str,
        name: &str,
        invite_code: &str,
        creator: &str,
        now: DateTime<Utc>,
    ) -> Result<Team> {
        let created = millis(now);
        let instructor = TeamRole::Instructor.as_str();
        let mut tx = self.pool.begin().await.map_err(db)?;
        sqlx::query!(
            "INSERT INTO teams (id, name, invite_code, created_by, created_at) VALUES ($1, $2, $3, $4, $5)",
            id, name, invite_code, creator, created
        )
        .execute(&mut *tx)
        .await
        .map_err(|e| conflict_or(e, "a team with this invite code"))?;
        sqlx::query!(
            "INSERT INTO team_members (team_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4)",
            id,
            creator,
            instructor,
            created
        )
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(team(
            id.to_string(),
            name.to_string(),
            invite_code.to_string(),
            created,
            TeamRole::Instructor,
        )
        .0)
    }

    async fn join_team(
        &self,
        invite_code: &str,
        user_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(Team, TeamRole)> {
        let joined = millis(now);
        let member = TeamRole::Member.as_str();
        let found = sqlx::query!("SELECT id FROM teams WHERE invite_code = $1", invite_code)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or_else(|| StoreError::NotFound("team with this invite code".into()))?;
        sqlx::query!(
            "INSERT INTO team_members (team_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4) ON CONFLICT (team_id, user_id) DO NOTHING",
            found.id, user_id, member, joined
        )
        .execute(&self.pool)
        .await
        .map_err(db)?;
        self.membership(&found.id, user_id)
            .await?
            .ok_or_else(|| StoreError::NotFound("team".into()))
    }

    async fn teams_of(&self, user_id: &str) -> Result<Vec<(Team, TeamRole)>> {
        let rows = sqlx::query!(
            r#"SELECT t.id, t.name, t.invite_code, t.created_at, m.role
               FROM team_members m JOIN teams t ON t.id = m.team_id
               WHERE m.user_id = $1 ORDER BY t.created_at, t.id"#,
            user_id
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                team(
                    r.id,
                    r.name,
                    r.invite_code,
                    r.created_at,
                    TeamRole::parse(&r.role),
                )
            })
            .collect())
    }

    async fn membership(&self, team_id: &str, user_id: &str) -> Result<Option<(Team, TeamRole)>> {
        let row = sqlx::query!(
            r#"SELECT t.id, t.name, t.invite_code, t.created_at, m.role
               FROM team_members m JOIN teams t ON t.id = m.team_id
               WHERE m.team_id = $1 AND m.user_id = $2"#,
            team_id,
            user_id
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        Ok(row.map(|r| {
            team(
                r.id,
                r.name,
                r.invite_code,
                r.created_at,
                TeamRole::parse(&r.role),
            )
        }))
    }

    async fn members(&self, team_id: &str) -> Result<Vec<(Account, TeamRole)>> {
        let rows = sqlx::query!(
            r#"SELECT u.id, u.email AS "email!", u.role AS account_role, u.created_at, m.role
               FROM team_members m JOIN users u ON u.id = m.user_id
               WHERE m.team_id = $1 ORDER BY u.email"#,
            team_id
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                (
                    account(r.id, r.email, &r.account_role, r.created_at),
                    TeamRole::parse(&r.role),
                )
            })
            .collect())
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
