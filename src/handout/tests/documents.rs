//! Action plans and training packs.

use super::*;
use crate::handout::testing::fixture;

const QUESTIONS: [&str; 8] = [
    "What in this briefing is new to your team?",
    "Where could this happen in the families you work with now?",
    "What will you do differently from next week?",
    "Who else needs to hear about this briefing?",
    "How will you know that the change has made a difference?",
    "What support do you need from your manager?",
    "Which of your current cases does this briefing make you think about again?",
    "What would you tell a new colleague about this briefing?",
];

pub fn plan(questions: usize) -> ActionPlan {
    ActionPlan {
        title: "Learning from Child M: a baby, a busy house and a missed appointment".into(),
        partnership: "Westmoor Safeguarding Partnership".into(),
        published: "3 March 2025".into(),
        questions: QUESTIONS.iter().take(questions).map(|q| q.to_string()).collect(),
        return_to: Some("the learning team at learning@westmoor.example within a month".into()),
        language: "en-GB".into(),
    }
}

#[test]
fn an_action_plan_is_one_sheet_with_room_to_write() {
    for (questions, paper) in [(3, Paper::A4), (6, Paper::A4), (8, Paper::Letter), (1, Paper::Letter)] {
        let p = plan(questions);
        let t = action_plan_pdf(&p, &Assets { paper, ..Assets::default() }).unwrap();
        let what = format!("action plan with {questions} questions on {paper:?}");
        assert_eq!(t.pages, 1, "{what}");
        assert!(t.pdf_ua, "{what}: {:?}", t.notes);
        let Some(read) = read(&t.pdf, &what) else { return };
        assert_eq!(read.field("Pages"), "1", "{what}");
        assert_eq!(read.field("Tagged"), "yes", "{what}");
        for q in &p.questions {
            assert!(holds(&read.text, q), "{what}: {q}");
        }
        for text in ["Action plan", "Learning from Child M", "Published 3 March 2025", "Team", "Date", "Who attended", "Action", "Who", "By when", "Return this plan to: the learning team"] {
            assert!(holds(&read.text, text), "{what}: {text:?} missing:\n{}", read.text);
        }
    }
}

/// Ten questions of the most a plan prints (600 characters each) made two pages, the actions
/// table running on to the second, and no warning. The sheet now keeps the questions that
/// leave a line each to write on and says how many it has room for.
#[test]
fn an_action_plan_of_long_questions_keeps_to_one_sheet_and_says_what_it_leaves_out() {
    let long = |n: usize| format!("Question {n}: {}?", ["what did the team notice about the family and the help they were offered"; 7].join(", and "));
    for paper in [Paper::A4, Paper::Letter] {
        let p = ActionPlan { questions: (1..=10).map(long).collect(), ..plan(0) };
        let t = action_plan_pdf(&p, &Assets { paper, ..Assets::default() }).unwrap();
        let what = format!("ten long questions on {paper:?}");
        assert_eq!(t.pages, 1, "{what}");
        let kept = 10 - t.left_out.len();
        assert!((1..10).contains(&kept), "{what}: {:?}", t.left_out);
        assert_eq!(t.left_out.last().map(String::as_str), Some("question 10"), "{what}");
        assert_eq!(t.page_facts[0].size, 8.0, "{what}");
        let Some(read) = read(&t.pdf, &what) else { continue };
        assert!(holds(&read.text, &format!("This sheet has room for {kept} of the 10 questions.")), "{what}:\n{}", read.text);
        assert!(holds(&read.text, &long(kept)) && !read.text.contains(&format!("Question {}:", kept + 1)), "{what}:\n{}", read.text);
        assert!(read.text.contains("By when"), "{what}: the actions table is on the sheet");
    }
}

#[test]
fn an_action_plan_without_a_return_address_says_to_keep_it() {
    let p = ActionPlan { return_to: None, ..plan(3) };
    let t = action_plan_pdf(&p, &Assets::default()).unwrap();
    if let Some(read) = read(&t.pdf, "action plan without return") {
        assert!(read.text.contains("Keep this plan"), "{}", read.text);
    }
}

#[test]
fn a_pack_has_a_cover_then_sheets_numbered_like_the_single_handouts() {
    let entries: Vec<PackEntry> = ["seven-minute", "thematic", "practitioner"]
        .iter()
        .map(|name| PackEntry { handout: fixture(name), action_plan: (*name == "seven-minute").then(|| plan(3)) })
        .collect();
    let pack = Pack {
        title: "Training pack: babies and adolescents".into(),
        partnership: "Westmoor Safeguarding Partnership".into(),
        intro: Some("Three briefings for a half-day team session, with an action plan for the first.".into()),
        entries,
        left_out: 0,
        language: "en-GB".into(),
    };
    let logo = Logo { bytes: include_bytes!("fixtures/logo.svg").to_vec(), kind: LogoKind::Svg, alt: "Westmoor logo".into() };
    let assets = Assets { logo: Some(logo), ..Assets::default() };
    let t = pack_pdf(&pack, &assets).unwrap();
    assert_eq!(t.pages, 5, "{:?}", t.page_facts);
    let kinds: Vec<&str> = t.page_facts.iter().map(|f| f.kind.as_str()).collect();
    assert_eq!(kinds, ["cover", "handout", "plan", "handout", "handout"]);
    // Each handout page is typeset as its single handout is.
    for (entry, facts) in pack.entries.iter().zip(t.page_facts.iter().filter(|f| f.kind == "handout")) {
        let single = handout_pdf(&entry.handout, &assets).unwrap();
        assert_eq!(single.page_facts[0], *facts, "{}", entry.handout.slug);
    }
    let Some(read) = read(&t.pdf, "pack") else { return };
    assert_eq!(read.field("Pages"), "5");
    assert_eq!(read.field("Tagged"), "yes");
    for text in ["Training pack: babies and adolescents", "Contents", "Page 2", "Page 3", "Page 5", "Page 1 of 5", "Page 4 of 5", "Three briefings for a half-day team session"] {
        assert!(read.text.contains(text), "{text:?} missing:\n{}", read.text);
    }
    assert!(!read.text.contains("Not in this pack"), "{}", read.text);
}

/// A pack of many briefings with long titles: the contents ran over twelve cover pages, each
/// numbered "Page 1 of 601", and every page number the contents gave was wrong. The cover is
/// one sheet: the contents shrink to two columns, then say how many more there are. Above the
/// contents, it says how many briefings the pack asked for and left out.
#[test]
fn a_pack_cover_is_one_sheet_however_long_its_contents() {
    let long = "Learning from a review of the help given to a family over many years, told in a title far longer than any briefing's should be, so that each line of the contents wraps";
    let entries: Vec<PackEntry> = (1..=60)
        .map(|i| {
            let mut handout = fixture("practitioner");
            handout.title = format!("{i}: {long}");
            PackEntry { handout, action_plan: None }
        })
        .collect();
    let pack = Pack { title: "Every briefing".into(), partnership: "Westmoor Safeguarding Partnership".into(), intro: None, entries, left_out: 40, language: "en-GB".into() };
    let t = pack_pdf(&pack, &Assets::default()).unwrap();
    assert_eq!(t.pages, 61, "a cover, then one sheet each");
    assert_eq!(t.page_facts[0].kind, "cover");
    let Some(read) = read(&t.pdf, "long pack") else { return };
    let cover = read.text.split("Page 1 of 61").next().unwrap();
    assert!(cover.contains("1: Learning from a review") && cover.contains("more: each sheet carries its page number"), "{cover}");
    assert!(cover.contains("Not in this pack: 40 more briefings it asks for. A pack holds at most 60."), "{cover}");
}

