//! The checker's memo (`MatchMemo`: the match memo, the parser's item cache and the items'
//! numbers that tie them) is an accelerator only: a list checked with a memo shared by many
//! lists gives exactly the check it gets with a fresh memo, in JSON and in text.
//!
//! The lists: the 41 labels of the public sample, and lists spliced from their items (as
//! printed: markers, percentages, brackets), with headings, "may contain" blocks, claims and
//! closing punctuation, so that every remembered item comes back in other company.

use aftercare_core::{
    Hours,
    inci::{
        CheckError, CheckTime, Checker, MatchMemo, Product, ProductCheck, ProductType,
        kb::KnowledgeBase, parse_inci_list, render::render_text,
    },
    profile::{Profile, SkinType},
    protocol::default_protocol,
};

const SAMPLE: &str = include_str!("../../../../tests/fixtures/products-public.jsonl");

/// SplitMix64: deterministic lists.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn lists() -> Vec<String> {
    let labels: Vec<String> = SAMPLE
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .map(|v| v["ingredients"].as_str().unwrap().to_owned())
        .collect();
    let items: Vec<String> = labels
        .iter()
        .flat_map(|list| {
            parse_inci_list(list)
                .ingredients
                .into_iter()
                .map(|item| list[item.span].to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    let openings = [
        "",
        "Ingredients: ",
        "INGREDIENTS: ",
        "Inactive ingredients: ",
    ];
    let separators = [", ", ", ", ", ", ",", " , ", "; ", ". "];
    let insertions = [
        "Free from parabens, sulfates and fragrance",
        "May contain (+/-): CI 77491, CI 77891",
        "Retinol 0.5%",
        "*Organic",
        "Vegan",
    ];
    let endings = [
        "",
        ".",
        ". May contain: CI 77491, Mica.",
        " *certified organic",
    ];
    let mut state = 0x5EED_CAFE;
    let mut lists = labels.clone();
    for _ in 0..400 {
        let mut list = String::from(openings[next(&mut state) as usize % openings.len()]);
        let count = 3 + next(&mut state) as usize % 25;
        for i in 0..count {
            if i > 0 {
                list.push_str(separators[next(&mut state) as usize % separators.len()]);
            }
            if next(&mut state).is_multiple_of(30) {
                list.push_str(insertions[next(&mut state) as usize % insertions.len()]);
            } else {
                list.push_str(&items[next(&mut state) as usize % items.len()]);
            }
        }
        list.push_str(endings[next(&mut state) as usize % endings.len()]);
        lists.push(list);
    }
    lists
}

/// A check as JSON and as text.
fn render(check: Result<ProductCheck<'_>, CheckError>) -> Result<(String, String), CheckError> {
    check.map(|check| (serde_json::to_string(&check).unwrap(), render_text(&check)))
}

/// Checks every list twice round with one memo shared by all, each with the checker, the
/// product and the hour `case` gives for its index, and compares each check with the one a
/// fresh memo gives.
fn assert_a_shared_memo_gives_the_checks_of_a_fresh_one(
    case: impl Fn(usize) -> (usize, usize, Hours),
) {
    let profiles = [
        vec![SkinType::Oily, SkinType::Sensitive],
        vec![SkinType::Dry],
    ];
    let checkers: Vec<Checker> = profiles
        .iter()
        .map(|skin| {
            let profile = Profile {
                skin: skin.clone(),
                ..Profile::default()
            };
            Checker::new(KnowledgeBase::embedded(), default_protocol(), &profile)
        })
        .collect();
    let lists = lists();
    let products = [
        Product {
            product_type: None,
            name: None,
        },
        Product {
            product_type: Some(ProductType::Sunscreen),
            name: None,
        },
    ];
    let check = |i: usize, list: &str, memo: &mut MatchMemo| {
        let (checker, product, hours) = case(i);
        render(checkers[checker].check_with(
            list,
            &products[product],
            &CheckTime::hours(hours),
            memo,
        ))
    };
    let fresh: Vec<_> = lists
        .iter()
        .enumerate()
        .map(|(i, list)| check(i, list, &mut MatchMemo::new()))
        .collect();
    assert!(fresh.iter().filter(|check| check.is_ok()).count() > 400);
    // Twice round, so that the second time every plain item comes from the memo.
    let mut shared = MatchMemo::new();
    for _ in 0..2 {
        for (i, list) in lists.iter().enumerate() {
            assert_eq!(check(i, list, &mut shared), fresh[i], "{list}");
        }
    }
}

#[test]
fn a_shared_memo_gives_the_checks_of_a_fresh_one() {
    // A day from 1 to 10 for each list.
    assert_a_shared_memo_gives_the_checks_of_a_fresh_one(|i| {
        (0, i % 2, Hours(24 * (1 + i as u32 % 10)))
    });
}

#[test]
fn a_memo_shared_by_two_checkers_gives_each_its_own_rulings() {
    // The rulings kept with the matches (at one hour, as in a catalog run) belong to the
    // checker that made them: two profiles in turn, at the same hour, then at two hours.
    assert_a_shared_memo_gives_the_checks_of_a_fresh_one(|i| (i % 2, (i / 2) % 2, Hours(52)));
    assert_a_shared_memo_gives_the_checks_of_a_fresh_one(|i| {
        ((i / 3) % 2, i % 2, Hours(if i % 5 == 0 { 30 } else { 200 }))
    });
}
