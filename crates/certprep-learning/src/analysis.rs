//! Item analysis for authors, by classical test theory: how hard each item is (facility), whether
//! it separates strong candidates from weak ones (discrimination index and point-biserial), how
//! its options are used (distractor analysis), and how reliable each exam form is (KR-20 and
//! Cronbach's alpha). Pure computation: callers map their response log into [`Attempt`]s and
//! their bank into [`ItemKey`]s ([`keys_of`], [`chosen_labels`]).
//!
//! # Which responses count
//!
//! Only each person's **first** attempt of an item counts, in the order the caller passes them
//! (pass the log in chronological order). A second attempt measures memory of the item (and of
//! its explanation), not the skill it is written for, so repeats would make every item look
//! easier and less discriminating than it is. Attempts with `max_points == 0` carry no
//! information and are ignored; `points` above `max_points` are capped.
//!
//! # The criterion: rest score
//!
//! Discrimination needs a measure of each candidate's ability to compare the item with. Practice
//! data are sparse — each person answers a different subset of items — so a raw total would
//! mostly measure how many items someone answered. The criterion is therefore each person's
//! **share** of points over their **other** items (the rest score): a share is comparable across
//! people who answered different numbers of items, and leaving the item itself out keeps it from
//! correlating with itself (with few items per person that self-correlation would make every item
//! look discriminating). A person who answered nothing else has no criterion and is left out of
//! the discrimination statistics of that item, though not out of its facility.
//!
//! # Upper and lower groups
//!
//! The upper and lower groups are the 27% of an item's ranked respondents with the highest and
//! the lowest criterion (Kelley's classic choice, which balances group size against contrast).
//! Shares of points take few distinct values, so ties at a group's boundary are common; the tied
//! candidates share the remaining places (each counts with a fractional weight), so the result
//! does not depend on the order in which people happen to be listed.

use std::collections::{BTreeMap, HashMap, HashSet};

use certprep_domain::{Answer, Item, ItemBody};
use serde::{Deserialize, Serialize};

/// Below this many respondents an item's statistics are too noisy to act on: with 20
/// respondents the standard error of a correlation is already about 0.22. No statistic-based
/// flag is raised below it; the item reports `insufficient_data`.
pub const MIN_RESPONDENTS: usize = 20;

/// The share of ranked respondents in each of the upper and lower groups (Kelley's 27%).
pub const GROUP_SHARE: f64 = 0.27;

/// Above this facility nearly everyone earns the points: the item tells nobody apart.
pub const TOO_EASY_FACILITY: f64 = 0.95;

/// Below this facility candidates do worse than blind guessing among four options (25%) would
/// do: the key is probably wrong, or the item tests something not taught.
pub const TOO_HARD_FACILITY: f64 = 0.20;

/// A wrong option picked by fewer than this share of respondents does not distract: the item
/// effectively has one option fewer, and guessing gets easier.
pub const UNUSED_DISTRACTOR_SHARE: f64 = 0.02;

/// A wrong option that the upper group picks more often than the lower group is suspect (it may
/// be right too, or the key may be wrong) once at least this share of the upper group picks it;
/// below it the difference is a handful of people.
pub const STRONG_PICK_SHARE: f64 = 0.10;

/// How clearly the upper group must pick a wrong option more often than the lower group: the
/// difference must exceed this many standard errors (pooled two-proportion test, one-sided,
/// about 2.5% false alarms per option when both groups truly pick it equally often). A bare
/// "more often" fires on noise: in simulations of well-behaved items, groups of about 100 people
/// picked a distractor a few points more often in the upper group on roughly one item in twenty.
pub const STRONG_PICK_Z: f64 = 1.96;

/// Reliability is reported only for forms taken in full by at least this many candidates...
pub const MIN_FORM_CANDIDATES: usize = 5;

/// ...and of at least this many items (KR-20 and alpha divide by `items − 1`).
pub const MIN_FORM_ITEMS: usize = 2;

/// One answer of one person to one item, as the response log records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    pub person: String,
    pub item: String,
    /// The exam session's set of items (a form), for per-form reliability; `None` in practice.
    pub form: Option<String>,
    pub points: u32,
    pub max_points: u32,
    /// The option labels the candidate picked (`["B"]`, `["A", "C"]`; for dropdowns
    /// `"slot:label"` such as `"2:B"`); empty when the item is not a choice item.
    /// See [`chosen_labels`].
    pub chosen: Vec<String>,
}

