//! Anki deck packages (`.apkg`): a zip holding `collection.anki2`, an SQLite database in the
//! schema Anki 2.1 reads and writes for packages (version 11: tables `col`, `notes`, `cards`,
//! `revlog`, `graves`), and `media`, a JSON map of media files (empty here).
//!
//! One note per item, of a note type "certprep" with the fields Front and Back, the same as
//! the Anki text export ([`crate::anki`]): the front holds the stem and lettered options, the
//! back the key, every note and the explanation with its references. Each note has one new
//! card in the deck "certprep" (or "certprep::<EXAM>"). The note's GUID comes from the item's
//! id, and the note type's and deck's ids from their names, so importing an updated export
//! into Anki updates the notes instead of adding copies.
//!
//! The database is built in memory with sqlx (the project's one SQLite binding: a second
//! binding in the same binary conflicts at link time) and serialised to bytes, so this
//! module writes no file: the caller writes the package.

use std::io::Write as _;

use chrono::{DateTime, Utc};
use serde_json::json;
use sha1::{Digest, Sha1};
use sqlx::Connection as _;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

use crate::anki::{front_back, note_guid, note_tags};
use crate::{ExportError, ExportSource, Exported, Format};

/// Anki's schema for collections inside packages (what Anki 2.1 exports as "legacy"
/// `collection.anki2`, and imports in every version since).
const SCHEMA: &str = r#"
CREATE TABLE col (
    id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL, scm integer NOT NULL,
    ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL,
    conf text NOT NULL, models text NOT NULL, decks text NOT NULL, dconf text NOT NULL,
    tags text NOT NULL
);
CREATE TABLE notes (
    id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL, mod integer NOT NULL,
    usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL, sfld integer NOT NULL,
    csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL
);
CREATE TABLE cards (
    id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL, ord integer NOT NULL,
    mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL, queue integer NOT NULL,
    due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL, reps integer NOT NULL,
    lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL, odid integer NOT NULL,
    flags integer NOT NULL, data text NOT NULL
);
CREATE TABLE revlog (
    id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL, ease integer NOT NULL,
    ivl integer NOT NULL, lastIvl integer NOT NULL, factor integer NOT NULL,
    time integer NOT NULL, type integer NOT NULL
);
CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
"#;

/// The note type's card template and style: the front, then the back under a rule.
const FRONT_TEMPLATE: &str = "{{Front}}";
const BACK_TEMPLATE: &str = "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}";
const CSS: &str = ".card { font-family: arial; font-size: 18px; text-align: left; color: black; background-color: white; }";

/// A stable id in Anki's id range (milliseconds since 1970, 13 digits) for a name, so a
/// later export uses the same note type and deck.
fn stable_id(name: &str) -> i64 {
    let digest = Sha1::digest(name.as_bytes());
    let mut n = 0u64;
    for b in &digest[..8] {
        n = (n << 8) | u64::from(*b);
    }
    // 1,000,000,000,000 … 1,999,999,999,999: after 2001 and before 2033 as milliseconds.
    1_000_000_000_000 + i64::try_from(n % 1_000_000_000_000).unwrap_or(0)
}

/// Text of a field without HTML tags and with entities decoded, as Anki sorts and
/// checks duplicates on it.
fn plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    crate::text::decode_entities(&out)
}

/// Anki's field checksum: the first 8 hex digits of the SHA-1 of the plain first field.
fn checksum(first_field: &str) -> i64 {
    let digest = Sha1::digest(plain(first_field).as_bytes());
    i64::from(u32::from_be_bytes([
        digest[0], digest[1], digest[2], digest[3],
    ]))
}

fn deck_name(exam: Option<&str>) -> String {
    match exam {
        Some(code) => format!("certprep::{}", code.to_uppercase()),
        None => "certprep".to_string(),
    }
}

/// The `col` row's JSON columns: configuration, note types, decks, deck options.
fn collection_json(model_id: i64, deck_id: i64, deck: &str, now: i64) -> [String; 4] {
    let conf = json!({
        "activeDecks": [deck_id], "curDeck": deck_id, "newSpread": 0, "collapseTime": 1200,
        "timeLim": 0, "estTimes": true, "dueCounts": true, "curModel": model_id.to_string(),
        "nextPos": 1, "sortType": "noteFld", "sortBackwards": false, "addToCur": true
    });
    let field = |name: &str, ord: u32| {
        json!({"name": name, "ord": ord, "sticky": false, "rtl": false, "font": "Arial",
               "size": 20, "media": []})
    };
    let models = json!({ model_id.to_string(): {
        "id": model_id, "name": "certprep", "type": 0, "mod": now, "usn": -1, "sortf": 0,
        "did": deck_id, "tags": [], "vers": [],
        "flds": [field("Front", 0), field("Back", 1)],
        "tmpls": [{"name": "Card 1", "ord": 0, "qfmt": FRONT_TEMPLATE, "afmt": BACK_TEMPLATE,
                   "bqfmt": "", "bafmt": "", "did": null}],
        "css": CSS,
        "latexPre": "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
        "latexPost": "\\end{document}", "latexsvg": false,
        "req": [[0, "any", [0]]]
    }});
    let deck_json = |id: i64, name: &str| {
        json!({"id": id, "name": name, "mod": now, "usn": -1, "desc": "", "dyn": 0, "conf": 1,
               "collapsed": false, "browserCollapsed": false, "extendNew": 0, "extendRev": 0,
               "newToday": [0, 0], "revToday": [0, 0], "lrnToday": [0, 0], "timeToday": [0, 0]})
    };
    let decks =
        json!({ "1": deck_json(1, "Default"), deck_id.to_string(): deck_json(deck_id, deck) });
    let dconf = json!({ "1": {
        "id": 1, "name": "Default", "mod": 0, "usn": 0, "maxTaken": 60, "autoplay": true,
        "timer": 0, "replayq": true, "dyn": false,
        "new": {"delays": [1.0, 10.0], "ints": [1, 4, 0], "initialFactor": 2500, "order": 1,
                "perDay": 20, "bury": false},
        "rev": {"perDay": 200, "ease4": 1.3, "ivlFct": 1.0, "maxIvl": 36500, "hardFactor": 1.2,
                "bury": false},
        "lapse": {"delays": [10.0], "mult": 0.0, "minInt": 1, "leechFails": 8, "leechAction": 1}
    }});
    [
        conf.to_string(),
        models.to_string(),
        decks.to_string(),
        dconf.to_string(),
    ]
}

