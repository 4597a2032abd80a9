//! The command line: parse arguments, call the library, print what happened, set the exit code
//! (0 success, 1 content errors, 2 usage or I/O errors).

use std::io::{IsTerminal, Write};
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use briefing::app::check::CheckOptions;
use briefing::app::import::{ImportCommand, Line};
use briefing::app::external::{self, HostReport};
use briefing::app::watch::Notice;
use briefing::app::{scaffold, serve, watch};
use briefing::core::diagnostics::{Diagnostic, Severity};
use briefing::core::text::plural;
use briefing::{BuildOptions, Format, Outcome, Status};

/// See Cargo.toml for why.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "briefing", version, about = "Build safeguarding partnership briefings into a website")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (replaced whole, only when the build succeeds).
    Build {
        /// The site folder (with briefings/, themes/ and site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/output].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Include briefings marked draft = true.
        #[arg(long)]
        drafts: bool,
        /// Skip the PDF handouts and action plans, for a quick preview.
        #[arg(long)]
        no_pdf: bool,
        /// Typeset every handout afresh instead of reusing those in .briefing-cache/.
        #[arg(long)]
        no_cache: bool,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Check every source and report problems; writes nothing. Exits 1 when there are errors.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Typeset every handout afresh (not from .briefing-cache/) and check each: one page,
        /// and what it leaves out.
        #[arg(long)]
        print: bool,
        /// Also check links to other sites over the network, site by site (off by default:
        /// without it, a check makes no network requests).
        #[arg(long)]
        external: bool,
        /// How long --external waits for each page before reporting it as not answering.
        #[arg(long, value_name = "SECS", requires = "external", default_value_t = external::DEFAULT_TIMEOUT.as_secs_f64(), value_parser = parse_seconds)]
        timeout: f64,
        /// List every note with its file and line, instead of one line a kind of note.
        #[arg(long)]
        verbose: bool,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Build, then rebuild whenever a source changes, until Ctrl-C.
    Watch {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Include briefings marked draft = true.
        #[arg(long)]
        drafts: bool,
        /// Skip the PDF handouts, for a quicker preview.
        #[arg(long)]
        no_pdf: bool,
        /// Look for changes every second instead of relying on file events (for network drives).
        #[arg(long)]
        poll: bool,
    },
    /// Watch, and serve the site on this computer with pages that reload after each rebuild.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port; when it is taken, the next free one is used.
        #[arg(long, default_value_t = serve::DEFAULT_PORT)]
        port: u16,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// The address to listen on. Anything but 127.0.0.1 or ::1 lets other computers in.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        #[arg(long)]
        drafts: bool,
        /// Skip the PDF handouts, for a quicker preview.
        #[arg(long)]
        no_pdf: bool,
        /// Look for changes every second instead of relying on file events (for network drives).
        #[arg(long)]
        poll: bool,
    },
    /// Turn Word (.docx), web page (.html) or text (.txt, .md) files into draft briefings.
    Import {
        /// The files to import.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The format when the text does not say: 7-minute, practitioner, thematic or guidance.
        #[arg(long, value_parser = parse_format)]
        format: Option<Format>,
        /// The briefing's file name (web address) instead of one made from its title; one FILE only.
        #[arg(long)]
        slug: Option<String>,
        /// `human`: a report for a person. `json`: one JSON object a line on stdout.
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        message_format: OutputFormat,
    },
    /// Start a new site: settings, a few themes and a sample briefing. Never replaces a file.
    Init {
        /// The folder for the site (made if missing) [default: the current folder].
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Start a new briefing with the headings of its format.
    New {
        /// The briefing's title, in quotes.
        title: String,
        /// 7-minute, practitioner, thematic or guidance.
        #[arg(long, default_value = "7-minute", value_parser = parse_format)]
        format: Format,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// How problems are reported, for both build and check.
#[derive(Args, Clone, Copy)]
struct ReportArgs {
    /// `human`: messages like the Rust compiler's, on stderr. `json`: one JSON object a line on
    /// stdout, for editors and CI: each problem, then a summary.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,
    /// Fail (exit 1) when there are warnings, not only errors; a build then writes nothing.
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    Human,
    Json,
}

/// A positive number of seconds, at most a day (`--timeout`).
fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(secs) if secs > 0.0 && secs <= 86_400.0 => Ok(secs),
        _ => Err(format!("`{text}` is not a number of seconds: write one like 10 or 2.5")),
    }
}