/// The options of a choice item and which are keyed correct, so that options nobody picked are
/// still known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemKey {
    pub item: String,
    pub options: Vec<OptionKey>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionKey {
    pub label: String,
    pub correct: bool,
}

/// How one option of an item was used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistractorStats {
    pub label: String,
    pub correct: bool,
    /// Share of all respondents who picked it.
    pub chosen_share: f64,
    /// Share of the upper and lower 27% (by criterion) who picked it; `None` without ranked
    /// respondents.
    pub upper_share: Option<f64>,
    pub lower_share: Option<f64>,
    /// Mean criterion of the ranked respondents who picked it; `None` when none did.
    pub mean_criterion_of_choosers: Option<f64>,
}

/// Something an author should look at, with the figures that raised it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum Flag {
    /// Strong candidates do worse than weak ones: point-biserial < 0 or D < 0.
    NegativeDiscrimination {
        point_biserial: Option<f64>,
        discrimination_index: Option<f64>,
    },
    /// Facility above [`TOO_EASY_FACILITY`].
    TooEasy { facility: f64 },
    /// Facility below [`TOO_HARD_FACILITY`].
    TooHard { facility: f64 },
    /// A wrong option picked by fewer than [`UNUSED_DISTRACTOR_SHARE`] of respondents.
    UnusedDistractor {
        label: String,
        chosen: usize,
        respondents: usize,
    },
    /// A wrong option picked clearly more by the upper group than by the lower group (by
    /// [`STRONG_PICK_Z`] standard errors), and by at least [`STRONG_PICK_SHARE`] of the upper
    /// group.
    StrongCandidatesPickDistractor {
        label: String,
        upper_share: f64,
        lower_share: f64,
    },
}

impl Flag {
    /// What is wrong and what to check, for the author.
    pub fn message(&self) -> String {
        match self {
            Flag::NegativeDiscrimination {
                point_biserial,
                discrimination_index,
            } => format!(
                "strong candidates do worse on this item than weak ones (point-biserial {}, \
                 D {}): check the key and look for wording that misleads those who know more",
                figure(*point_biserial),
                figure(*discrimination_index)
            ),
            Flag::TooEasy { facility } => format!(
                "{} of the points are earned: the item hardly tells candidates apart; make the \
                 distractors more plausible or retire it",
                percent(*facility)
            ),
            Flag::TooHard { facility } => format!(
                "only {} of the points are earned, below the 25% that guessing among four \
                 options would give: check the key, and whether the topic is in the outline",
                percent(*facility)
            ),
            Flag::UnusedDistractor {
                label,
                chosen: 0,
                respondents,
            } => format!(
                "nobody of {respondents} respondents picked wrong option {label}: it does not \
                 distract; replace it with a mistake candidates really make"
            ),
            Flag::UnusedDistractor {
                label,
                chosen,
                respondents,
            } => format!(
                "only {chosen} of {respondents} respondents ({}) picked wrong option {label}: it \
                 hardly distracts; replace it with a mistake candidates really make",
                percent(share(*chosen, *respondents))
            ),
            Flag::StrongCandidatesPickDistractor {
                label,
                upper_share,
                lower_share,
            } => format!(
                "wrong option {label} attracts strong candidates more than weak ones (upper 27%: \
                 {}, lower 27%: {}): it may be correct too, or the key may be wrong",
                percent(*upper_share),
                percent(*lower_share)
            ),
        }
    }
}

fn figure(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_string(), |x| format!("{x:.2}"))
}

fn percent(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

fn share(count: usize, of: usize) -> f64 {
    if of == 0 {
        0.0
    } else {
        count as f64 / of as f64
    }
}

/// The classical statistics of one item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemHealth {
    pub item: String,
    /// People whose first attempt of the item counts.
    pub respondents: usize,
    /// Respondents with a criterion (who answered at least one other item).
    pub ranked: usize,
    /// Mean share of points.
    pub facility: f64,
    /// Facility of the upper 27% minus that of the lower 27% by criterion.
    pub discrimination_index: Option<f64>,
    /// Correlation of full credit (0/1) with the rest-score criterion; `None` when either does
    /// not vary.
    pub point_biserial: Option<f64>,
    /// One entry per keyed option (empty without an [`ItemKey`]).
    pub distractors: Vec<DistractorStats>,
    pub flags: Vec<Flag>,
    /// Fewer than [`MIN_RESPONDENTS`] respondents: figures shown, no flags raised.
    pub insufficient_data: bool,
}

