//! kb-export on parsed notes: merging, GUIDs, sanitising and the .apkg layout.

use std::io::Read;

use kb_export::{
    guid_for, service_notes, write_anki_text, write_apkg, AnkiOptions, Media, ServiceKey, MODEL_FIELDS,
    MODEL_ID,
};
use kb_model::{Entry, KnowledgeBase};
use kb_vocab::Vocabulary;

fn kb(notes: &[(&str, &str)]) -> KnowledgeBase {
    let vocab = Vocabulary::builtin();
    KnowledgeBase::new(
        notes
            .iter()
            .map(|(path, text)| kb_parse::parse(path, text, &vocab).note)
            .collect(),
    )
}

fn options() -> AnkiOptions {
    AnkiOptions {
        deck_root: "AWS".to_owned(),
        mod_time: 1_800_000_000,
    }
}

fn first_entry(kb: &KnowledgeBase) -> &Entry {
    &kb.notes[0].entries[0]
}

#[test]
fn the_same_id_keeps_its_guid_when_the_name_changes() {
    let before = kb(&[("a.md", "## Amazon SageMaker\n- 머신러닝 플랫폼\n")]);
    let after = kb(&[("a.md", "## SageMaker AI\n- 머신러닝 플랫폼\n")]);
    let a = first_entry(&before);
    let b = first_entry(&after);
    assert_eq!(a.id, b.id);
    assert_ne!(a.name, b.name);
    let vocab = Vocabulary::builtin();
    let guid = |kb: &KnowledgeBase| {
        service_notes(kb, &vocab, &Media::new(), &options())[0]
            .guid
            .clone()
    };
    assert_eq!(guid(&before), guid(&after));
    assert_eq!(
        guid(&before),
        guid_for(&ServiceKey::Id("amazon-sagemaker".to_owned()))
    );
}

/// `kb` with its first entry turned into one the vocabulary does not know.
fn unknown(name: &str) -> KnowledgeBase {
    let mut kb = kb(&[("a.md", "## Amazon S3\n- 설명\n")]);
    let entry = &mut kb.notes[0].entries[0];
    entry.id = None;
    entry.canonical = None;
    entry.name = name.to_owned();
    kb
}

#[test]
fn unknown_services_key_on_the_nfc_name() {
    let nfc = "아마존 노바";
    let nfd: String = unicode_nfd(nfc);
    assert_ne!(nfc, nfd);
    let vocab = Vocabulary::builtin();
    let note = |name: &str| service_notes(&unknown(name), &vocab, &Media::new(), &options()).remove(0);
    assert_eq!(note(nfc).guid, note(&nfd).guid);
    assert_eq!(note(&nfd).name, nfc);
    assert_eq!(note(nfc).guid, guid_for(&ServiceKey::Name(nfc.to_owned())));
    assert_ne!(note(nfc).guid, note("Amazon Nova").guid);
    assert_eq!(note(nfc).deck, "AWS::Other");
}

#[test]
fn a_misspelt_name_of_a_known_service_keeps_the_service_guid() {
    let right = kb(&[("a.md", "## Amazon SageMaker\n- 머신러닝 플랫폼\n")]);
    let wrong = kb(&[("a.md", "## Segemaker\n- 머신러닝 플랫폼\n")]);
    let vocab = Vocabulary::builtin();
    let guid = |kb: &KnowledgeBase| {
        service_notes(kb, &vocab, &Media::new(), &options())[0]
            .guid
            .clone()
    };
    assert_eq!(guid(&right), guid(&wrong));
}

fn unicode_nfd(text: &str) -> String {
    unicode_normalization::UnicodeNormalization::nfd(text).collect()
}

