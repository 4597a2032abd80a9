//! Renders the handout fixtures, writes them to a folder, and times them: the CPU a handout
//! costs (issue 17 asks for at most 25 ms in release), and the memory over many compiles.
//!
//! `cargo run --release --example handout_bench -- [OUT_DIR] [COMPILES]`

use std::time::Instant;

use briefing::handout::testing::{fixture, generated};
use briefing::handout::model::{Block, Inline};
use briefing::handout::{action_plan_pdf, handout_pdf, pack_pdf, ActionPlan, Assets, Handout, Pack, PackEntry};

fn main() {
    let mut args = std::env::args().skip(1);
    let out = std::path::PathBuf::from(args.next().unwrap_or_else(|| "target/handouts".into()));
    let compiles: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(200);
    std::fs::create_dir_all(&out).unwrap();
    let assets = Assets::default();
    let mut handouts: Vec<Handout> = briefing::handout::testing::ALL.iter().map(|n| fixture(n)).collect();
    handouts.push(generated("long-guidance", "guidance", 14, 600));
    for h in &handouts {
        let t = Instant::now();
        let typeset = handout_pdf(h, &assets).unwrap();
        let facts = &typeset.page_facts[0];
        println!(
            "{}: {} page(s), {} pt, {:?}, {:?} tries, left out {:?}, {:.1} ms (first)",
            h.slug,
            typeset.pages,
            typeset.size_pt,
            facts.mode.as_deref().unwrap_or("?"),
            facts.tries.unwrap_or(0),
            typeset.left_out,
            t.elapsed().as_secs_f64() * 1e3
        );
        std::fs::write(out.join(format!("{}.pdf", h.slug)), &typeset.pdf).unwrap();
    }
    write_plan_and_pack(&out, &assets);
    // Distinct handouts each time, as in a site's build: a number in the title, and the words
    // of every text rotated, so that Typst's cache holds no paragraph laid out before.
    for h in &handouts {
        let cpu = cpu_seconds();
        let t = Instant::now();
        for i in 0..compiles {
            let mut h = h.clone();
            h.title = format!("{} ({i})", h.title);
            for section in &mut h.sections {
                section.blocks.iter_mut().for_each(|b| rotate_block(b, i + 1));
            }
            handout_pdf(&h, &assets).unwrap();
        }
        let n = compiles as f64;
        println!(
            "{}: {compiles} handouts, {:.1} ms wall, {:.1} ms CPU each; {} MB resident",
            h.slug,
            t.elapsed().as_secs_f64() * 1e3 / n,
            (cpu_seconds() - cpu) * 1e3 / n,
            resident_mb()
        );
    }
    // Memory: many distinct handouts of every kind in turn; Typst's cache is evicted every
    // few compiles, so the resident size should level off.
    let total = std::env::var("MIXED").ok().and_then(|n| n.parse().ok()).unwrap_or(0usize);
    for i in 0..total {
        let mut h = handouts[i % handouts.len()].clone();
        h.title = format!("{} [{i}]", h.title);
        handout_pdf(&h, &assets).unwrap();
        if (i + 1) % 100 == 0 {
            println!("mixed: after {} compiles, {} MB resident", i + 1, resident_mb());
        }
    }
}

/// Rotates the words of each text in `block` by `by`.
fn rotate_block(block: &mut Block, by: usize) {
    match block {
        Block::Paragraph { inlines } | Block::Heading { inlines, .. } => inlines.iter_mut().for_each(|i| rotate_inline(i, by)),
        Block::List { items, .. } => items.iter_mut().flat_map(|item| item.blocks.iter_mut()).for_each(|b| rotate_block(b, by)),
        Block::Quote { blocks } => blocks.iter_mut().for_each(|b| rotate_block(b, by)),
        _ => {}
    }
}

fn rotate_inline(inline: &mut Inline, by: usize) {
    match inline {
        Inline::Text { text } => {
            let mut words: Vec<&str> = text.split(' ').collect();
            let n = words.len();
            words.rotate_left(by % n.max(1));
            *text = words.join(" ");
        }
        Inline::Strong { inlines } | Inline::Emphasis { inlines } => inlines.iter_mut().for_each(|i| rotate_inline(i, by)),
        _ => {}
    }
}

/// An action plan and a pack of two handouts, written beside the handouts.
fn write_plan_and_pack(out: &std::path::Path, assets: &Assets) {
    let plan = ActionPlan {
        title: "Learning from Child M: a baby, a busy house and a missed appointment".into(),
        partnership: "Westmoor Safeguarding Partnership".into(),
        published: "3 March 2025".into(),
        questions: vec![
            "How do you record missed contacts so that a pattern shows?".into(),
            "When did you last ask who else lives in a household?".into(),
            "How do you know that the information you sent was read?".into(),
        ],
        return_to: Some("the learning team, learning@westmoor.example".into()),
        language: "en-GB".into(),
    };
    let t = Instant::now();
    let typeset = action_plan_pdf(&plan, assets).unwrap();
    println!("action plan: {} page(s), {:.1} ms", typeset.pages, t.elapsed().as_secs_f64() * 1e3);
    std::fs::write(out.join("action-plan.pdf"), &typeset.pdf).unwrap();
    let entries = ["seven-minute", "thematic"]
        .iter()
        .map(|n| PackEntry { handout: fixture(n), action_plan: (*n == "seven-minute").then(|| plan.clone()) })
        .collect();
    let pack = Pack {
        title: "Training pack: babies and adolescents".into(),
        partnership: "Westmoor Safeguarding Partnership".into(),
        intro: Some("Two briefings for a team session, with an action plan for the first.".into()),
        entries,
        left_out: 0,
        language: "en-GB".into(),
    };
    let t = Instant::now();
    let typeset = pack_pdf(&pack, assets).unwrap();
    println!("pack: {} page(s), {:.1} ms", typeset.pages, t.elapsed().as_secs_f64() * 1e3);
    std::fs::write(out.join("pack.pdf"), &typeset.pdf).unwrap();
}

/// This process's user and system CPU time, in seconds (Linux).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit_once(')').map(|(_, r)| r.split_whitespace().collect()).unwrap_or_default();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn resident_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok()).unwrap_or(0) / 1024
}