impl ItemHealth {
    /// One line for the author: too few responses, the flags, or that all looks well.
    pub fn summary(&self) -> String {
        if self.insufficient_data {
            format!(
                "too few responses ({} of the {MIN_RESPONDENTS} needed)",
                self.respondents
            )
        } else if self.flags.is_empty() {
            "no problems found".to_string()
        } else {
            self.flags
                .iter()
                .map(Flag::message)
                .collect::<Vec<_>>()
                .join("; ")
        }
    }
}

/// Internal consistency of one exam form.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormReliability {
    pub form: String,
    /// Candidates who answered every item of the form in their first sitting of it.
    pub candidates: usize,
    pub items: usize,
    /// KR-20 on full credit (0/1); `None` when total scores do not vary.
    pub kr20: Option<f64>,
    /// Cronbach's alpha on shares of points (each item weighs the same whatever its points);
    /// `None` when totals do not vary.
    pub alpha: Option<f64>,
}

/// The analysis of a bank's responses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BankHealth {
    /// Flagged items first, then the rest, then those with too few responses; by id within each.
    pub items: Vec<ItemHealth>,
    pub forms: Vec<FormReliability>,
    /// Distinct people among the counted attempts.
    pub respondents: usize,
    /// Attempts given.
    pub attempts: usize,
    /// Attempts left out because the person had answered the item before.
    pub repeats_ignored: usize,
}

/// The label under which a dropdown slot's choice appears in [`ItemKey`] and
/// [`Attempt::chosen`]: `"2:B"`.
pub fn slot_label(slot: u32, label: char) -> String {
    format!("{slot}:{label}")
}

/// The options of a domain item and their key. Items that are not choice items (order, match,
/// yes/no, solution) get no options.
pub fn keys_of(item: &Item) -> ItemKey {
    let option = |label: String, correct: bool| OptionKey { label, correct };
    let options = match &item.body {
        ItemBody::Single { options } | ItemBody::Multiple { options, .. } => options
            .iter()
            .map(|o| option(o.label.to_string(), o.correct))
            .collect(),
        ItemBody::Dropdown { slots } => slots
            .iter()
            .flat_map(|s| {
                s.choices
                    .iter()
                    .map(|c| option(slot_label(s.number, c.label), c.correct))
            })
            .collect(),
        _ => Vec::new(),
    };
    ItemKey {
        item: item.id.clone(),
        options,
    }
}

/// The labels a candidate picked, in the form [`keys_of`] uses. It needs the item because a list
/// of labels means options for a multiple-response item but one label per slot for a dropdown
/// (whose slot numbers the item knows). Labels are upper-cased and given once; answers to
/// non-choice items give no labels.
pub fn chosen_labels(item: &Item, answer: &Answer) -> Vec<String> {
    let upper = |c: &char| c.to_ascii_uppercase();
    match (&item.body, answer) {
        (ItemBody::Single { .. } | ItemBody::Multiple { .. }, Answer::Choice(c)) => {
            vec![upper(c).to_string()]
        }
        (ItemBody::Single { .. } | ItemBody::Multiple { .. }, Answer::Labels(labels)) => {
            let mut out: Vec<String> = Vec::new();
            for label in labels.iter().flatten().map(|c| upper(c).to_string()) {
                if !out.contains(&label) {
                    out.push(label);
                }
            }
            out
        }
        (ItemBody::Dropdown { slots }, Answer::Labels(labels)) => slots
            .iter()
            .zip(labels)
            .filter_map(|(slot, label)| label.as_ref().map(|l| slot_label(slot.number, upper(l))))
            .collect(),
        _ => Vec::new(),
    }
}

/// One counted response, with the person's criterion for this item.
struct Response<'a> {
    share: f64,
    full: bool,
    chosen: &'a [String],
    criterion: Option<f64>,
}