#[test]
fn entries_of_one_service_merge_into_one_note() {
    let kb = kb(&[
        ("a.md", "# 컴퓨팅\n\n## Amazon EC2\n- 가상 서버\n- 특징\n  - 크기 조정\n"),
        ("b.md", "## EC2 (Elastic Compute Cloud)\n- 가상 서버\n- 특징\n  - 스팟 인스턴스\n\n## Amazon S3\n- 객체 스토리지\n"),
    ]);
    let notes = service_notes(&kb, &Vocabulary::builtin(), &Media::new(), &options());
    assert_eq!(notes.len(), 2);
    let ec2 = notes.iter().find(|n| n.name == "Amazon EC2").unwrap();
    assert_eq!(ec2.entry_count, 2);
    assert_eq!(ec2.deck, "AWS::Compute");
    assert_eq!(ec2.tags, ["aws::compute"]);
    assert_eq!(ec2.summaries, ["가상 서버"]);
    assert_eq!(ec2.sources, ["a.md:3", "b.md:1"]);
    assert!(
        ec2.aliases.iter().any(|a| a == "Elastic Compute Cloud"),
        "{:?}",
        ec2.aliases
    );
    let fields = ec2.fields();
    assert_eq!(fields[0], "Amazon EC2");
    assert_eq!(fields[2], "Compute");
    assert_eq!(fields[3], "가상 서버");
    assert!(
        fields[4].contains("<li>크기 조정</li>") && fields[4].contains("<li>스팟 인스턴스</li>"),
        "{}",
        fields[4]
    );
}

/// An entry whose text carries markup that would run in Anki's web view.
fn hostile() -> KnowledgeBase {
    let mut kb = kb(&[("a.md", "## Amazon S3\n- 객체 스토리지\n- 특징\n  - 버킷\n")]);
    let entry = &mut kb.notes[0].entries[0];
    entry.name = "Amazon S3<script>alert(1)</script>".to_owned();
    entry.summary.as_mut().unwrap().text =
        "<img src=x onerror=alert(1)><script>alert(2)</script><a href=\"javascript:alert(3)\">x</a>"
            .to_owned();
    entry.features[0].text = "<svg onload=alert(4)>".to_owned();
    kb
}

/// No tag, only escaped text, may carry script, handlers or script URLs.
fn assert_inert(html: &str) {
    assert!(!html.contains("<script"), "{html}");
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').map_or(rest.len(), |e| start + e);
        let tag = rest[start..end].to_ascii_lowercase();
        assert!(
            !tag.contains("onerror") && !tag.contains("onload") && !tag.contains("javascript:"),
            "{tag}"
        );
        rest = &rest[end..];
    }
}

#[test]
fn script_and_event_handlers_never_reach_anki() {
    let kb = hostile();
    let notes = service_notes(&kb, &Vocabulary::builtin(), &Media::new(), &options());
    for field in notes[0].fields() {
        assert_inert(&field);
    }
    let mut text = Vec::new();
    write_anki_text(&mut text, &notes, &options()).unwrap();
    let text = String::from_utf8(text).unwrap();
    assert_inert(&text);
    assert!(
        text.contains("&lt;script&gt;"),
        "the text is kept, escaped: {text}"
    );
}

#[test]
fn the_sanitiser_removes_markup_that_could_run() {
    let html = kb_export::sanitize_html(
        "<mark>ok</mark><script>x</script><img src=\"a.png\" onerror=\"x\"><img src=\"javascript:x\"><b onclick=\"x\">b</b>",
    );
    assert_eq!(html, "<mark>ok</mark><img src=\"a.png\"><img><b>b</b>");
}

fn apkg(kb: &KnowledgeBase, media: &Media) -> (tempfile::TempDir, rusqlite::Connection, serde_json::Value) {
    let notes = service_notes(kb, &Vocabulary::builtin(), media, &options());
    let mut bytes = Vec::new();
    write_apkg(&mut bytes, &notes, media, &options()).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut collection = Vec::new();
    zip.by_name("collection.anki2")
        .unwrap()
        .read_to_end(&mut collection)
        .unwrap();
    std::fs::write(dir.path().join("c.anki2"), collection).unwrap();
    let mut index = String::new();
    zip.by_name("media").unwrap().read_to_string(&mut index).unwrap();
    let db = rusqlite::Connection::open(dir.path().join("c.anki2")).unwrap();
    (dir, db, serde_json::from_str(&index).unwrap())
}

