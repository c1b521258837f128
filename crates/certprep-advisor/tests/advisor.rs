//! The advisor over the embedded content: the recommendation rules as a table of profiles,
//! the cost and hours arithmetic, the objective map between AI-102 and AI-103.

use certprep_advisor::{
    AdvisorContent, EmployerCloud, Evidence, ExamFacts, Foundations, Industry, Profile,
    Recommendation, Role, advise,
};
use certprep_bank::Library;
use chrono::NaiveDate;

fn library() -> Library {
    serde_json::from_str(certprep_content::LIBRARY_JSON).expect("the embedded library parses")
}

fn content(library: &Library) -> AdvisorContent {
    let files: Vec<(&str, &str)> = certprep_content::files()
        .filter(|f| f.path.starts_with("content/advisor/"))
        .map(|f| (f.path, f.text))
        .collect();
    AdvisorContent::load(files, &library.catalog).expect("the advisor's content is valid")
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
}

fn facts(library: &Library, code: &str, today: NaiveDate) -> ExamFacts {
    let exam = library
        .catalog
        .exam(&certprep_domain::ExamCode::new(code))
        .expect("the exam is in the catalog");
    ExamFacts::of(exam, &library.catalog, today)
}

fn engineer() -> Profile {
    Profile {
        role: Some(Role::SoftwareEngineer),
        years: Some(5),
        foundations: Some(Foundations {
            software: true,
            cloud: true,
            data: true,
        }),
        employer_cloud: Some(EmployerCloud::Azure),
        partner: Some(false),
        client_facing: Some(false),
        industry: Some(Industry::Technology),
        hours_per_week: Some(8.0),
        budget: Some(600),
        ..Profile::default()
    }
}

/// Profiles and the recommendation and reasons (rule ids) they lead to, on 2026-12-06.
#[test]
fn recommendation_rules() {
    let library = library();
    let c = content(&library);
    let today = day("2026-12-06");
    let none = Foundations::default();
    let one = Foundations {
        software: true,
        ..Foundations::default()
    };
    type Case = (
        &'static str,
        &'static str,
        Profile,
        Option<Evidence>,
        Recommendation,
        &'static [&'static str],
    );
    let cases: Vec<Case> = vec![
        (
            "engineer in an Azure shop",
            "ai-103",
            engineer(),
            None,
            Recommendation::GoAhead,
            &["azure-shop", "engineer-moving", "portfolio-too"],
        ),
        (
            "AI-102 is retired, AI-103 available",
            "ai-102",
            engineer(),
            None,
            Recommendation::ConsiderAlternative,
            &["retired-successor", "azure-shop"],
        ),
        (
            "no foundations",
            "ai-103",
            Profile {
                foundations: Some(none),
                years: Some(0),
                role: Some(Role::Student),
                ..engineer()
            },
            None,
            Recommendation::BuildFoundations,
            &["no-foundations", "early-career-thin", "portfolio-too"],
        ),
        (
            "early career, one foundation",
            "ai-103",
            Profile {
                foundations: Some(one),
                years: Some(0),
                ..engineer()
            },
            None,
            Recommendation::BuildFoundations,
            &["early-career-thin"],
        ),
        (
            "employer on AWS",
            "ai-103",
            Profile {
                employer_cloud: Some(EmployerCloud::Aws),
                ..engineer()
            },
            None,
            Recommendation::ConsiderAlternative,
            &["other-cloud"],
        ),
        (
            "researcher",
            "ai-103",
            Profile {
                role: Some(Role::Researcher),
                ..engineer()
            },
            None,
            Recommendation::ConsiderAlternative,
            &["researcher", "azure-shop"],
        ),
        (
            "no Azure, not client-facing",
            "ai-103",
            Profile {
                employer_cloud: Some(EmployerCloud::None),
                ..engineer()
            },
            None,
            Recommendation::ConsiderAlternative,
            &["no-azure-no-plans"],
        ),
        (
            "no Azure but a partner",
            "ai-103",
            Profile {
                employer_cloud: Some(EmployerCloud::None),
                partner: Some(true),
                ..engineer()
            },
            None,
            Recommendation::GoAhead,
            &["partner"],
        ),
        (
            "partner consultant in banking",
            "ai-103",
            Profile {
                role: Some(Role::Consultant),
                partner: Some(true),
                client_facing: Some(true),
                industry: Some(Industry::FinancialServices),
                ..engineer()
            },
            None,
            Recommendation::GoAhead,
            &[
                "partner",
                "client-facing",
                "azure-shop",
                "credentialed-industry",
            ],
        ),
        (
            "budget below the least cost",
            "ai-103",
            Profile {
                budget: Some(100),
                ..engineer()
            },
            None,
            Recommendation::BuildFoundations,
            &["budget-short"],
        ),
        (
            "one hour a week",
            "ai-103",
            Profile {
                hours_per_week: Some(1.0),
                ..engineer()
            },
            None,
            Recommendation::BuildFoundations,
            &["hours-too-few"],
        ),
        (
            "already ready",
            "ai-103",
            engineer(),
            Some(Evidence {
                pass_probability: 0.9,
                items_answered: 150,
            }),
            Recommendation::GoAhead,
            &["already-ready"],
        ),
        (
            "high probability on too few answers",
            "ai-103",
            engineer(),
            Some(Evidence {
                pass_probability: 0.9,
                items_answered: 10,
            }),
            Recommendation::GoAhead,
            &[],
        ),
        (
            "nothing said",
            "ai-103",
            Profile::default(),
            None,
            Recommendation::GoAhead,
            &[],
        ),
    ];
    for (name, exam, profile, evidence, want, reasons) in cases {
        let advice = advise(
            &c.data,
            &profile,
            &facts(&library, exam, today),
            evidence,
            today,
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(advice.recommendation, want, "{name}: {:#?}", advice.reasons);
        let fired: Vec<&str> = advice.reasons.iter().map(|r| r.rule.as_str()).collect();
        for r in reasons {
            assert!(
                fired.contains(r),
                "{name}: {r} did not fire; fired {fired:?}"
            );
        }
        if reasons.is_empty() && name == "high probability on too few answers" {
            assert!(!fired.contains(&"already-ready"), "{name}: {fired:?}");
        }
        // The deciding reason comes first.
        if want != Recommendation::GoAhead {
            assert_eq!(
                advice.reasons[0].recommends,
                Some(want),
                "{name}: {fired:?}"
            );
        }
    }
}