/// Analyses the responses: per item statistics and flags, per form reliability.
pub fn analyse(attempts: &[Attempt], keys: &[ItemKey]) -> BankHealth {
    let counted = first_attempts(attempts, |a| (&a.person, &a.item));
    let repeats_ignored = attempts.iter().filter(|a| a.max_points > 0).count() - counted.len();
    let totals = person_totals(&counted);
    let mut by_item: BTreeMap<&str, Vec<Response<'_>>> = BTreeMap::new();
    for a in &counted {
        let (points, max) = (u64::from(capped(a)), u64::from(a.max_points));
        let (all_points, all_max) = totals.get(a.person.as_str()).copied().unwrap_or((0, 0));
        let rest_max = all_max.saturating_sub(max);
        let criterion =
            (rest_max > 0).then(|| all_points.saturating_sub(points) as f64 / rest_max as f64);
        by_item.entry(&a.item).or_default().push(Response {
            share: points as f64 / max as f64,
            full: points == max,
            chosen: &a.chosen,
            criterion,
        });
    }
    let keys: HashMap<&str, &ItemKey> = keys.iter().map(|k| (k.item.as_str(), k)).collect();
    let mut items: Vec<ItemHealth> = by_item
        .into_iter()
        .map(|(item, responses)| item_health(item, &responses, keys.get(item).copied()))
        .collect();
    items.sort_by(|x, y| {
        let rank = |h: &ItemHealth| (h.flags.is_empty(), h.insufficient_data);
        rank(x).cmp(&rank(y)).then_with(|| x.item.cmp(&y.item))
    });
    BankHealth {
        items,
        forms: form_reliabilities(attempts),
        respondents: totals.len(),
        attempts: attempts.len(),
        repeats_ignored,
    }
}

fn capped(a: &Attempt) -> u32 {
    a.points.min(a.max_points)
}

/// The first attempt of each `key`, in the order given; attempts worth no points are dropped.
fn first_attempts<'a, K: std::hash::Hash + Eq>(
    attempts: &'a [Attempt],
    key: impl Fn(&'a Attempt) -> K,
) -> Vec<&'a Attempt> {
    let mut seen = HashSet::new();
    attempts
        .iter()
        .filter(|a| a.max_points > 0)
        .filter(|a| seen.insert(key(a)))
        .collect()
}

/// Each person's points and possible points over their counted attempts.
fn person_totals<'a>(counted: &[&'a Attempt]) -> HashMap<&'a str, (u64, u64)> {
    let mut totals: HashMap<&str, (u64, u64)> = HashMap::new();
    for a in counted {
        let t = totals.entry(&a.person).or_default();
        t.0 += u64::from(capped(a));
        t.1 += u64::from(a.max_points);
    }
    totals
}