fn parse_format(name: &str) -> Result<Format, String> {
    Format::from_slug(name).ok_or_else(|| {
        let names: Vec<_> = Format::ALL.iter().map(|f| f.slug()).collect();
        format!("unknown format `{name}`: use one of {}", names.join(", "))
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { root, output, drafts, no_pdf, no_cache, report } => {
            let options = BuildOptions { output, deny_warnings: report.deny_warnings, pdf: !no_pdf, cache: !no_cache, drafts, ..BuildOptions::new(root) };
            let outcome = briefing::build(&options);
            let output = options.output_dir();
            let s = &outcome.stats;
            if report.format == OutputFormat::Json {
                let extra = serde_json::json!({
                    "briefings": s.briefings, "drafts_skipped": s.drafts_skipped, "themes": s.themes,
                    "pages": s.pages, "output": output.display().to_string(), "seconds": s.elapsed.as_secs_f64(),
                });
                return report_json("build", &outcome, extra);
            }
            let advice = report_build(&outcome);
            match outcome.status {
                Status::Ok => {
                    let drafts = match s.drafts_skipped {
                        0 => String::new(),
                        n => format!(" ({n} draft{} left out: --drafts includes them)", plural(n)),
                    };
                    let pdfs = match s.pdfs {
                        0 => String::new(),
                        n => format!(" and {n} PDF{}", plural(n)),
                    };
                    say(&format!(
                        "Built {} briefing{}{drafts}, {} theme{}, {} pages{pdfs} into {} in {:.2} s{}",
                        s.briefings,
                        plural(s.briefings),
                        s.themes,
                        plural(s.themes),
                        s.pages,
                        output.display(),
                        s.elapsed.as_secs_f64(),
                        counts(&outcome, "; ") + &advice,
                    ));
                }
                _ if output.exists() => say_err(&format!(
                    "Build failed{}{advice}{}. {} was left as it was.",
                    counts(&outcome, ": "),
                    denied(&outcome, report),
                    output.display()
                )),
                _ => say_err(&format!("Build failed{}{advice}{}. Nothing was written.", counts(&outcome, ": "), denied(&outcome, report))),
            }
            exit_code(outcome.status)
        }
        Command::Check { root, print, external, timeout, verbose, report } => {
            let limits = external.then(|| external::Limits {
                timeout: Duration::from_secs_f64(timeout),
                total: external::TOTAL_TIME.max(Duration::from_secs_f64(timeout)),
            });
            let checked = briefing::check(&CheckOptions { root, print, external: limits, deny_warnings: report.deny_warnings });
            let outcome = checked.outcome;
            let s = &outcome.stats;
            if report.format == OutputFormat::Json {
                let mut extra = serde_json::json!({ "briefings": s.briefings, "themes": s.themes });
                if external {
                    extra["external"] = serde_json::json!(checked.hosts);
                }
                return report_json("check", &outcome, extra);
            }
            report_check(&outcome, verbose);
            report_hosts(&checked.hosts);
            if outcome.status == Status::Ok {
                say(&format!("Checked {} briefing{} and {} theme{}{}", s.briefings, plural(s.briefings), s.themes, plural(s.themes), counts(&outcome, ": ")));
            } else {
                say_err(&format!("Check failed{}{}", counts(&outcome, ": "), denied(&outcome, report)));
            }
            exit_code(outcome.status)
        }
        Command::Watch { root, drafts, no_pdf, poll } => {
            let options = BuildOptions { drafts, pdf: !no_pdf, ..BuildOptions::new(root) };
            long_running(watch::run(&options, poll, &mut show_notice, &mut |_| None))
        }
        Command::Serve { root, port, open, bind, drafts, no_pdf, poll } => {
            let options = BuildOptions { drafts, pdf: !no_pdf, ..BuildOptions::new(root) };
            let serve = serve::ServeOptions { port, bind, open, poll };
            long_running(serve::run(&options, &serve, &mut show_notice))
        }
        Command::Import { files, root, format, slug, message_format } => import(ImportCommand { files, root, format, slug, json: message_format == OutputFormat::Json }),
        Command::Init { dir } => init(&dir),
        Command::New { title, format, root } => match scaffold::new_briefing(&root, &title, format, briefing::today()) {
            Ok(path) => {
                say(&format!("Wrote {} (a draft: set draft = false when it is ready to publish)", path.display()));
                ExitCode::SUCCESS
            }
            Err(d) => {
                print_diagnostic(&d);
                ExitCode::from(2)
            }
        },
    }
}

/// `briefing init`: what was written, and what to do next.
fn init(dir: &std::path::Path) -> ExitCode {
    match briefing::app::init::init_site(dir, briefing::today()) {
        Ok(started) => {
            say(&format!("Started a site in {}:", dir.display()));
            for rel in &started.written {
                say(&format!("  wrote {}", rel.display()));
            }
            for rel in &started.kept {
                say(&format!("  kept {} as it was (it was already there)", rel.display()));
            }
            let cd = if dir == std::path::Path::new(".") { String::new() } else { format!("cd {} && ", dir.display()) };
            say(&format!("Next: {cd}briefing serve --open shows the site; edit site.toml, then write briefings with briefing new \"Title\"."));
            ExitCode::SUCCESS
        }
        Err(d) => {
            print_diagnostic(&d);
            ExitCode::from(2)
        }
    }
}

/// `briefing import`: each report on stdout as it comes, each failure on stderr.
fn import(command: ImportCommand) -> ExitCode {
    let code = briefing::app::import::run(&command, briefing::today(), &mut |line| match line {
        Line::Out(text) => say(&text),
        Line::Err(text) => say_err(&text),
    });
    ExitCode::from(code)
}

/// Watch and serve run until Ctrl-C (exit 0); they fail at once (exit 2) only when they cannot
/// start: an unsafe output folder, no way to watch, no port to serve on.
fn long_running(result: Result<(), Diagnostic>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(d) => {
            print_diagnostic(&d);
            ExitCode::from(2)
        }
    }
}

