//! Throughput of the ingredient checker (issue #3, item 7), against a bare Aho-Corasick scan of
//! the same bytes with the same dictionary, measured in the same run.
//!
//! ```sh
//! cargo bench -p aftercare-core --bench inci
//! ```
//!
//! The corpus is generated deterministically: real-looking lists made of the items printed on
//! the labelled public sample (`tests/fixtures/products-public.jsonl`: typos, brackets, slash
//! synonyms, percentages and all), the knowledge base's curated names, and CosIng names. The
//! dictionary is every name the checker knows (curated names, synonyms and CosIng names).
//!
//! Besides criterion's figures, the run ends with an interleaved comparison (checker pass, scan
//! pass, alternately) that prints lists per second on one core and the ratio; `docs/performance.md`
//! records the figures.
//!
//! For profiling and quick comparisons, `INCI_BENCH_PROFILE=check|parse|parse-cached|cold|scan`
//! runs only that kind of pass (`INCI_BENCH_PASSES` times, 5 by default) and prints its rate
//! (`parse-cached` parses with the warm memo's item cache, as the checker does):
//!
//! ```sh
//! INCI_BENCH_PROFILE=check INCI_BENCH_PASSES=60 target/release/deps/inci-<hash> --bench
//! ```
//!
//! `INCI_BENCH_LISTS=FILE` (one list per line) replaces the generated corpus, to see what one
//! kind of list costs (a list of 30 copies of "Glycerin", a list with a "may contain" block).

use std::{hint::black_box, time::Instant};

use aftercare_core::{
    Hours,
    inci::{
        CheckTime, Checker, MatchMemo, Product, ProductType, kb::KnowledgeBase, parse_inci_list,
    },
    profile::{Profile, SkinType},
    protocol::default_protocol,
};
use aho_corasick::{AhoCorasick, MatchKind};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// How many lists the corpus holds.
const LISTS: usize = 2_000;

/// The labelled public sample.
const SAMPLE: &str = include_str!("../../../tests/fixtures/products-public.jsonl");

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// "SODIUM HYALURONATE" → "Sodium Hyaluronate", as labels print names.
fn title_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut start = true;
    for c in name.chars() {
        if start {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphanumeric();
    }
    out
}

/// The real lists of the sample, and the corpus generated from them and the knowledge base.
fn corpus(kb: &KnowledgeBase) -> (Vec<String>, Vec<String>) {
    let real: Vec<String> = SAMPLE
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|v| v["ingredients"].as_str().map(str::to_owned))
        .collect();
    // Items as printed on the real labels (raw spans: markers and percentages included).
    let printed: Vec<String> = real
        .iter()
        .flat_map(|list| {
            parse_inci_list(list)
                .ingredients
                .into_iter()
                .filter_map(|item| list.get(item.span).map(str::to_owned))
                .collect::<Vec<_>>()
        })
        .collect();
    let curated: Vec<String> = kb.curated_names().map(title_case).collect();
    let mut rng = Rng(0x00AF_7E2C_A2E5);
    let cosing: Vec<String> = kb
        .names()
        .filter(|_| rng.below(10) == 0)
        .map(title_case)
        .collect();
    let mut lists = Vec::with_capacity(LISTS);
    for _ in 0..LISTS {
        let items = 15 + rng.below(31);
        let mut list = String::new();
        if rng.below(4) == 0 {
            list.push_str("Ingredients: ");
        }
        for i in 0..items {
            if i > 0 {
                list.push_str(", ");
            }
            let pick = rng.below(100);
            let item = if pick < 70 {
                &printed[rng.below(printed.len())]
            } else if pick < 92 {
                &curated[rng.below(curated.len())]
            } else {
                &cosing[rng.below(cosing.len())]
            };
            list.push_str(item);
        }
        if rng.below(8) == 0 {
            list.push_str(". May contain (+/-): CI 77491, CI 77492, CI 77499, CI 77891");
        }
        list.push('.');
        lists.push(list);
    }
    (real, lists)
}

