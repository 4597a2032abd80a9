//! Time near-linear in the size of the input (issue 16, item 5): the real binary on one
//! hostile shape at N and at 4N must take less than 8 times as long at 4N, plus 2 s for noise.
//! Linear work takes about 4 times; each shape here took 13 to 20 times before its fix. CPU
//! time of the child (user + system, from /proc on Linux), which a loaded machine disturbs
//! less than the clock; a failure is measured once more before it counts. `bench/hostile.sh`
//! measures these shapes and more on a release build.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{briefing_bin, Site};

/// A site of one briefing `big` with this front matter (besides the usual) and body.
fn one_briefing(front: &str, body: &str) -> Site {
    let site = Site::new();
    site.write("site.toml", "title = \"Large\"\n");
    site.write(
        "briefings/big.md",
        format!("+++\ntitle = \"Big\"\nformat = \"guidance\"\npublished = 2024-05-01\nreview_due = 2099-01-01\n{front}+++\nIntroduction.\n\n{body}"),
    );
    site
}

/// The CPU time `briefing args` takes on `site`, and whether it exited as `expect_ok` says.
fn cpu_time(site: &Path, args: &[&str], expect_ok: bool) -> Duration {
    let started = Instant::now();
    let mut child = Command::new(briefing_bin())
        .args(args)
        .arg("--root")
        .arg(site)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the briefing binary starts");
    let cpu = child_cpu(child.id()).unwrap_or_else(|| started.elapsed());
    let status = child.wait().unwrap();
    assert_eq!(status.success(), expect_ok, "briefing {args:?} exited with {status}");
    cpu
}

/// User + system time of the child `pid` once it has ended: read from /proc while it is a
/// zombie, before `wait` reaps it. `None` where there is no /proc (the clock is used then).
fn child_cpu(pid: u32) -> Option<Duration> {
    let stat_path = format!("/proc/{pid}/stat");
    loop {
        let stat = std::fs::read_to_string(&stat_path).ok()?;
        // The fields after the command name (which is in parentheses and may hold spaces).
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        if fields.first() == Some(&"Z") {
            // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 a second).
            let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
            return Some(Duration::from_millis(ticks * 10));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Builds `make(n)` and `make(4 * n)` with `args` and requires near-linear time (see the top).
fn near_linear(what: &str, n: usize, args: &[&str], expect_ok: bool, make: impl Fn(usize) -> Site) {
    let (small, large) = (make(n), make(4 * n));
    let mut tries = Vec::new();
    for _ in 0..2 {
        let one = cpu_time(small.path(), args, expect_ok);
        let four = cpu_time(large.path(), args, expect_ok);
        eprintln!("{what}: {one:?} at N = {n}, {four:?} at 4N");
        tries.push((one, four));
        if four < one * 8 + Duration::from_secs(2) {
            return;
        }
    }
    panic!("{what}: 4 times the input took far more than 4 times as long (CPU time at N = {n} and 4N, twice): {tries:?}");
}

#[test]
fn many_equal_section_titles() {
    near_linear("sections all titled Background", 3000, &["build", "--no-pdf"], true, |n| {
        one_briefing("", &(0..n).map(|i| format!("## Background\n\nText {i}.\n\n")).collect::<String>())
    });
}

#[test]
fn many_broken_links() {
    near_linear("broken links to sections", 1000, &["check"], false, |n| {
        let heads: String = (0..n).map(|i| format!("## Part {i}\n\nText.\n\n")).collect();
        let links: String = (0..n).map(|i| format!("- [nowhere {i}](#nowhere-{i})\n- [elsewhere {i}](other.md#gone-{i})\n")).collect();
        let site = one_briefing("", &format!("{heads}## Links\n\n{links}"));
        site.write("briefings/other.md", crate::common::briefing("title = \"Other\"\nformat = \"guidance\"\npublished = 2024-05-01", "## One\n\nText.\n"));
        site
    });
}

#[test]
fn a_briefing_naming_many_themes() {
    near_linear("one briefing tagged with N themes", 300, &["build", "--no-pdf"], true, |n| {
        let names: Vec<String> = (0..n).map(|i| format!("\"theme number {i}\"")).collect();
        one_briefing(&format!("themes = [{}]\n", names.join(", ")), "## Body\n\nText.\n")
    });
}

#[test]
fn a_paragraph_mentioning_many_themes() {
    near_linear("a paragraph naming N themes", 600, &["build", "--no-pdf"], true, |n| {
        let para: Vec<String> = (0..n).map(|i| format!("We saw theme {i} of many, and alias {i} here, in practice.")).collect();
        let site = one_briefing("", &format!("## Mentions\n\n{}\n", para.join(" ")));
        for i in 0..n {
            site.write(&format!("themes/theme-{i}.md"), format!("+++\ntitle = \"Theme {i} of many\"\naliases = [\"alias {i} here\"]\n+++\nWhat it means.\n"));
        }
        site
    });
}

#[test]
fn many_footnotes_in_one_section() {
    near_linear("N footnotes", 10000, &["build", "--no-pdf"], true, |n| {
        let refs: Vec<String> = (0..n).map(|i| format!("Claim {i}.[^n{i}]")).collect();
        let defs: String = (0..n).map(|i| format!("[^n{i}]: Source {i}.\n")).collect();
        one_briefing("", &format!("## Notes\n\n{}\n\n{defs}", refs.join(" ")))
    });
}

#[test]
fn check_with_many_broken_raw_html_links() {
    near_linear("raw HTML links to missing anchors", 2000, &["check"], false, |n| {
        let links: String = (0..n).map(|i| format!("<p><a href=\"#missing-{i}\">x</a> <a href=\"other-{i}.html\">y</a></p>\n")).collect();
        one_briefing("", &format!("## Links\n\n{links}"))
    });
}

/// With handouts on: a handout holds at most 30 sections, so a briefing of thousands costs
/// the typesetter no more than one of thirty.
#[test]
fn handouts_of_a_briefing_with_many_sections() {
    near_linear("a 7-minute briefing of N sections, with handouts", 600, &["build"], true, |n| {
        let body: String = (0..n).map(|i| format!("## Section {i}\n\nText of section {i}, in a few words.\n\n")).collect();
        let site = one_briefing("", &body);
        let text = site.read("briefings/big.md").replace("format = \"guidance\"", "format = \"7-minute\"");
        site.write("briefings/big.md", text);
        site
    });
}

/// A pack of N names the site lacks, on a site of N briefings: each name's "did you mean"
/// searched every briefing's slug, though a report shows 20 errors of a file in full.
#[test]
fn a_pack_of_many_unknown_names() {
    near_linear("pack of unknown names", 400, &["build", "--no-pdf"], false, |n| {
        let site = Site::new();
        for i in 0..n {
            site.write(&format!("briefings/child-{i}.md"), format!("+++\ntitle = \"Child {i}\"\npublished = 2024-05-01\n+++\nText.\n"));
        }
        let names: Vec<String> = (0..n).map(|i| format!("\"no-such-briefing-{i}\"")).collect();
        site.write("packs/p.toml", format!("title = \"P\"\nbriefings = [{}]\n", names.join(", ")));
        site
    });
}