fn show_notice(notice: Notice) {
    match notice {
        Notice::Info(line) => say(&line),
        Notice::Warning(line) => say_err(&format!("warning: {line}")),
        Notice::Watching(line) => say(&line),
        Notice::Rebuilt(report) => {
            // The same warnings on every save would bury what is new, and at start they would
            // scroll the address away: the line counts them, and only the warnings a save
            // brought are printed. Notes on writing are left to `check`, as in a build.
            let errors = report.diagnostics.iter().filter(|d| d.severity == Severity::Error);
            let news = report.new_warnings.iter().filter(|d| !report.first && !WRITING_ADVICE.contains(&d.code));
            print_diagnostics(errors.chain(news));
            // Every report line on stdout, good or bad: one stream to follow.
            say(&report.summary());
        }
    }
}

/// Why a run with no errors failed: " (--deny-warnings)", or nothing.
fn denied(outcome: &Outcome, report: ReportArgs) -> &'static str {
    if report.deny_warnings && outcome.count(Severity::Error) == 0 && outcome.count(Severity::Warning) > 0 {
        " (--deny-warnings makes warnings fail)"
    } else {
        ""
    }
}

/// `--format json`: every diagnostic, then a summary object, one JSON object a line on stdout.
fn report_json(command: &str, outcome: &Outcome, extra: serde_json::Value) -> ExitCode {
    let mut out = std::io::stdout().lock();
    for d in &outcome.diagnostics {
        if writeln!(out, "{}", d.to_json()).is_err() {
            return exit_code(outcome.status);
        }
    }
    let mut summary = serde_json::json!({
        "type": "summary",
        "command": command,
        "status": match outcome.status { Status::Ok => "ok", Status::ContentErrors => "content-errors", Status::IoError => "io-error" },
        "errors": outcome.count(Severity::Error),
        "warnings": outcome.count(Severity::Warning),
        "notes": outcome.count(Severity::Note),
    });
    if let (Some(summary), serde_json::Value::Object(extra)) = (summary.as_object_mut(), extra) {
        summary.extend(extra);
    }
    let _ = writeln!(out, "{summary}");
    exit_code(outcome.status)
}

