//! `file:` URIs ↔ the paths kb names notes by (absolute, with `/`).

use std::str::FromStr;

use lsp_types::Uri;

/// The path of a `file:` URI (`file:///a/b%20c.md` → `/a/b c.md`; a Windows drive keeps its
/// letter: `file:///C:/a.md` → `C:/a.md`). `None` for other schemes or broken escapes.
pub fn to_path(uri: &Uri) -> Option<String> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // An authority of `localhost` or nothing.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let decoded = decode(rest)?;
    let bytes = decoded.as_bytes();
    let drive = bytes.len() >= 3 && bytes[0] == b'/' && bytes[1].is_ascii_alphabetic() && bytes[2] == b':';
    Some(if drive { decoded[1..].to_owned() } else { decoded })
}

/// The `file:` URI of an absolute path.
pub fn to_uri(path: &str) -> Uri {
    let path = path.replace('\\', "/");
    let mut out = String::from("file://");
    if !path.starts_with('/') {
        out.push('/');
    }
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    // Every byte that could break the URI grammar is escaped above.
    Uri::from_str(&out).unwrap_or_else(|_| fallback())
}

fn fallback() -> Uri {
    Uri::from_str("file:///").unwrap_or_else(|_| unreachable!("`file:///` is a URI"))
}

fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_korean_spaces_and_percent_signs() {
        for path in ["/vault/노트/Amazon S3.md", "/v/100% done#1?.md", "C:/vault/a.md"] {
            let uri = to_uri(path);
            assert_eq!(to_path(&uri).as_deref(), Some(path), "{}", uri.as_str());
        }
        assert_eq!(to_uri("/a b.md").as_str(), "file:///a%20b.md");
    }

    #[test]
    fn refuses_other_schemes_and_broken_escapes() {
        let uri = |s: &str| Uri::from_str(s).unwrap();
        assert_eq!(to_path(&uri("untitled:Untitled-1")), None);
        // `%FF` alone is not UTF-8.
        assert_eq!(to_path(&uri("file:///a%FF.md")), None);
        assert_eq!(to_path(&uri("file://localhost/a.md")).as_deref(), Some("/a.md"));
    }
}