/// The lists of `file`, one per line (`INCI_BENCH_LISTS`), in place of the generated corpus.
fn own_lists(file: &str) -> Vec<String> {
    match std::fs::read_to_string(file) {
        Ok(text) => text.lines().map(str::to_owned).collect(),
        Err(error) => {
            eprintln!("INCI_BENCH_LISTS={file}: {error}");
            std::process::exit(2);
        }
    }
}

struct Setup {
    lists: Vec<String>,
    bytes: usize,
    checker: Checker<'static>,
    /// Built on first use: a profile run of the checker does not wait for it.
    scanner: std::sync::OnceLock<AhoCorasick>,
}

fn setup() -> Setup {
    let kb = KnowledgeBase::embedded();
    let lists = match std::env::var("INCI_BENCH_LISTS") {
        Ok(file) => own_lists(&file),
        Err(_) => corpus(kb).1,
    };
    let bytes = lists.iter().map(String::len).sum();
    let profile = Profile {
        skin: vec![SkinType::Oily],
        ..Profile::default()
    };
    let checker = Checker::new(kb, default_protocol(), &profile);
    Setup {
        lists,
        bytes,
        checker,
        scanner: std::sync::OnceLock::new(),
    }
}

impl Setup {
    /// The Aho-Corasick automaton of every name the checker knows.
    fn scanner(&self) -> &AhoCorasick {
        self.scanner.get_or_init(|| {
            let names: Vec<&str> = KnowledgeBase::embedded().names().collect();
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .ascii_case_insensitive(true)
                .build(&names)
                .expect("the dictionary builds")
        })
    }
}

const PRODUCT: Product<'static> = Product {
    product_type: Some(ProductType::Serum),
    name: None,
};

fn check_all(setup: &Setup, memo: &mut MatchMemo) -> usize {
    let time = CheckTime::hours(Hours(52));
    let mut waiting = 0;
    for list in &setup.lists {
        if let Ok(check) = setup.checker.check_with(list, &PRODUCT, &time, memo) {
            waiting += usize::from(check.usable_from_hours.is_some());
        }
    }
    waiting
}

fn scan_all(setup: &Setup) -> usize {
    let scanner = setup.scanner();
    setup
        .lists
        .iter()
        .map(|list| scanner.find_iter(list.as_str()).count())
        .sum()
}

fn throughput(c: &mut Criterion) {
    let setup = setup();
    let mut memo = MatchMemo::new();
    check_all(&setup, &mut memo);
    if let Ok(pass) = std::env::var("INCI_BENCH_PROFILE") {
        if pass == "scan" {
            setup.scanner();
        }
        let (cpu, wall) = timed(|| profile_pass(&setup, &mut memo, &pass));
        let lists = (setup.lists.len() * profile_passes()) as f64;
        eprintln!(
            "{pass}: {:.0} lists/s of CPU time ({:.0} wall)",
            lists / cpu,
            lists / wall
        );
        return;
    }
    eprintln!(
        "corpus: {} lists, {} bytes ({} per list on average); dictionary: {} names ({} bytes of automaton)",
        setup.lists.len(),
        setup.bytes,
        setup.bytes / setup.lists.len(),
        KnowledgeBase::embedded().names().count(),
        setup.scanner().memory_usage()
    );
    let mut group = c.benchmark_group("inci");
    group.throughput(Throughput::Elements(setup.lists.len() as u64));
    group.sample_size(20);
    group.bench_function("check (parse, match, verdict)", |b| {
        b.iter(|| black_box(check_all(&setup, &mut memo)));
    });
    group.bench_function("aho-corasick scan", |b| {
        b.iter(|| black_box(scan_all(&setup)));
    });
    group.bench_function("parse only", |b| {
        b.iter(|| {
            for list in &setup.lists {
                black_box(parse_inci_list(list));
            }
        });
    });
    group.bench_function("parse only, warm memo (item cache)", |b| {
        b.iter(|| parse_cached(&setup, &mut memo));
    });
    group.bench_function("check with a cold memo", |b| {
        b.iter(|| black_box(check_all(&setup, &mut MatchMemo::new())));
    });
    group.finish();

    // The ratio, measured here by alternating the two passes so that both see the same load.
    // Lists per second of this thread's CPU time ("per core", whatever else the machine runs),
    // and of wall time.
    let (mut check_cpu, mut check_wall, mut scan_cpu, mut scan_wall) = (0.0, 0.0, 0.0, 0.0);
    let passes = 3;
    for _ in 0..10 {
        let (cpu, wall) = timed(|| {
            for _ in 0..passes {
                black_box(check_all(&setup, &mut memo));
            }
        });
        check_cpu += cpu;
        check_wall += wall;
        let (cpu, wall) = timed(|| {
            for _ in 0..passes {
                black_box(scan_all(&setup));
            }
        });
        scan_cpu += cpu;
        scan_wall += wall;
    }
    let lists = (setup.lists.len() * passes * 10) as f64;
    eprintln!(
        "interleaved, one thread: check {:.0} lists/s of CPU time ({:.0} wall), aho-corasick scan \
         {:.0} lists/s of CPU time ({:.0} wall); checker/scan ratio {:.2} (CPU), {:.2} (wall)",
        lists / check_cpu,
        lists / check_wall,
        lists / scan_cpu,
        lists / scan_wall,
        scan_cpu / check_cpu,
        scan_wall / check_wall,
    );
}

