//! The advisor's questions in the terminal app: one line per part of the profile, chosen with
//! ←→ (or typed, for numbers), saved with enter. Currency, rate and cost lines are set with
//! `certprep advise` or on the web; this form keeps them as they are.

use certprep_advisor::{EmployerCloud, Foundations, Industry, Profile, Role, trim_number};

/// One line of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Role,
    Years,
    Software,
    Cloud,
    Data,
    EmployerCloud,
    Partner,
    ClientFacing,
    Industry,
    HoursPerWeek,
    Budget,
    Fee,
}

impl Field {
    pub const ALL: [Field; 12] = [
        Field::Role,
        Field::Years,
        Field::Software,
        Field::Cloud,
        Field::Data,
        Field::EmployerCloud,
        Field::Partner,
        Field::ClientFacing,
        Field::Industry,
        Field::HoursPerWeek,
        Field::Budget,
        Field::Fee,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Field::Role => "Role",
            Field::Years => "Years of experience",
            Field::Software => "Writing software",
            Field::Cloud => "Running cloud services",
            Field::Data => "Working with data",
            Field::EmployerCloud => "Employer's cloud",
            Field::Partner => "Microsoft partner or integrator",
            Field::ClientFacing => "Consulting or client-facing",
            Field::Industry => "Industry",
            Field::HoursPerWeek => "Hours a week",
            Field::Budget => "Budget",
            Field::Fee => "Exam fee in your country",
        }
    }

    /// Typed with digits rather than chosen.
    pub fn is_number(self) -> bool {
        matches!(
            self,
            Field::Years | Field::HoursPerWeek | Field::Budget | Field::Fee
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProfileForm {
    pub profile: Profile,
    pub cursor: usize,
    /// A number being typed on the current line.
    pub typing: Option<String>,
}

/// The next of `all` after `current` (None counts as "not said", before the first), wrapping.
fn cycle<T: Copy + PartialEq>(all: &[T], current: Option<T>, forward: bool) -> Option<T> {
    let mut order: Vec<Option<T>> = vec![None];
    order.extend(all.iter().copied().map(Some));
    let at = order.iter().position(|o| *o == current).unwrap_or(0);
    let len = order.len();
    let next = if forward {
        (at + 1) % len
    } else {
        (at + len - 1) % len
    };
    order[next]
}

fn yes_no(v: Option<bool>) -> String {
    match v {
        None => "not said".into(),
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
    }
}

impl ProfileForm {
    pub fn new(profile: Profile) -> Self {
        ProfileForm {
            profile,
            cursor: 0,
            typing: None,
        }
    }

    pub fn field(&self) -> Field {
        Field::ALL[self.cursor.min(Field::ALL.len() - 1)]
    }

    /// The value shown for a line.
    pub fn value(&self, field: Field) -> String {
        let p = &self.profile;
        let f = p.foundations.unwrap_or_default();
        let said = p.foundations.is_some();
        let foundation = |has: bool| {
            if said {
                yes_no(Some(has))
            } else {
                "not said".into()
            }
        };
        let number = |n: Option<String>| n.unwrap_or_else(|| "not said".into());
        match field {
            Field::Role => p
                .role
                .map_or("not said".into(), |r| r.as_str().replace('-', " ")),
            Field::Years => number(p.years.map(|y| y.to_string())),
            Field::Software => foundation(f.software),
            Field::Cloud => foundation(f.cloud),
            Field::Data => foundation(f.data),
            Field::EmployerCloud => p
                .employer_cloud
                .map_or("not said".into(), |c| c.as_str().replace('-', " ")),
            Field::Partner => yes_no(p.partner),
            Field::ClientFacing => yes_no(p.client_facing),
            Field::Industry => p
                .industry
                .map_or("not said".into(), |i| i.as_str().replace('-', " ")),
            Field::HoursPerWeek => number(p.hours_per_week.map(trim_number)),
            Field::Budget => number(p.budget.map(|b| format!("{b} {}", p.currency()))),
            Field::Fee => number(p.fee.map(|b| format!("{b} {}", p.currency()))),
        }
    }

    pub fn up(&mut self) {
        self.commit_typing();
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn down(&mut self) {
        self.commit_typing();
        self.cursor = (self.cursor + 1).min(Field::ALL.len() - 1);
    }

    /// ←→ or space: the next choice of the current line.
    pub fn choose(&mut self, forward: bool) {
        let field = self.field();
        let p = &mut self.profile;
        match field {
            Field::Role => p.role = cycle(Role::ALL, p.role, forward),
            Field::EmployerCloud => {
                p.employer_cloud = cycle(EmployerCloud::ALL, p.employer_cloud, forward);
            }
            Field::Industry => p.industry = cycle(Industry::ALL, p.industry, forward),
            Field::Partner => p.partner = cycle(&[true, false], p.partner, forward),
            Field::ClientFacing => {
                p.client_facing = cycle(&[true, false], p.client_facing, forward);
            }
            // A foundation answered says the others are answered too (no, until chosen).
            Field::Software | Field::Cloud | Field::Data => {
                let mut f: Foundations = p.foundations.unwrap_or_default();
                let flag = match field {
                    Field::Software => &mut f.software,
                    Field::Cloud => &mut f.cloud,
                    _ => &mut f.data,
                };
                *flag = !*flag;
                p.foundations = Some(f);
            }
            _ => {}
        }
    }

    /// A digit or a point typed on a number line.
    pub fn type_char(&mut self, c: char) {
        if self.field().is_number()
            && (c.is_ascii_digit() || (c == '.' && self.field() == Field::HoursPerWeek))
        {
            let text = self.typing.get_or_insert_with(String::new);
            if text.len() < 7 {
                text.push(c);
            }
        }
    }

    pub fn backspace(&mut self) {
        let number = self.field().is_number();
        match &mut self.typing {
            Some(t) => {
                t.pop();
            }
            // Backspace on a number not being typed clears it ("not said").
            None if number => self.typing = Some(String::new()),
            None => {}
        }
    }

    /// Puts the number typed into the profile: empty clears it.
    pub fn commit_typing(&mut self) {
        let Some(text) = self.typing.take() else {
            return;
        };
        let field = self.field();
        let p = &mut self.profile;
        let text = text.trim();
        match field {
            Field::Years => p.years = text.parse().ok(),
            Field::HoursPerWeek => p.hours_per_week = text.parse().ok().filter(|h: &f64| *h > 0.0),
            Field::Budget => p.budget = text.parse().ok(),
            Field::Fee => p.fee = text.parse().ok(),
            _ => {}
        }
    }
}