fn exit_code(status: Status) -> ExitCode {
    match status {
        Status::Ok => ExitCode::SUCCESS,
        Status::ContentErrors => ExitCode::from(1),
        Status::IoError => ExitCode::from(2),
    }
}

/// `check`'s problems for a person: errors first, then warnings, then the notes, one line a
/// kind of note (all of them with `verbose`), so that an error is never lost among advice.
fn report_check(outcome: &Outcome, verbose: bool) {
    for severity in [Severity::Error, Severity::Warning] {
        print_diagnostics(outcome.diagnostics.iter().filter(|d| d.severity == severity));
    }
    let notes = outcome.diagnostics.iter().filter(|d| d.severity == Severity::Note);
    if verbose {
        print_diagnostics(notes);
        return;
    }
    let mut kinds: Vec<(&str, usize)> = Vec::new();
    for d in notes {
        match kinds.iter_mut().find(|(code, _)| *code == d.code) {
            Some((_, count)) => *count += 1,
            None => kinds.push((d.code, 1)),
        }
    }
    for (code, count) in &kinds {
        let finds = briefing::core::codes::find(code).map_or("", |c| c.finds);
        say_err(&format!("note[{code}]: {finds} ({count} found)"));
    }
    if !kinds.is_empty() {
        say_err("`briefing check --verbose` lists each note with its file and line.\n");
    }
}

/// `check --external`: one line a site, after the problems, which name each address.
fn report_hosts(hosts: &[HostReport]) {
    if hosts.is_empty() {
        return;
    }
    let addresses: usize = hosts.iter().map(|h| h.addresses).sum();
    say(&format!("External links: {addresses} address{} on {} site{}", plural_es(addresses), hosts.len(), plural(hosts.len())));
    for h in hosts {
        let mut found = Vec::new();
        if h.broken > 0 {
            found.push(format!("{} broken", h.broken));
        }
        if h.unchecked > 0 {
            found.push(format!("{} not checked", h.unchecked));
        }
        let found = if found.is_empty() { "all fine".to_string() } else { found.join(", ") };
        say(&format!("  {}: {} address{}, {found}", h.host, h.addresses, plural_es(h.addresses)));
    }
}

fn plural_es(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "es"
    }
}

/// Notes on how a briefing is written: `check` lists them, a build only counts them, so the
/// output of a build stays about the build.
const WRITING_ADVICE: &[&str] = &["long-sentence", "sentence-length"];

/// Prints a build's diagnostics, leaving out writing advice; says how to see it.
fn report_build(outcome: &Outcome) -> String {
    let (advice, shown): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
        outcome.diagnostics.iter().partition(|d| WRITING_ADVICE.contains(&d.code));
    print_diagnostics(shown);
    match advice.len() {
        0 => String::new(),
        n => format!(" (`briefing check` lists {n} note{} on writing)", plural(n)),
    }
}

/// ", 2 errors, 1 warning" or "" when there were none.
fn counts(outcome: &Outcome, lead: &str) -> String {
    let n = |sev| outcome.count(sev);
    let parts: Vec<String> = [(n(Severity::Error), "error"), (n(Severity::Warning), "warning"), (n(Severity::Note), "note")]
        .into_iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, word)| format!("{count} {word}{}", plural(count)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("{lead}{}", parts.join(", "))
    }
}

fn use_colour() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

fn print_diagnostic(d: &Diagnostic) {
    print_diagnostics([d]);
}

/// Prints diagnostics on stderr, rendered in parallel and written through one buffer: a
/// build of a large site can print thousands, and stderr is unbuffered (two writes for each,
/// and a terminal check).
fn print_diagnostics<'a>(ds: impl IntoIterator<Item = &'a Diagnostic>) {
    use rayon::prelude::*;
    let colour = use_colour();
    let ds: Vec<&Diagnostic> = ds.into_iter().collect();
    let rendered: Vec<String> = ds.par_iter().map(|d| d.render(colour)).collect();
    let mut err = std::io::BufWriter::new(std::io::stderr().lock());
    for text in rendered {
        if writeln!(err, "{text}\n").is_err() {
            return;
        }
    }
    let _ = err.flush();
}

/// Writes a line to stdout; a closed pipe (`briefing build | head`) is a normal end, not a panic.
fn say(line: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

fn say_err(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}
