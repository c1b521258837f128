//! certprep's side of the IRT peer benchmark (`scripts/bench-irt`): writes seeded simulated
//! data sets that the Python peers (girth, mirt) read too, and calibrates them with certprep so
//! that every tool is timed and scored on the very same responses.
//!
//! ```text
//! irt_peers generate --persons P --items I [--per-person K] --seed S --out DIR
//! irt_peers calibrate --data DIR
//! ```
//!
//! A data set is a folder of three files:
//! - `meta.json`: persons, items, per_person, seed and a description of the layout;
//! - `responses.i8`: a dense persons × items matrix of signed bytes, row-major (one row per
//!   person): 1 correct, 0 wrong, −1 not answered. Dense, because both peers take a dense
//!   matrix, and bytes, because numpy reads them in one call (`np.fromfile`) even at 60 MB;
//! - `truth.json`: the generating a, b and theta.
//!
//! `calibrate` prints one JSON object: seconds (wall time of calibration plus EAP abilities,
//! excluding reading the files), cpu_seconds (the same span in CPU time), iterations, and rmse and correlation of a, b and theta against
//! the truth.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use certprep_learning::irt::{CalibrationOptions, Observation, Responses, abilities, calibrate};
use certprep_learning::simulate::{correlation, rmse, simulate};
use serde::{Deserialize, Serialize};

const MISSING: i8 = -1;