fn db_error(e: sqlx::Error) -> ExportError {
    ExportError::Write {
        format: Format::Apkg,
        message: e.to_string(),
    }
}

/// Builds the collection database in memory and returns its bytes.
async fn collection(
    source: &ExportSource<'_>,
    exam: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, sqlx::Error> {
    let options = SqliteConnectOptions::new().in_memory(true);
    let mut db = SqliteConnection::connect_with(&options).await?;
    sqlx::raw_sql(SCHEMA).execute(&mut db).await?;
    let now_s = now.timestamp();
    let now_ms = now.timestamp_millis();
    let deck = deck_name(exam);
    let model_id = stable_id("certprep note type: Front, Back");
    let deck_id = stable_id(&format!("certprep deck: {deck}"));
    let [conf, models, decks, dconf] = collection_json(model_id, deck_id, &deck, now_s);
    sqlx::query("INSERT INTO col VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, '{}')")
        .bind(now_s)
        .bind(now_ms)
        .bind(now_ms)
        .bind(conf)
        .bind(models)
        .bind(decks)
        .bind(dconf)
        .execute(&mut db)
        .await?;
    let mut tx = db.begin().await?;
    for (n, item) in source.items.iter().enumerate() {
        let (front, back) = front_back(item, &source.full_stem(item));
        let tags = note_tags(item);
        let tags = if tags.is_empty() {
            String::new()
        } else {
            format!(" {} ", tags.join(" "))
        };
        // Note and card ids are creation times in milliseconds, one apart.
        let id = now_ms + i64::try_from(n).unwrap_or(i64::MAX - now_ms);
        sqlx::query("INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')")
            .bind(id)
            .bind(note_guid(item))
            .bind(model_id)
            .bind(now_s)
            .bind(tags)
            .bind(format!("{front}\u{1f}{back}"))
            .bind(plain(&front))
            .bind(checksum(&front))
            .execute(&mut *tx)
            .await?;
        // A new card: type 0, queue 0, due = its position among new cards.
        sqlx::query(
            "INSERT INTO cards VALUES (?, ?, ?, 0, ?, -1, 0, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, '')",
        )
        .bind(id)
        .bind(id)
        .bind(deck_id)
        .bind(now_s)
        .bind(i64::try_from(n + 1).unwrap_or(i64::MAX))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let bytes = db.serialize(None).await?.to_vec();
    db.close().await?;
    Ok(bytes)
}

/// Writes the items as an Anki package. `now` stamps the notes and cards.
pub(crate) async fn export(
    source: &ExportSource<'_>,
    exam: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Exported, ExportError> {
    let db = collection(source, exam, now).await.map_err(db_error)?;
    let write_err = |e: &dyn std::fmt::Display| ExportError::Write {
        format: Format::Apkg,
        message: e.to_string(),
    };
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("collection.anki2", options)
        .map_err(|e| write_err(&e))?;
    zip.write_all(&db).map_err(|e| write_err(&e))?;
    zip.start_file("media", options)
        .map_err(|e| write_err(&e))?;
    zip.write_all(b"{}").map_err(|e| write_err(&e))?;
    let bytes = zip.finish().map_err(|e| write_err(&e))?.into_inner();
    Ok(Exported {
        bytes,
        items: source.items.len(),
        issues: vec![],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_is_the_first_eight_hex_digits_of_sha1_of_the_plain_text() {
        // sha1("hello") = aaf4c61d dcc5e8a2…
        assert_eq!(checksum("<b>hello</b>"), 0xaaf4_c61d);
        assert_eq!(plain("a &amp; <i>b</i>"), "a & b");
    }

    #[test]
    fn ids_are_stable_and_in_anki_range() {
        let a = stable_id("certprep deck: certprep");
        assert_eq!(a, stable_id("certprep deck: certprep"));
        assert_ne!(a, stable_id("certprep deck: certprep::AI-103"));
        assert!((1_000_000_000_000..2_000_000_000_000).contains(&a));
    }
}
