//! What a person tells the advisor about themselves. Every field is optional: a rule about
//! something the person did not say does not fire, and the advice says what it could not weigh.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An enum of fixed kebab-case names, parsed from and shown as those names.
macro_rules! choices {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            /// The names accepted, for messages and forms.
            pub fn names() -> Vec<&'static str> {
                Self::ALL.iter().map(|c| c.as_str()).collect()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                let wanted = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
                Self::ALL
                    .iter()
                    .copied()
                    .find(|c| c.as_str() == wanted)
                    .ok_or_else(|| format!("{s:?} is not one of: {}", Self::names().join(", ")))
            }
        }
    };
}

choices!(
    /// The person's role today.
    Role {
        SoftwareEngineer => "software-engineer",
        CloudEngineer => "cloud-engineer",
        DataEngineer => "data-engineer",
        DataScientist => "data-scientist",
        SolutionArchitect => "solution-architect",
        Consultant => "consultant",
        ItPro => "it-pro",
        Researcher => "researcher",
        Student => "student",
        Manager => "manager",
        Other => "other",
    }
);

choices!(
    /// The cloud the person's employer runs on.
    EmployerCloud {
        Azure => "azure",
        AzurePlanned => "azure-planned",
        Aws => "aws",
        Gcp => "gcp",
        Other => "other",
        None => "none",
    }
);

choices!(
    Industry {
        FinancialServices => "financial-services",
        Healthcare => "healthcare",
        Government => "government",
        Retail => "retail",
        Manufacturing => "manufacturing",
        Technology => "technology",
        Education => "education",
        Other => "other",
    }
);

/// Which foundations the person has: writing software, running cloud services, working with data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Foundations {
    pub software: bool,
    pub cloud: bool,
    pub data: bool,
}

impl Foundations {
    pub fn count(self) -> u8 {
        u8::from(self.software) + u8::from(self.cloud) + u8::from(self.data)
    }

    /// From a comma-separated list such as `software,cloud` (or `none`).
    pub fn parse_list(text: &str) -> Result<Self, String> {
        let mut f = Foundations::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part.to_ascii_lowercase().as_str() {
                "software" => f.software = true,
                "cloud" => f.cloud = true,
                "data" => f.data = true,
                "none" => {}
                other => {
                    return Err(format!(
                        "{other:?} is not a foundation: give software, cloud, data or none"
                    ));
                }
            }
        }
        Ok(f)
    }

    pub fn describe(self) -> String {
        let names: Vec<&str> = [
            (self.software, "software"),
            (self.cloud, "cloud"),
            (self.data, "data"),
        ]
        .into_iter()
        .filter_map(|(has, name)| has.then_some(name))
        .collect();
        if names.is_empty() {
            "none".into()
        } else {
            names.join(", ")
        }
    }
}

/// A person's situation. Money is in `currency`; `usd_rate` converts the advisor's US-dollar
/// figures (units of `currency` per US dollar), since certprep never looks rates up.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    pub role: Option<Role>,
    pub years: Option<u32>,
    pub foundations: Option<Foundations>,
    pub employer_cloud: Option<EmployerCloud>,
    pub partner: Option<bool>,
    pub client_facing: Option<bool>,
    pub industry: Option<Industry>,
    pub hours_per_week: Option<f64>,
    pub budget: Option<u32>,
    pub currency: Option<String>,
    pub usd_rate: Option<f64>,
    /// The exam fee in the person's country, in `currency`.
    pub fee: Option<u32>,
    /// Cost lines set by the person (`course` = 0 when they will not buy one), in `currency`.
    pub cost_overrides: Vec<(String, u32)>,
}

impl Profile {
    pub fn currency(&self) -> &str {
        self.currency.as_deref().unwrap_or("USD")
    }

    /// What the person left unsaid, so the advice can say what it could not weigh.
    pub fn unknowns(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.role.is_none() {
            out.push("role");
        }
        if self.years.is_none() {
            out.push("years of experience");
        }
        if self.foundations.is_none() {
            out.push("foundations");
        }
        if self.employer_cloud.is_none() {
            out.push("employer's cloud");
        }
        if self.partner.is_none() {
            out.push("partner organisation");
        }
        if self.client_facing.is_none() {
            out.push("client-facing work");
        }
        if self.industry.is_none() {
            out.push("industry");
        }
        if self.hours_per_week.is_none() {
            out.push("hours per week");
        }
        if self.budget.is_none() {
            out.push("budget");
        }
        out
    }

    /// Checks figures a form or a flag can get wrong.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(h) = self.hours_per_week
            && !(h.is_finite() && h > 0.0 && h <= 80.0)
        {
            return Err(format!(
                "hours per week must be more than 0 and at most 80, not {h}"
            ));
        }
        if let Some(r) = self.usd_rate
            && !(r.is_finite() && r > 0.0)
        {
            return Err(format!(
                "the exchange rate must be a positive number, not {r}"
            ));
        }
        if let Some(y) = self.years
            && y > 60
        {
            return Err(format!(
                "{y} years of experience is more than certprep believes"
            ));
        }
        if let Some(c) = &self.currency
            && !(c.len() == 3 && c.chars().all(|ch| ch.is_ascii_alphabetic()))
        {
            return Err(format!(
                "{c:?} is not a three-letter currency code such as USD or EUR"
            ));
        }
        Ok(())
    }
}