fn item_health(item: &str, responses: &[Response<'_>], key: Option<&ItemKey>) -> ItemHealth {
    let respondents = responses.len();
    let facility = mean(responses.iter().map(|r| r.share)).unwrap_or(0.0);
    let ranked: Vec<(&Response<'_>, f64)> = responses
        .iter()
        .filter_map(|r| r.criterion.map(|c| (r, c)))
        .collect();
    let criteria: Vec<f64> = ranked.iter().map(|(_, c)| *c).collect();
    let groups = Groups::of(&criteria);
    let discrimination_index = groups.as_ref().map(|g| {
        let shares: Vec<f64> = ranked.iter().map(|(r, _)| r.share).collect();
        g.upper_mean(&shares) - g.lower_mean(&shares)
    });
    let full: Vec<f64> = ranked
        .iter()
        .map(|(r, _)| f64::from(u8::from(r.full)))
        .collect();
    let point_biserial = pearson(&full, &criteria);
    let distractors: Vec<DistractorStats> = key
        .map(|k| k.options.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|option| distractor_stats(option, responses, &ranked, groups.as_ref()))
        .collect();
    let insufficient_data = respondents < MIN_RESPONDENTS;
    let mut health = ItemHealth {
        item: item.to_string(),
        respondents,
        ranked: ranked.len(),
        facility,
        discrimination_index,
        point_biserial,
        distractors,
        flags: Vec::new(),
        insufficient_data,
    };
    if !insufficient_data {
        health.flags = flags(&health, responses);
    }
    health
}

fn distractor_stats(
    option: &OptionKey,
    responses: &[Response<'_>],
    ranked: &[(&Response<'_>, f64)],
    groups: Option<&Groups>,
) -> DistractorStats {
    let picked = |r: &Response<'_>| r.chosen.contains(&option.label);
    let chosen = responses.iter().filter(|r| picked(r)).count();
    let picks: Vec<f64> = ranked
        .iter()
        .map(|(r, _)| f64::from(u8::from(picked(r))))
        .collect();
    DistractorStats {
        label: option.label.clone(),
        correct: option.correct,
        chosen_share: share(chosen, responses.len()),
        upper_share: groups.map(|g| g.upper_mean(&picks)),
        lower_share: groups.map(|g| g.lower_mean(&picks)),
        mean_criterion_of_choosers: mean(ranked.iter().filter(|(r, _)| picked(r)).map(|(_, c)| *c)),
    }
}

/// The flags of an item with enough respondents. Discrimination and group flags also need
/// [`MIN_RESPONDENTS`] ranked respondents, since they rest on the criterion.
fn flags(health: &ItemHealth, responses: &[Response<'_>]) -> Vec<Flag> {
    let mut flags = Vec::new();
    let ranked_enough = health.ranked >= MIN_RESPONDENTS;
    let negative = |x: Option<f64>| x.is_some_and(|x| x < 0.0);
    if ranked_enough && (negative(health.point_biserial) || negative(health.discrimination_index)) {
        flags.push(Flag::NegativeDiscrimination {
            point_biserial: health.point_biserial,
            discrimination_index: health.discrimination_index,
        });
    }
    if health.facility > TOO_EASY_FACILITY {
        flags.push(Flag::TooEasy {
            facility: health.facility,
        });
    }
    if health.facility < TOO_HARD_FACILITY {
        flags.push(Flag::TooHard {
            facility: health.facility,
        });
    }
    for d in health.distractors.iter().filter(|d| !d.correct) {
        if d.chosen_share < UNUSED_DISTRACTOR_SHARE {
            let chosen = responses
                .iter()
                .filter(|r| r.chosen.contains(&d.label))
                .count();
            flags.push(Flag::UnusedDistractor {
                label: d.label.clone(),
                chosen,
                respondents: health.respondents,
            });
        }
        if let (true, Some(upper), Some(lower)) = (ranked_enough, d.upper_share, d.lower_share)
            && upper >= STRONG_PICK_SHARE
            && clearly_more(upper, lower, group_size(health.ranked))
        {
            flags.push(Flag::StrongCandidatesPickDistractor {
                label: d.label.clone(),
                upper_share: upper,
                lower_share: lower,
            });
        }
    }
    flags
}

/// Whether share `upper` exceeds share `lower`, both of groups of `size` people, by more than
/// [`STRONG_PICK_Z`] pooled standard errors.
fn clearly_more(upper: f64, lower: f64, size: usize) -> bool {
    let pooled = 0.5 * (upper + lower);
    let standard_error = (pooled * (1.0 - pooled) * 2.0 / size as f64).sqrt();
    upper - lower > STRONG_PICK_Z * standard_error
}

/// The number of people in each of the upper and lower groups of `ranked` respondents.
fn group_size(ranked: usize) -> usize {
    ((GROUP_SHARE * ranked as f64).round() as usize).max(1)
}

/// The upper and lower 27% of ranked respondents, as weights per respondent (1 inside, 0
/// outside, a fraction for those tied at the boundary); each group's weights sum to its size.
struct Groups {
    lower: Vec<f64>,
    upper: Vec<f64>,
    size: f64,
}

impl Groups {
    fn of(criteria: &[f64]) -> Option<Groups> {
        if criteria.is_empty() {
            return None;
        }
        let size = group_size(criteria.len());
        let negated: Vec<f64> = criteria.iter().map(|c| -c).collect();
        Some(Groups {
            lower: lowest(criteria, size),
            upper: lowest(&negated, size),
            size: size as f64,
        })
    }

    fn lower_mean(&self, values: &[f64]) -> f64 {
        weighted(&self.lower, values) / self.size
    }

    fn upper_mean(&self, values: &[f64]) -> f64 {
        weighted(&self.upper, values) / self.size
    }
}

fn weighted(weights: &[f64], values: &[f64]) -> f64 {
    weights.iter().zip(values).map(|(w, v)| w * v).sum()
}

/// Weights selecting the `size` lowest values; the values tied with the last place share the
/// places left equally.
fn lowest(values: &[f64], size: usize) -> Vec<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let Some(&boundary) = sorted.get(size.saturating_sub(1)) else {
        return vec![1.0; values.len()];
    };
    let below = values.iter().filter(|v| **v < boundary).count();
    let tied = values.iter().filter(|v| **v == boundary).count();
    let tied_weight = (size - below) as f64 / tied as f64;
    values
        .iter()
        .map(|v| {
            if *v < boundary {
                1.0
            } else if *v == boundary {
                tied_weight
            } else {
                0.0
            }
        })
        .collect()
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Pearson correlation; `None` when either variable does not vary (rather than NaN).
fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let mx = mean(x.iter().copied())?;
    let my = mean(y.iter().copied())?;
    let cov: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let vx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    let vy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
    (vx > 0.0 && vy > 0.0).then(|| cov / (vx * vy).sqrt())
}

/// One candidate's sitting of a form: per item, the share of points and whether it was full credit.
type Sitting<'a> = BTreeMap<&'a str, (f64, bool)>;

/// Reliability of each form, over the candidates who answered all of its items (the items seen
/// under that form id) in their first sitting of it. Reliability describes the form as a test,
/// so it uses the form's own responses even where a candidate had met an item in practice
/// before; incomplete sittings are left out because KR-20 and alpha need a complete matrix.
fn form_reliabilities(attempts: &[Attempt]) -> Vec<FormReliability> {
    let in_forms = first_attempts(attempts, |a| (&a.form, &a.person, &a.item));
    let mut forms: BTreeMap<&str, BTreeMap<&str, Sitting<'_>>> = BTreeMap::new();
    for a in &in_forms {
        let Some(form) = a.form.as_deref() else {
            continue;
        };
        let points = capped(a);
        forms
            .entry(form)
            .or_default()
            .entry(&a.person)
            .or_default()
            .insert(
                &a.item,
                (
                    f64::from(points) / f64::from(a.max_points),
                    points == a.max_points,
                ),
            );
    }
    forms
        .into_iter()
        .filter_map(|(form, persons)| form_reliability(form, &persons))
        .collect()
}

fn form_reliability(form: &str, persons: &BTreeMap<&str, Sitting<'_>>) -> Option<FormReliability> {
    let items: HashSet<&str> = persons.values().flat_map(|m| m.keys().copied()).collect();
    let complete: Vec<&Sitting<'_>> = persons
        .values()
        .filter(|m| m.len() == items.len())
        .collect();
    if complete.len() < MIN_FORM_CANDIDATES || items.len() < MIN_FORM_ITEMS {
        return None;
    }
    // Rows in the same (sorted) item order, since every complete map has the same keys.
    let shares: Vec<Vec<f64>> = complete
        .iter()
        .map(|m| m.values().map(|(s, _)| *s).collect())
        .collect();
    let full: Vec<Vec<f64>> = complete
        .iter()
        .map(|m| m.values().map(|(_, f)| f64::from(u8::from(*f))).collect())
        .collect();
    Some(FormReliability {
        form: form.to_string(),
        candidates: complete.len(),
        items: items.len(),
        kr20: cronbach_alpha(&full),
        alpha: cronbach_alpha(&shares),
    })
}

/// Cronbach's alpha of a complete persons × items matrix, with population variances:
/// `k/(k−1) · (1 − Σ var(item) / var(total))`. On 0/1 scores an item's variance is `p·q`, so
/// this is KR-20. `None` when totals do not vary or there are fewer than two items.
pub fn cronbach_alpha(matrix: &[Vec<f64>]) -> Option<f64> {
    let k = matrix.first()?.len();
    if k < 2 || matrix.iter().any(|row| row.len() != k) {
        return None;
    }
    let variance = |values: &[f64]| -> Option<f64> {
        let m = mean(values.iter().copied())?;
        mean(values.iter().map(|v| (v - m).powi(2)))
    };
    let totals: Vec<f64> = matrix.iter().map(|row| row.iter().sum()).collect();
    let total_variance = variance(&totals)?;
    if total_variance <= 0.0 {
        return None;
    }
    let item_variances: f64 = (0..k)
        .filter_map(|i| variance(&matrix.iter().map(|row| row[i]).collect::<Vec<_>>()))
        .sum();
    let k = k as f64;
    Some(k / (k - 1.0) * (1.0 - item_variances / total_variance))
}