#[test]
fn a_reason_fills_in_the_exam_facts() {
    let library = library();
    let c = content(&library);
    let today = day("2026-12-06");
    let advice = advise(
        &c.data,
        &engineer(),
        &facts(&library, "ai-102", today),
        None,
        today,
    )
    .expect("advice");
    let first = &advice.reasons[0].text;
    assert!(first.starts_with("AI-102 retired on 2026-06-30"), "{first}");
    assert!(first.contains("successor AI-103"), "{first}");
    assert!(!first.contains('{'), "a placeholder left: {first}");
}

/// The exam fee (US$165 in the catalog) plus course 30–200, book 40–60, labs 20–100.
#[test]
fn cost_arithmetic() {
    let library = library();
    let c = content(&library);
    let today = day("2026-12-06");
    let exam = facts(&library, "ai-103", today);
    let advice = advise(&c.data, &engineer(), &exam, None, today).expect("advice");
    assert_eq!(
        (advice.cost.min, advice.cost.max),
        (165 + 30 + 40 + 20, 165 + 200 + 60 + 100)
    );
    assert_eq!(advice.cost.currency, "USD");
    let ids: Vec<&str> = advice.cost.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["exam-fee", "course", "book", "labs"]);
    assert!(
        advice.cost.items.iter().all(|i| !i.verified),
        "every figure is unverified in the data"
    );
    assert_eq!(advice.cost.typical_total, [200, 500]);

    // The fee for the country and no course, in euros at 0.9 per dollar.
    let profile = Profile {
        currency: Some("EUR".into()),
        usd_rate: Some(0.9),
        fee: Some(126),
        cost_overrides: vec![("course".into(), 0)],
        ..engineer()
    };
    let advice = advise(&c.data, &profile, &exam, None, today).expect("advice");
    assert_eq!(advice.cost.currency, "EUR");
    // 126 + 0 + book 36–54 + labs 18–90
    assert_eq!(
        (advice.cost.min, advice.cost.max),
        (126 + 36 + 18, 126 + 54 + 90)
    );
    let fee = &advice.cost.items[0];
    assert!(fee.overridden && fee.verified);
    assert!(advice.cost.items[2].converted);

    // Euros without a rate cannot be compared: a clear message, not a wrong sum.
    let no_rate = Profile {
        currency: Some("EUR".into()),
        usd_rate: None,
        ..engineer()
    };
    let err = advise(&c.data, &no_rate, &exam, None, today).expect_err("needs a rate");
    assert!(err.to_string().contains("exchange rate"), "{err}");
    let bad_line = Profile {
        cost_overrides: vec![("flights".into(), 10)],
        ..engineer()
    };
    let err = advise(&c.data, &bad_line, &exam, None, today).expect_err("unknown line");
    assert!(
        err.to_string().contains("exam-fee, course, book, labs"),
        "{err}"
    );
}

