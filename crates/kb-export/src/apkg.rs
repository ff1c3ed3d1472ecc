//! `.apkg` packages in the "Legacy1" layout that genanki writes: a zip holding
//! `collection.anki2` (SQLite, schema 11), `media` (JSON `{"0": "name.png"}`) and the media
//! files under their numbers. Anki 2.1+ and 23.x–26.x import it.

use std::collections::BTreeMap;
use std::io::{Cursor, Write};

use rusqlite::{params, Connection};
use serde_json::{json, Value};
use zip::write::SimpleFileOptions;

use crate::anki::{AnkiOptions, ServiceNote};
use crate::guid::small_id;
use crate::media::Media;
use crate::ExportError;

/// The id of the `kb Service` note type. Fixed forever: Anki matches note types by id, and a
/// changed id (or renamed fields) makes every re-imported note a conflict instead of an update.
pub const MODEL_ID: i64 = 1_739_204_117;

pub const MODEL_NAME: &str = "kb Service";

/// The fields of the `kb Service` note type. Never rename, reorder or remove them.
pub const MODEL_FIELDS: [&str; 6] = ["Name", "Aliases", "Category", "Summary", "Features", "Sources"];

const TEMPLATE_NAME: &str = "Service";

const FRONT: &str = "<div class=\"kb-name\">{{Name}}</div>\n\
{{#Category}}<div class=\"kb-category\">{{Category}}</div>{{/Category}}";

const BACK: &str = "{{FrontSide}}\n<hr id=\"answer\">\n\
{{#Aliases}}<div class=\"kb-aliases\">{{Aliases}}</div>{{/Aliases}}\n\
<div class=\"kb-summary\">{{Summary}}</div>\n\
<div class=\"kb-features\">{{Features}}</div>\n\
<div class=\"kb-sources\">{{Sources}}</div>";

const CSS: &str = ".card { font-family: sans-serif; font-size: 20px; text-align: left; color: black; background-color: white; }\n\
.kb-name { font-size: 28px; font-weight: bold; text-align: center; }\n\
.kb-category { text-align: center; color: #666; font-size: 16px; }\n\
.kb-aliases { color: #555; font-style: italic; }\n\
.kb-summary { margin: 0.5em 0; }\n\
.kb-sources { color: #888; font-size: 12px; margin-top: 1em; }\n\
.kb-features img { max-width: 100%; }\n";

const SCHEMA: &str = "
CREATE TABLE col (
    id integer primary key, crt integer not null, mod integer not null, scm integer not null,
    ver integer not null, dty integer not null, usn integer not null, ls integer not null,
    conf text not null, models text not null, decks text not null, dconf text not null,
    tags text not null
);
CREATE TABLE notes (
    id integer primary key, guid text not null, mid integer not null, mod integer not null,
    usn integer not null, tags text not null, flds text not null, sfld integer not null,
    csum integer not null, flags integer not null, data text not null
);
CREATE TABLE cards (
    id integer primary key, nid integer not null, did integer not null, ord integer not null,
    mod integer not null, usn integer not null, type integer not null, queue integer not null,
    due integer not null, ivl integer not null, factor integer not null, reps integer not null,
    lapses integer not null, left integer not null, odue integer not null, odid integer not null,
    flags integer not null, data text not null
);
CREATE TABLE revlog (
    id integer primary key, cid integer not null, usn integer not null, ease integer not null,
    ivl integer not null, lastIvl integer not null, factor integer not null, time integer not null,
    type integer not null
);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
CREATE INDEX ix_notes_usn on notes (usn);
CREATE INDEX ix_cards_usn on cards (usn);
CREATE INDEX ix_revlog_usn on revlog (usn);
CREATE INDEX ix_cards_nid on cards (nid);
CREATE INDEX ix_cards_sched on cards (did, queue, due);
CREATE INDEX ix_revlog_cid on revlog (cid);
CREATE INDEX ix_notes_csum on notes (csum);
";

fn model_json(mod_time: i64, deck_id: i64) -> Value {
    let fields: Vec<Value> = MODEL_FIELDS
        .iter()
        .enumerate()
        .map(|(ord, name)| {
            json!({"name": name, "ord": ord, "font": "Arial", "size": 20, "rtl": false,
                   "sticky": false, "media": []})
        })
        .collect();
    json!({
        "id": MODEL_ID,
        "name": MODEL_NAME,
        "type": 0,
        "flds": fields,
        "tmpls": [{"name": TEMPLATE_NAME, "ord": 0, "qfmt": FRONT, "afmt": BACK,
                   "bqfmt": "", "bafmt": "", "did": null}],
        "css": CSS,
        "sortf": 0,
        "did": deck_id,
        "latexPre": "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
        "latexPost": "\\end{document}",
        "latexsvg": false,
        "mod": mod_time,
        "usn": -1,
        "req": [[0, "any", [0, 2]]],
        "tags": [],
        "vers": [],
    })
}

