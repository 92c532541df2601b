//! Synthetic patients for the demo and the benchmarks: seeded and
//! deterministic, with realistic skew (many Smiths, Garcías and Nguyens),
//! accents and apostrophes, and siblings who share a parent's email.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use time::{Date, Duration};

use crate::domain::{Email, Patient};

/// Surnames with rough weights (per 1000 families), skewed like a real
/// US pediatric practice: the head of the list repeats a lot.
const SURNAMES: &[(&str, u32)] = &[
    ("Smith", 30),
    ("Johnson", 24),
    ("Williams", 20),
    ("Brown", 18),
    ("Jones", 18),
    ("García", 18),
    ("Miller", 15),
    ("Davis", 15),
    ("Rodríguez", 15),
    ("Martínez", 14),
    ("Hernández", 13),
    ("López", 12),
    ("González", 12),
    ("Nguyen", 14),
    ("Wilson", 10),
    ("Anderson", 10),
    ("Thomas", 10),
    ("Taylor", 10),
    ("Moore", 9),
    ("Jackson", 9),
    ("Martin", 9),
    ("Lee", 9),
    ("Pérez", 9),
    ("Thompson", 8),
    ("White", 8),
    ("Harris", 8),
    ("Sánchez", 8),
    ("Clark", 7),
    ("Ramírez", 7),
    ("Lewis", 7),
    ("Robinson", 7),
    ("Walker", 7),
    ("Young", 6),
    ("Allen", 6),
    ("King", 6),
    ("Wright", 6),
    ("Scott", 6),
    ("Torres", 6),
    ("Hill", 5),
    ("Flores", 5),
    ("Green", 5),
    ("Adams", 5),
    ("Nelson", 5),
    ("Baker", 5),
    ("Hall", 5),
    ("Rivera", 5),
    ("Campbell", 4),
    ("Mitchell", 4),
    ("Carter", 4),
    ("Roberts", 4),
    ("Tran", 5),
    ("Pham", 3),
    ("Le", 3),
    ("Kim", 4),
    ("Patel", 5),
    ("Chen", 4),
    ("Wang", 3),
    ("Singh", 3),
    ("Ali", 2),
    ("Cohen", 2),
    ("Schmidt", 2),
    ("O'Brien", 3),
    ("O'Connor", 2),
    ("D'Angelo", 2),
    ("García-López", 2),
    ("Müller", 1),
    ("Nguyễn", 2),
    ("Van der Berg", 1),
    ("St. John", 1),
    ("MacDonald", 1),
    ("McCarthy", 2),
    ("Dubois", 1),
    ("Lefèvre", 1),
    ("Núñez", 2),
    ("Peña", 2),
    ("Ibáñez", 1),
    ("Çelik", 1),
    ("Okafor", 2),
    ("Mensah", 1),
    ("Johansson", 1),
    ("Kowalski", 1),
    ("Rossi", 1),
    ("Yamamoto", 1),
    ("Haddad", 1),
];

const CHILD_NAMES: &[&str] = &[
    "Olivia",
    "Emma",
    "Charlotte",
    "Amelia",
    "Sophia",
    "Mia",
    "Isabella",
    "Ava",
    "Evelyn",
    "Luna",
    "Harper",
    "Camila",
    "Sofía",
    "Valentina",
    "Zoë",
    "Chloé",
    "Renée",
    "Aaliyah",
    "Nadia",
    "Mei",
    "Anh",
    "Siobhán",
    "Liam",
    "Noah",
    "Oliver",
    "James",
    "Elijah",
    "Mateo",
    "Theodore",
    "Henry",
    "Lucas",
    "William",
    "José",
    "André",
    "Santiago",
    "Matías",
    "Seán",
    "Minh",
    "Bảo",
    "Aiden",
    "Jackson",
    "Ethan",
    "Yusuf",
    "Hiroshi",
    "Kwame",
    "Jonah",
    "Ezra",
    "Leo",
    "Nora",
    "Hazel",
    "Aurora",
    "Ellie",
    "Stella",
    "Maya",
    "Jayden",
    "Caleb",
];