#[test]
fn hours_narrow_by_foundations_and_readiness() {
    let library = library();
    let c = content(&library);
    let today = day("2026-12-06");
    let exam = facts(&library, "ai-103", today);
    let at = |profile: &Profile, evidence| {
        let a = advise(&c.data, profile, &exam, evidence, today).expect("advice");
        (a.hours.min, a.hours.max, a.hours.weeks)
    };
    // Source range; experienced lower part; no foundations upper part.
    assert_eq!(at(&Profile::default(), None), (80, 150, None));
    assert_eq!(at(&engineer(), None), (80, 115, Some([10, 15])));
    let novice = Profile {
        foundations: Some(Foundations::default()),
        ..engineer()
    };
    assert_eq!(at(&novice, None), (120, 150, Some([15, 19])));
    // Evidence: 0.425 of a 0.85 target is half the way, so half the hours (rounded to 5).
    let half = Evidence {
        pass_probability: 0.425,
        items_answered: 100,
    };
    assert_eq!(at(&engineer(), Some(half)), (40, 60, Some([5, 8])));
    // At the target, only the floor.
    let ready = Evidence {
        pass_probability: 0.9,
        items_answered: 100,
    };
    assert_eq!(at(&engineer(), Some(ready)), (8, 15, Some([1, 2])));
    // Too few answers: no narrowing, and the reasoning says why.
    let few = Evidence {
        pass_probability: 0.9,
        items_answered: 5,
    };
    let a = advise(&c.data, &engineer(), &exam, Some(few), today).expect("advice");
    assert_eq!((a.hours.min, a.hours.max), (80, 115));
    assert!(
        a.hours
            .reasoning
            .iter()
            .any(|r| r.contains("5 of the 20 answers")),
        "{:?}",
        a.hours.reasoning
    );
}

#[test]
fn json_has_the_promised_fields() {
    let library = library();
    let c = content(&library);
    let today = day("2026-12-06");
    let advice = advise(
        &c.data,
        &engineer(),
        &facts(&library, "ai-103", today),
        None,
        today,
    )
    .expect("advice");
    let json = serde_json::to_value(&advice).expect("json");
    for pointer in [
        "/cost/min",
        "/cost/max",
        "/cost/currency",
        "/cost/items/0/source",
        "/hours/min",
        "/hours/max",
        "/recommendation",
        "/reasons/0/text",
        "/alternatives/0/name",
    ] {
        assert!(json.pointer(pointer).is_some(), "{pointer} missing");
    }
    assert_eq!(json["recommendation"], "go-ahead");
    let retired: Vec<&serde_json::Value> = json["alternatives"]
        .as_array()
        .expect("list")
        .iter()
        .filter(|a| a["status"] == "retired")
        .collect();
    assert_eq!(retired.len(), 1);
    assert_eq!(
        retired[0]["successor"],
        "AWS Certified Machine Learning Engineer – Associate"
    );
}

#[test]
fn invalid_profiles_are_refused_with_a_reason() {
    let library = library();
    let c = content(&library);
    let today = day("2026-12-06");
    let exam = facts(&library, "ai-103", today);
    for (profile, words) in [
        (
            Profile {
                hours_per_week: Some(0.0),
                ..engineer()
            },
            "hours per week",
        ),
        (
            Profile {
                hours_per_week: Some(f64::NAN),
                ..engineer()
            },
            "hours per week",
        ),
        (
            Profile {
                currency: Some("EURO".into()),
                ..engineer()
            },
            "three-letter",
        ),
        (
            Profile {
                usd_rate: Some(-1.0),
                currency: Some("EUR".into()),
                ..engineer()
            },
            "exchange rate",
        ),
    ] {
        let err = advise(&c.data, &profile, &exam, None, today).expect_err("refused");
        assert!(err.to_string().contains(words), "{err}");
    }
    assert!("astronaut".parse::<Role>().is_err());
    assert_eq!(
        "Software Engineer".parse::<Role>(),
        Ok(Role::SoftwareEngineer)
    );
    assert!(Foundations::parse_list("software,magic").is_err());
}

