//! Exports of the real embedded bank (every item type, case studies and series): each
//! format writes every item or says why, and what GIFT, Moodle XML, certprep CSV QTI 3.0 and QTI 2.1 write
//! imports back without errors into a bank that lints clean.

mod common;

use certprep_domain::item::Membership;
use certprep_interchange::{Format, ImportOptions, export, import};

fn options() -> ImportOptions {
    let mut o = ImportOptions::new(common::today());
    o.library = Some(common::embedded_library());
    o
}

#[test]
fn the_embedded_bank_exports_and_imports_back() {
    let library = common::embedded_library();
    let total = library.bank.items.len();
    assert!(total > 50, "the embedded bank has {total} items");
    for format in [
        Format::Gift,
        Format::MoodleXml,
        Format::Csv,
        Format::Qti,
        Format::Qti21,
    ] {
        let exported = export(&library, None, format).expect("export");
        assert_eq!(
            exported.items
                + exported
                    .issues
                    .iter()
                    .filter(|i| i.message.starts_with("not exported"))
                    .count(),
            total,
            "{format}"
        );
        let imported = import(
            &format!("bank.{format}"),
            &exported.bytes,
            Some(format),
            &options(),
        )
        .expect("import");
        let errors: Vec<String> = imported.errors().map(ToString::to_string).collect();
        assert!(errors.is_empty(), "{format}: {errors:#?}");
        let loaded = common::lint("back.md", &imported.markdown);
        let lint: Vec<String> = loaded.errors().map(ToString::to_string).collect();
        assert!(lint.is_empty(), "{format}: {lint:#?}");
        // Every exported item comes back (a yes/no grid in GIFT as one item per statement).
        for item in &library.bank.items {
            let back = imported
                .items
                .iter()
                .any(|i| i.id == item.id || i.id.starts_with(&format!("{}-", item.id)));
            let skipped = exported.issues.iter().any(|i| {
                i.item.as_deref() == Some(&item.id) && i.message.starts_with("not exported")
            });
            assert!(back || skipped, "{format}: {} did not come back", item.id);
        }
        println!(
            "{format}: {total} items, {} back, {} export notes",
            imported.items.len(),
            exported.issues.len()
        );
    }
}

#[test]
fn csv_round_trips_the_embedded_bank_exactly() {
    let library = common::embedded_library();
    let exported = export(&library, Some("ai-102"), Format::Csv).expect("export");
    let imported =
        import("bank.csv", &exported.bytes, Some(Format::Csv), &options()).expect("import");
    // Series come back as series; a case study's items come back standalone (the case
    // study's text before the stem), so they are left out here.
    let mut compared = 0;
    for item in library.bank.items.iter().filter(|i| {
        !matches!(i.group, Some(Membership::CaseStudy(_)))
            && i.objectives.keys().any(|o| o.exam.as_str() == "ai-102")
    }) {
        compared += 1;
        let back = imported
            .items
            .iter()
            .find(|i| i.id == item.id)
            .expect("item back");
        assert_eq!(back, item);
    }
    assert!(compared > 100, "{compared}");
    assert!(
        library
            .bank
            .items
            .iter()
            .any(|i| matches!(i.group, Some(Membership::Series(_))))
    );
}

#[test]
fn anki_text_export_has_one_note_per_item() {
    let library = common::embedded_library();
    let exported = export(&library, Some("ai-103"), Format::AnkiText).expect("export");
    let text = String::from_utf8(exported.bytes).expect("utf-8");
    let notes: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(notes.len(), exported.items);
    assert!(text.starts_with("#separator:tab\n#html:true\n"));
    for note in notes {
        assert_eq!(note.split('\t').count(), 4, "{note}");
    }
}

#[test]
fn markdown_is_import_only_and_empty_selections_are_refused() {
    let library = common::embedded_library();
    assert!(export(&library, None, Format::Markdown).is_err());
    let err = export(&library, Some("no-such-exam"), Format::Gift).expect_err("empty");
    assert_eq!(
        err.to_string(),
        "nothing to export: no item serves exam `no-such-exam`"
    );
}

#[test]
fn qti3_and_qti21_round_trip_the_embedded_bank_exactly() {
    let library = common::embedded_library();
    for format in [Format::Qti, Format::Qti21] {
        let exported = export(&library, None, format).expect("export");
        let imported =
            import("bank.zip", &exported.bytes, Some(format), &options()).expect("import");
        assert_eq!(imported.errors().count(), 0, "{format}");
        // A case study's items come back standalone (its text before the stem) and a series'
        // solution items as drop-downs, so they are left out here.
        let mut compared = 0;
        let mut different = Vec::new();
        for item in library.bank.items.iter().filter(|i| i.group.is_none()) {
            compared += 1;
            let back = imported
                .items
                .iter()
                .find(|i| i.id == item.id)
                .expect("item back");
            if back != item {
                different.push(format!("{:#?}\n{:#?}", item, back));
            }
        }
        assert!(different.is_empty(), "{format}: {}", different.join("\n\n"));
        assert!(compared > 100, "{compared}");
    }
}