/// For profilers (`INCI_BENCH_PROFILE=check|parse|parse-cached|cold|scan`, e.g. under
/// `valgrind --tool=callgrind` or `perf record`): runs one kind of pass over the corpus five
/// times (`INCI_BENCH_PASSES` to change that) and nothing else, so that the profile holds only
/// that work (after the setup).
#[inline(never)]
fn profile_pass(setup: &Setup, memo: &mut MatchMemo, pass: &str) {
    for _ in 0..profile_passes() {
        match pass {
            "parse" => {
                for list in &setup.lists {
                    black_box(parse_inci_list(list));
                }
            }
            "parse-cached" => parse_cached(setup, memo),
            "cold" => {
                black_box(check_all(setup, &mut MatchMemo::new()));
            }
            "scan" => {
                black_box(scan_all(setup));
            }
            _ => {
                black_box(check_all(setup, memo));
            }
        }
    }
}

/// Parses every list as the checker does, with the item cache of `memo`.
fn parse_cached(setup: &Setup, memo: &mut MatchMemo) {
    for list in &setup.lists {
        black_box(memo.parse(list));
    }
}

/// How many passes a profile run makes: `INCI_BENCH_PASSES`, 5 by default.
fn profile_passes() -> usize {
    std::env::var("INCI_BENCH_PASSES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5)
}

/// Runs `work` and returns (CPU seconds of this thread, wall seconds). Without
/// `/proc/thread-self` (not Linux), the CPU time is the wall time.
fn timed(work: impl FnOnce()) -> (f64, f64) {
    let cpu_before = thread_cpu_seconds();
    let start = Instant::now();
    work();
    let wall = start.elapsed().as_secs_f64();
    let cpu = match (cpu_before, thread_cpu_seconds()) {
        (Some(before), Some(after)) => after - before,
        _ => wall,
    };
    (cpu, wall)
}

/// CPU time of the calling thread: from `/proc/thread-self/schedstat` (its first field, the
/// time on a CPU in nanoseconds), or else `/proc/thread-self/stat` (user + system, fields 14
/// and 15, in clock ticks of 1/100 s, the fixed `USER_HZ` of Linux: too coarse for short runs).
fn thread_cpu_seconds() -> Option<f64> {
    if let Ok(schedstat) = std::fs::read_to_string("/proc/thread-self/schedstat")
        && let Some(Ok(nanos)) = schedstat.split(' ').next().map(str::parse::<u64>)
    {
        return Some(nanos as f64 / 1e9);
    }
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let rest = stat.get(stat.rfind(')')? + 2..)?;
    let fields: Vec<&str> = rest.split(' ').collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user + system) / 100.0)
}

criterion_group!(benches, throughput);
criterion_main!(benches);