#[test]
fn the_package_holds_schema_11_with_the_fixed_note_type_and_a_card_per_note() {
    let mut kb = kb(&[(
        "a.md",
        "# AI\n\n## Amazon SageMaker\n- 머신러닝 플랫폼\n\n## Amazon S3\n- 객체 스토리지\n\n## Segemaker\n- 오타\n",
    )]);
    let extra = unknown("Segemaker X").notes.remove(0).entries.remove(0);
    kb.notes[0].entries.push(extra);
    let (_dir, db, media) = apkg(&kb, &Media::new());
    assert_eq!(media, serde_json::json!({}));
    let ver: i64 = db.query_row("SELECT ver FROM col", [], |r| r.get(0)).unwrap();
    assert_eq!(ver, 11);
    let models: String = db.query_row("SELECT models FROM col", [], |r| r.get(0)).unwrap();
    let models: serde_json::Value = serde_json::from_str(&models).unwrap();
    let model = &models[MODEL_ID.to_string()];
    assert_eq!(model["name"], "kb Service");
    let names: Vec<&str> = model["flds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, MODEL_FIELDS);
    assert_eq!(model["sortf"], 0);
    assert_eq!(model["tmpls"].as_array().unwrap().len(), 1);
    let rows: Vec<(String, i64, i64, String, String, String)> = db
        .prepare("SELECT guid, mid, mod, tags, flds, sfld FROM notes ORDER BY sfld")
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 3);
    let sagemaker = rows.iter().find(|r| r.5 == "Amazon SageMaker").unwrap();
    assert_eq!(
        sagemaker.0,
        guid_for(&ServiceKey::Id("amazon-sagemaker".to_owned()))
    );
    assert_eq!(sagemaker.1, MODEL_ID);
    assert_eq!(sagemaker.2, 1_800_000_000);
    assert_eq!(sagemaker.3, " aws::machine_learning ");
    let fields: Vec<&str> = sagemaker.4.split('\x1f').collect();
    assert_eq!(fields.len(), 6);
    // The misspelt `Segemaker` entry is the same service: its summary is merged in.
    assert_eq!(fields[3], "머신러닝 플랫폼<br><br>오타");
    let unknown = rows.iter().find(|r| r.5 == "Segemaker X").unwrap();
    assert_eq!(unknown.3, " aws::other ");
    let cards: i64 = db
        .query_row("SELECT count(*) FROM cards", [], |r| r.get(0))
        .unwrap();
    assert_eq!(cards, 3);
    let decks: String = db.query_row("SELECT decks FROM col", [], |r| r.get(0)).unwrap();
    for deck in ["AWS::Machine Learning", "AWS::Storage", "AWS::Other"] {
        assert!(decks.contains(&format!("\"name\":\"{deck}\"")), "{decks}");
    }
}

#[test]
fn media_ship_under_numbers_and_show_in_the_features() {
    let kb = kb(&[("a.md", "## Amazon S3\n- 객체 스토리지\n\n![[bucket.png]]\n")]);
    let mut media = Media::new();
    assert_eq!(
        media.add("a.md", 0, "img/bucket.png", b"PNG".to_vec()),
        "bucket.png"
    );
    let (_dir, db, index) = apkg(&kb, &media);
    assert_eq!(index, serde_json::json!({"0": "bucket.png"}));
    let flds: String = db.query_row("SELECT flds FROM notes", [], |r| r.get(0)).unwrap();
    assert!(
        flds.split('\x1f')
            .nth(4)
            .unwrap()
            .contains("<img src=\"bucket.png\">"),
        "{flds}"
    );
}