#[derive(Debug, Serialize, Deserialize)]
struct Meta {
    persons: usize,
    items: usize,
    per_person: Option<usize>,
    seed: u64,
    layout: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Truth {
    a: Vec<f64>,
    b: Vec<f64>,
    theta: Vec<f64>,
}

/// How close one family of estimates came to the truth.
#[derive(Debug, Serialize)]
struct Recovery {
    rmse: f64,
    r: f64,
}

impl Recovery {
    fn of(estimate: &[f64], truth: &[f64]) -> Self {
        Recovery {
            rmse: rmse(estimate, truth),
            r: correlation(estimate, truth),
        }
    }
}

#[derive(Debug, Serialize)]
struct Report {
    tool: &'static str,
    version: &'static str,
    method: String,
    theta_method: String,
    seconds: f64,
    cpu_seconds: Option<f64>,
    iterations: usize,
    converged: bool,
    a: Recovery,
    b: Recovery,
    theta: Recovery,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("generate") => generate(&args[1..]),
        Some("calibrate") => run_calibration(&args[1..]),
        _ => Err(usage()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("irt_peers: {message}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> String {
    "usage: irt_peers generate --persons P --items I [--per-person K] --seed S --out DIR\n       \
     irt_peers calibrate --data DIR"
        .to_string()
}

/// The value after `--name`, if given.
fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

fn required<T: std::str::FromStr>(args: &[String], name: &str) -> Result<T, String> {
    let raw = flag(args, name).ok_or_else(|| format!("{name} is required\n{}", usage()))?;
    raw.parse()
        .map_err(|_| format!("{name}: cannot read {raw:?} as a number"))
}

fn generate(args: &[String]) -> Result<(), String> {
    let persons: usize = required(args, "--persons")?;
    let items: usize = required(args, "--items")?;
    let seed: u64 = required(args, "--seed")?;
    let per_person = match flag(args, "--per-person") {
        Some(_) => Some(required::<usize>(args, "--per-person")?),
        None => None,
    };
    let out = PathBuf::from(flag(args, "--out").ok_or_else(usage)?);
    let sim = simulate(persons, items, per_person, seed);

    let mut matrix = vec![MISSING; persons * items];
    for p in 0..persons {
        for o in sim.responses.of_person(p) {
            matrix[p * items + o.item as usize] = i8::from(o.correct);
        }
    }
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let bytes: Vec<u8> = matrix.iter().map(|v| v.to_ne_bytes()[0]).collect();
    write(&out.join("responses.i8"), &bytes)?;
    let meta = Meta {
        persons,
        items,
        per_person,
        seed,
        layout: "responses.i8: int8, row-major persons x items; 1 correct, 0 wrong, -1 missing"
            .to_string(),
    };
    write_json(&out.join("meta.json"), &meta)?;
    let truth = Truth {
        a: sim.items.iter().map(|i| i.a).collect(),
        b: sim.items.iter().map(|i| i.b).collect(),
        theta: sim.theta,
    };
    write_json(&out.join("truth.json"), &truth)?;
    eprintln!(
        "irt_peers: wrote {} ({persons} persons x {items} items, {} responses)",
        out.display(),
        sim.responses.len()
    );
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn write_json(path: &Path, value: &impl Serialize) -> Result<(), String> {
    let text = serde_json::to_string(value).map_err(|e| format!("{}: {e}", path.display()))?;
    write(path, text.as_bytes())
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The responses of a data set folder, as certprep's sparse observations.
fn read_responses(dir: &Path, meta: &Meta) -> Result<Responses, String> {
    let path = dir.join("responses.i8");
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    if bytes.len() != meta.persons * meta.items {
        return Err(format!(
            "{}: {} bytes, expected {} x {}",
            path.display(),
            bytes.len(),
            meta.persons,
            meta.items
        ));
    }
    let mut observations = Vec::new();
    for (cell, byte) in bytes.iter().enumerate() {
        let value = i8::from_ne_bytes([*byte]);
        if value == MISSING {
            continue;
        }
        observations.push(Observation {
            person: u32::try_from(cell / meta.items).map_err(|e| e.to_string())?,
            item: u32::try_from(cell % meta.items).map_err(|e| e.to_string())?,
            correct: value == 1,
        });
    }
    Ok(Responses::new(meta.persons, meta.items, observations))
}

/// User plus system CPU time of this process, from `/proc/self/stat` (Linux only; `None`
/// elsewhere). Wall time alone misleads on a shared machine and against peers that use several
/// threads, so the benchmark reports both. Clock ticks are taken as 100 a second, the value of
/// `CLK_TCK` on every Linux this runs on (there is no way to ask without libc).
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis
    // start at field 3, so utime and stime (fields 14 and 15) are the 12th and 13th.
    let after_name = &stat[stat.rfind(')')? + 1..];
    let mut fields = after_name.split_whitespace().skip(11);
    let user: f64 = fields.next()?.parse().ok()?;
    let system: f64 = fields.next()?.parse().ok()?;
    Some((user + system) / 100.0)
}

fn run_calibration(args: &[String]) -> Result<(), String> {
    let dir = PathBuf::from(flag(args, "--data").ok_or_else(usage)?);
    let meta: Meta = read_json(&dir.join("meta.json"))?;
    let truth: Truth = read_json(&dir.join("truth.json"))?;
    let responses = read_responses(&dir, &meta)?;
    let options = CalibrationOptions::for_items(meta.items);

    let started = Instant::now();
    let cpu_started = process_cpu_seconds();
    let calibration = calibrate(&responses, &options);
    let thetas = abilities(&responses, &calibration.items, options.quadrature_points);
    let seconds = started.elapsed().as_secs_f64();
    let cpu_seconds = process_cpu_seconds()
        .zip(cpu_started)
        .map(|(end, start)| end - start);

    let a: Vec<f64> = calibration.items.iter().map(|i| i.a).collect();
    let b: Vec<f64> = calibration.items.iter().map(|i| i.b).collect();
    let theta: Vec<f64> = thetas.iter().map(|t| t.theta).collect();
    let report = Report {
        tool: "certprep",
        version: env!("CARGO_PKG_VERSION"),
        method: format!(
            "2PL MML, Bock-Aitkin EM with SQUAREM ({} nodes on [-4, 4]; priors a~N(1,0.5^2), b~N(0,1))",
            options.quadrature_points
        ),
        theta_method: format!("EAP ({} nodes, N(0,1) prior)", options.quadrature_points),
        seconds,
        cpu_seconds,
        iterations: calibration.iterations,
        converged: calibration.converged,
        a: Recovery::of(&a, &truth.a),
        b: Recovery::of(&b, &truth.b),
        theta: Recovery::of(&theta, &truth.theta),
    };
    let text = serde_json::to_string(&report).map_err(|e| e.to_string())?;
    println!("{text}");
    Ok(())
}
