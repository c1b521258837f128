//! Evaluating the recommendation rules of `advisor.toml` over a profile and the exam's facts.

use crate::data::{Conditions, Rule};
use crate::profile::{EmployerCloud, Industry, Profile, Role};

/// What the rules can see besides the profile: the exam's status and the computed figures.
#[derive(Debug, Clone, Default)]
pub(crate) struct Situation {
    pub exam_retired: bool,
    /// Days until a retirement announced for the future.
    pub days_to_retirement: Option<i64>,
    pub successor_available: bool,
    /// The least the exam costs, in the person's currency, when it can be compared with the budget.
    pub cost_min: Option<u32>,
    /// Weeks the preparation takes at the person's hours per week (upper end of the hours).
    pub weeks_needed: Option<u32>,
    pub pass_probability: Option<f64>,
}

/// Does every condition of the rule hold? A condition on something unknown does not.
pub(crate) fn holds(when: &Conditions, profile: &Profile, s: &Situation) -> bool {
    let checks: [Option<bool>; 13] = [
        when.exam_retired.map(|want| s.exam_retired == want),
        when.exam_retiring_within_days.map(|days| {
            s.days_to_retirement
                .is_some_and(|left| left >= 0 && left <= days)
        }),
        when.successor_available
            .map(|want| s.successor_available == want),
        when.foundations_at_most
            .map(|n| profile.foundations.is_some_and(|f| f.count() <= n)),
        when.years_below
            .map(|n| profile.years.is_some_and(|y| y < n)),
        when.employer_cloud_in
            .as_ref()
            .map(|names| named(profile.employer_cloud.map(EmployerCloud::as_str), names)),
        when.role_in
            .as_ref()
            .map(|names| named(profile.role.map(Role::as_str), names)),
        when.industry_in
            .as_ref()
            .map(|names| named(profile.industry.map(Industry::as_str), names)),
        when.partner.map(|want| profile.partner == Some(want)),
        when.client_facing
            .map(|want| profile.client_facing == Some(want)),
        when.budget_below_cost_min
            .map(|want| match (profile.budget, s.cost_min) {
                (Some(budget), Some(min)) => (budget < min) == want,
                _ => false,
            }),
        when.weeks_needed_above
            .map(|n| s.weeks_needed.is_some_and(|w| w > n)),
        when.pass_probability_at_least
            .map(|p| s.pass_probability.is_some_and(|have| have >= p)),
    ];
    checks.iter().all(|c| c.unwrap_or(true))
}

fn named(value: Option<&str>, names: &[String]) -> bool {
    value.is_some_and(|v| names.iter().any(|n| n == v))
}

/// The rules whose conditions hold, in file order.
pub(crate) fn matching<'a>(rules: &'a [Rule], profile: &Profile, s: &Situation) -> Vec<&'a Rule> {
    rules
        .iter()
        .filter(|r| holds(&r.when, profile, s))
        .collect()
}

/// Checks that the names a rule lists exist, so a typo in the data does not silently never fire.
pub(crate) fn check_conditions(when: &Conditions) -> Result<(), String> {
    type NamedList<'a> = (&'a Option<Vec<String>>, Vec<&'static str>, &'static str);
    let lists: [NamedList<'_>; 3] = [
        (
            &when.employer_cloud_in,
            EmployerCloud::names(),
            "employer_cloud_in",
        ),
        (&when.role_in, Role::names(), "role_in"),
        (&when.industry_in, Industry::names(), "industry_in"),
    ];
    for (list, known, field) in lists {
        for name in list.iter().flatten() {
            if !known.contains(&name.as_str()) {
                return Err(format!(
                    "{field}: {name:?} is not one of {}",
                    known.join(", ")
                ));
            }
        }
    }
    if let Some(p) = when.pass_probability_at_least
        && !(0.0..=1.0).contains(&p)
    {
        return Err(format!(
            "pass_probability_at_least {p} is not a probability"
        ));
    }
    Ok(())
}