fn deck_json(id: i64, name: &str, mod_time: i64) -> Value {
    json!({
        "id": id, "name": name, "desc": "", "dyn": 0, "conf": 1, "collapsed": false,
        "browserCollapsed": false, "extendNew": 0, "extendRev": 50, "mod": mod_time, "usn": -1,
        "newToday": [0, 0], "revToday": [0, 0], "lrnToday": [0, 0], "timeToday": [0, 0],
    })
}

fn deck_config_json() -> Value {
    json!({
        "id": 1, "name": "Default", "mod": 0, "usn": 0, "maxTaken": 60, "autoplay": true,
        "timer": 0, "replayq": true, "dyn": false,
        "new": {"bury": true, "delays": [1, 10], "initialFactor": 2500, "ints": [1, 4, 7],
                "order": 1, "perDay": 20, "separate": true},
        "lapse": {"delays": [10], "leechAction": 0, "leechFails": 8, "minInt": 1, "mult": 0},
        "rev": {"bury": true, "ease4": 1.3, "fuzz": 0.05, "ivlFct": 1, "maxIvl": 36500,
                "minSpace": 1, "perDay": 100},
    })
}

/// Write `notes` (from [`crate::service_notes`]) and the media they show as an `.apkg`.
pub fn write_apkg<W: Write>(
    mut out: W,
    notes: &[ServiceNote],
    media: &Media,
    options: &AnkiOptions,
) -> Result<(), ExportError> {
    let collection = collection(notes, options)?;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    zip.start_file("collection.anki2", deflated)?;
    zip.write_all(&collection)?;
    // Only the files some note shows; numbered in name order.
    let mut shown: Vec<&str> = notes
        .iter()
        .flat_map(|n| n.images.iter().map(String::as_str))
        .collect();
    shown.sort_unstable();
    shown.dedup();
    let index: BTreeMap<String, &str> = shown
        .iter()
        .enumerate()
        .map(|(i, name)| (i.to_string(), *name))
        .collect();
    zip.start_file("media", deflated)?;
    zip.write_all(serde_json::to_string(&index).unwrap_or_default().as_bytes())?;
    for (number, name) in &index {
        if let Some(file) = media.files().iter().find(|f| f.name == *name) {
            // Images are compressed already.
            let stored = deflated.compression_method(zip::CompressionMethod::Stored);
            zip.start_file(number.as_str(), stored)?;
            zip.write_all(&file.bytes)?;
        }
    }
    let bytes = zip.finish()?.into_inner();
    out.write_all(&bytes)?;
    out.flush()?;
    Ok(())
}

/// The SQLite collection, serialised.
fn collection(notes: &[ServiceNote], options: &AnkiOptions) -> Result<Vec<u8>, ExportError> {
    let mod_time = options.mod_time;
    let mod_ms = mod_time.saturating_mul(1000);
    let mut db = Connection::open_in_memory()?;
    db.execute_batch(SCHEMA)?;

    let mut decks = serde_json::Map::new();
    decks.insert("1".to_owned(), deck_json(1, "Default", mod_time));
    let mut deck_ids: BTreeMap<&str, i64> = BTreeMap::new();
    for note in notes {
        let id = small_id(&note.deck);
        deck_ids.insert(&note.deck, id);
        decks.insert(id.to_string(), deck_json(id, &note.deck, mod_time));
    }
    let first_deck = deck_ids.values().next().copied().unwrap_or(1);
    let models = json!({ MODEL_ID.to_string(): model_json(mod_time, first_deck) });
    let conf = json!({
        "activeDecks": [1], "curDeck": 1, "newSpread": 0, "collapseTime": 1200, "timeLim": 0,
        "estTimes": true, "dueCounts": true, "curModel": MODEL_ID.to_string(), "nextPos": notes.len() + 1,
        "sortType": "noteFld", "sortBackwards": false, "addToCur": true,
    });
    let dconf = json!({ "1": deck_config_json() });
    db.execute(
        "INSERT INTO col VALUES (1, ?1, ?2, ?2, 11, 0, 0, 0, ?3, ?4, ?5, ?6, '{}')",
        params![
            mod_time - mod_time.rem_euclid(86_400),
            mod_ms,
            conf.to_string(),
            models.to_string(),
            Value::Object(decks).to_string(),
            dconf.to_string(),
        ],
    )?;

    let mut insert_note =
        db.prepare("INSERT INTO notes VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, 0, 0, '')")?;
    let mut insert_card =
        db.prepare("INSERT INTO cards VALUES (?1, ?2, ?3, 0, ?4, -1, 0, 0, ?5, 0, 0, 0, 0, 0, 0, 0, 0, '')")?;
    for (i, note) in notes.iter().enumerate() {
        let id = mod_ms + i as i64;
        let fields = note.fields();
        let tags = format!(" {} ", note.tags.join(" "));
        insert_note.execute(params![
            id,
            note.guid,
            MODEL_ID,
            mod_time,
            tags,
            fields.join("\x1f"),
            note.name
        ])?;
        let deck = deck_ids.get(note.deck.as_str()).copied().unwrap_or(1);
        insert_card.execute(params![id, id, deck, mod_time, i as i64 + 1])?;
    }
    drop(insert_note);
    drop(insert_card);
    let data = db.serialize(rusqlite::MAIN_DB)?;
    Ok(data.to_vec())
}