#[test]
fn the_ai_102_map_covers_every_objective_and_carries_over() {
    let library = library();
    let c = content(&library);
    let map = c.map_from("ai-102").expect("a map from AI-102");
    let from =
        certprep_advisor::outline_objectives_of(&library.catalog, &map.from).expect("outline");
    let to = certprep_advisor::outline_objectives_of(&library.catalog, &map.to).expect("outline");
    assert_eq!(map.entries.len(), from.objectives.len());
    // Items tagged on both outlines back the pairs.
    let pairs: Vec<(Vec<String>, Vec<String>)> = library
        .bank
        .items
        .iter()
        .filter_map(|i| {
            let old = i
                .objectives
                .iter()
                .find(|(o, _)| o.to_string() == map.from)?
                .1
                .clone();
            let new = i
                .objectives
                .iter()
                .find(|(o, _)| o.to_string() == map.to)?
                .1
                .clone();
            Some((old, new))
        })
        .collect();
    let shared = certprep_advisor::shared_item_counts(
        pairs.iter().map(|(a, b)| (a.as_slice(), b.as_slice())),
    );
    let nobody = std::collections::HashMap::new();
    let outline_view = certprep_advisor::carry_over(map, &from, &to, &shared, &nobody);
    assert_eq!(outline_view.basis, "the outline");
    assert_eq!(
        outline_view.full + outline_view.partial + outline_view.none,
        from.objectives.len()
    );
    assert!(
        outline_view.share > 0.5 && outline_view.share < 0.9,
        "{}",
        outline_view.share
    );
    assert!(
        outline_view
            .objectives
            .iter()
            .filter(|o| o.carries != certprep_advisor::Carries::None)
            .any(|o| o.shared_items > 0)
    );
    // Someone who practised only Custom Vision carries nothing, and all of AI-103 is new.
    let cv: std::collections::HashMap<String, usize> = [("cv-train".to_string(), 12)].into();
    let theirs = certprep_advisor::carry_over(map, &from, &to, &shared, &cv);
    assert_eq!(theirs.basis, "your practice");
    assert_eq!(theirs.share, 0.0);
    assert_eq!(theirs.new_to_you.len(), to.objectives.len());
    // Someone who practised RAG and evaluation carries it all; those AI-103 objectives are not new.
    let rag: std::collections::HashMap<String, usize> =
        [("rag".to_string(), 10), ("evaluate".to_string(), 10)].into();
    let theirs = certprep_advisor::carry_over(map, &from, &to, &shared, &rag);
    assert!((theirs.share - 1.0).abs() < 1e-9);
    assert!(
        !theirs
            .new_to_you
            .iter()
            .any(|(id, _, _)| id == "rag" || id == "safety-evaluations")
    );
    assert!(
        theirs
            .new_to_you
            .iter()
            .any(|(id, _, _)| id == "agent-governance")
    );
}

#[test]
fn a_broken_map_is_refused_with_its_problems() {
    let library = library();
    let from = certprep_advisor::outline_objectives_of(&library.catalog, "ai-102@2025-12-23")
        .expect("outline");
    let to = certprep_advisor::outline_objectives_of(&library.catalog, "ai-103@2026-04-16")
        .expect("outline");
    let text = r#"
from = "ai-102@2025-12-23"
to = "ai-103@2026-04-16"
[[map]]
from = "rag"
to = ["rag", "no-such-objective"]
carries = "full"
[[map]]
from = "rag"
to = []
carries = "partial"
"#;
    let map = certprep_advisor::ObjectiveMap::parse("m.toml", text).expect("parses");
    let err = map
        .check("m.toml", &from, &to)
        .expect_err("refused")
        .to_string();
    for words in [
        "no-such-objective",
        "rag is mapped twice",
        "lists no objective",
        "select-generative of ai-102@2025-12-23 is not mapped",
    ] {
        assert!(err.contains(words), "{words}: {err}");
    }
}