#[test]
fn qti21_package_uses_the_qti_21_vocabulary() {
    let library = common::embedded_library();
    let exported = export(&library, Some("ai-103"), Format::Qti21).expect("export");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(exported.bytes)).expect("zip");
    let mut read = |name: &str| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).expect(name), &mut text)
            .expect("utf-8");
        text
    };
    let manifest = read("imsmanifest.xml");
    assert!(manifest.contains("xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\""));
    assert!(manifest.contains("type=\"imsqti_test_xmlv2p1\""));
    assert!(manifest.contains("type=\"imsqti_item_xmlv2p1\""));
    let test = read("assessment.xml");
    assert!(test.contains("<assessmentTest xmlns=\"http://www.imsglobal.org/xsd/imsqti_v2p1\""));
    assert!(test.contains("<assessmentItemRef "));
    let item = library
        .bank
        .items
        .iter()
        .find(|i| matches!(i.body, certprep_domain::ItemBody::Single { .. }))
        .expect("a single-choice item");
    let xml = read(&format!("items/{}.xml", item.id));
    assert!(xml.contains("<assessmentItem xmlns=\"http://www.imsglobal.org/xsd/imsqti_v2p1\""));
    assert!(xml.contains("<choiceInteraction responseIdentifier=\"RESPONSE\""));
    assert!(xml.contains(
        "template=\"http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct\""
    ));
    assert!(!xml.contains("qti-"), "{xml}");
}

#[tokio::test]
async fn apkg_holds_one_note_and_card_per_item_in_anki_schema_11() {
    use sqlx::Connection as _;
    let library = common::embedded_library();
    let now = chrono::DateTime::from_timestamp(1_765_000_000, 0).expect("time");
    let exported = certprep_interchange::export_apkg(&library, Some("ai-103"), now)
        .await
        .expect("export");
    let expected = library
        .bank
        .items
        .iter()
        .filter(|i| i.objectives.keys().any(|o| o.exam.as_str() == "ai-103"))
        .count();
    assert_eq!(exported.items, expected);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(exported.bytes)).expect("zip");
    let mut media = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("media").expect("media"), &mut media)
        .expect("media");
    assert_eq!(media, "{}");
    let mut db = Vec::new();
    std::io::Read::read_to_end(
        &mut zip.by_name("collection.anki2").expect("collection"),
        &mut db,
    )
    .expect("collection");
    let path = std::env::temp_dir().join(format!("certprep-apkg-{}.anki2", std::process::id()));
    std::fs::write(&path, &db).expect("write");
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&path);
    let mut conn = sqlx::SqliteConnection::connect_with(&options)
        .await
        .expect("open");
    let (ver,): (i64,) = sqlx::query_as("SELECT ver FROM col")
        .fetch_one(&mut conn)
        .await
        .expect("col");
    assert_eq!(ver, 11);
    let (notes, cards): (i64, i64) =
        sqlx::query_as("SELECT (SELECT count(*) FROM notes), (SELECT count(*) FROM cards)")
            .fetch_one(&mut conn)
            .await
            .expect("counts");
    assert_eq!((notes as usize, cards as usize), (expected, expected));
    let item = library
        .bank
        .items
        .iter()
        .find(|i| i.objectives.keys().any(|o| o.exam.as_str() == "ai-103"))
        .expect("an ai-103 item");
    let (flds, tags): (String, String) =
        sqlx::query_as("SELECT flds, tags FROM notes WHERE guid = ?")
            .bind(format!("certprep-{}", item.id))
            .fetch_one(&mut conn)
            .await
            .expect("the item's note");
    let (front, back) = flds.split_once('\u{1f}').expect("two fields");
    assert!(!front.is_empty() && !back.is_empty());
    assert!(tags.contains("certprep::ai-103"), "{tags}");
    let decks: (String,) = sqlx::query_as("SELECT decks FROM col")
        .fetch_one(&mut conn)
        .await
        .expect("decks");
    assert!(decks.0.contains("certprep::AI-103"), "{}", decks.0);
    conn.close().await.expect("close");
    let _ = std::fs::remove_file(&path);
}