const PARENT_NAMES: &[&str] = &[
    "maria",
    "jennifer",
    "michael",
    "david",
    "sarah",
    "jessica",
    "daniel",
    "ashley",
    "christopher",
    "amanda",
    "juan",
    "carlos",
    "linh",
    "thuy",
    "priya",
    "ahmed",
    "kevin",
    "lauren",
    "brian",
    "nicole",
    "jose",
    "ana",
    "rosa",
    "tuan",
    "grace",
    "omar",
];

const DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "example.net",
    "mail.example.com",
];

/// One generated family: the children and, maybe, the parent's email.
#[derive(Debug, Clone)]
pub struct Family {
    pub email: Option<Email>,
    pub children: Vec<Patient>,
}

/// Generates `n` patients in families, deterministically from `seed`.
/// `today` bounds the dates of birth (children aged 0 to 18).
pub fn families(n: usize, seed: u64, today: Date) -> impl Iterator<Item = Family> {
    let mut rng = StdRng::seed_from_u64(seed);
    let total_weight: u32 = SURNAMES.iter().map(|(_, w)| w).sum();
    let mut made = 0usize;
    let mut family_no = 0u64;
    std::iter::from_fn(move || {
        if made >= n {
            return None;
        }
        family_no += 1;
        let kids = match rng.random_range(0..100) {
            0..50 => 1,
            50..80 => 2,
            80..95 => 3,
            _ => 4,
        }
        .min(n - made);
        let mut pick = rng.random_range(0..total_weight);
        let mut surname = SURNAMES[0].0;
        for (name, w) in SURNAMES {
            if pick < *w {
                surname = name;
                break;
            }
            pick -= w;
        }
        let parent = PARENT_NAMES[rng.random_range(0..PARENT_NAMES.len())];
        let domain = DOMAINS[rng.random_range(0..DOMAINS.len())];
        let local = crate::domain::text::search_key(surname);
        // About one family in twelve has given no email.
        let email = (rng.random_range(0..100) < 92)
            .then(|| Email::parse(&format!("{parent}.{local}{family_no}@{domain}")).ok())
            .flatten();
        // Siblings are born one to three years apart, all between 0 and 18.
        let youngest_days = rng.random_range(0..(18 * 365 - 3 * 365 * (kids as i64 - 1)).max(1));
        let children = (0..kids)
            .map(|k| {
                made += 1;
                let age_days = youngest_days + (kids - 1 - k) as i64 * rng.random_range(365..1100);
                Patient {
                    account_number: format!("{}", 100_000 + made),
                    last_name: surname.to_owned(),
                    first_name: CHILD_NAMES[rng.random_range(0..CHILD_NAMES.len())].to_owned(),
                    date_of_birth: today - Duration::days(age_days),
                    email: email.clone(),
                }
            })
            .collect();
        Some(Family { email, children })
    })
}

/// A patients CSV (the import format) for tests and benchmarks.
pub fn write_csv(
    mut out: impl std::io::Write,
    n: usize,
    seed: u64,
    today: Date,
) -> std::io::Result<()> {
    writeln!(
        out,
        "account_number,last_name,first_name,date_of_birth,email"
    )?;
    for fam in families(n, seed, today) {
        for p in fam.children {
            let email = p
                .email
                .as_ref()
                .map(|e| e.as_str().to_owned())
                .unwrap_or_default();
            let q = |s: &str| {
                if s.contains([',', '"']) {
                    format!("\"{}\"", s.replace('"', "\"\""))
                } else {
                    s.to_owned()
                }
            };
            writeln!(
                out,
                "{},{},{},{},{}",
                p.account_number,
                q(&p.last_name),
                q(&p.first_name),
                p.date_of_birth,
                email
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn deterministic_and_skewed() {
        let today = date!(2026 - 01 - 05);
        let a: Vec<_> = families(2000, 7, today).flat_map(|f| f.children).collect();
        let b: Vec<_> = families(2000, 7, today).flat_map(|f| f.children).collect();
        assert_eq!(a, b);
        assert_eq!(a.len(), 2000);
        let smiths = a.iter().filter(|p| p.last_name == "Smith").count();
        let celik = a.iter().filter(|p| p.last_name == "Çelik").count();
        assert!(smiths > 5 * celik.max(1), "smiths {smiths} celik {celik}");
        assert!(
            a.iter()
                .all(|p| p.date_of_birth <= today && p.date_of_birth >= date!(2007 - 01 - 01))
        );
        assert!(a.iter().any(|p| p.last_name.contains('\'')));
    }
}
